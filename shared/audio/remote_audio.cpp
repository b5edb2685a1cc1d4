// SPDX-License-Identifier: MIT
#include "shared/audio/remote_audio.h"

namespace netlens::audio {

bool RemoteAudio::addPage(const protocol::AudioChunk& page, std::string* error) {
  if (!m_opened) {
    if (page.streams.empty()) {
      *error = "the node's answer names no RTP stream";
      return false;
    }
    std::vector<ExportStream> streams;
    for (const auto& s : page.streams) {
      streams.push_back({s.ssrc, s.srcIp, s.srcPort, s.dstIp, s.dstPort, s.codec, s.payloadType,
                         s.payloadTypes, s.packets});
    }
    if (!m_export.open(std::move(streams), m_limits, error)) return false;
    m_opened = true;
    m_callId = page.callId;
    m_callerAddress = page.callerMediaAddress;
    m_callerPort = page.callerMediaPort;
    m_streams = page.streams;
  } else if (page.streams.size() != m_streams.size() || page.callId != m_callId) {
    *error =
        "a page of the node's answer names other streams than the first (the call changed "
        "while it was read): save it again";
    return false;
  }
  // Stream records of later pages carry newer counts: keep the estimate current.
  m_estimated = page.estimatedPackets;
  for (const auto& p : page.packets) {
    RtpAudioPacket packet;
    packet.captureNs = p.arrival;
    packet.sequence = p.sequence;
    packet.timestamp = p.timestamp;
    packet.marker = p.marker;
    packet.payloadType = p.payloadType;
    packet.payload = reinterpret_cast<const std::uint8_t*>(p.payload.data());
    packet.payloadLength = static_cast<std::uint32_t>(p.payload.size());
    m_export.add(p.stream, packet);
    ++m_packets;
    m_bytes += p.payload.size();
  }
  return true;
}

bool RemoteAudio::write(const std::string& path, bool mp3, bool separate,
                        std::vector<std::string>* written, std::vector<std::string>* messages,
                        std::string* error) {
  if (!m_opened) {
    *error = "no audio arrived from the node";
    return false;
  }
  if (m_packets == 0) {
    *error = "the node's packet store holds no packet of " +
             std::string(isCall() ? "the call's streams" : "the stream") +
             " (the ring may have dropped them, or the store was started after the call)";
    return false;
  }
  if (!m_export.finish(error, messages)) return false;
  std::vector<std::vector<std::size_t>> files;
  std::vector<std::string> names;
  if (!isCall()) {
    files.push_back({0});
    names.push_back(path);
  } else if (separate) {
    for (std::size_t i = 0; i < m_export.streamCount(); ++i) {
      if (m_export.assembler(i).audioPackets() == 0) continue;
      files.push_back({i});
      names.push_back(separateFileName(path, m_export.stream(i).ssrc));
    }
  } else {
    files.push_back(m_export.stereoChannels(m_callerAddress, m_callerPort, messages));
    names.push_back(path);
  }
  for (std::size_t k = 0; k < files.size(); ++k) {
    std::string summary;
    if (!m_export.write(names[k], mp3, files[k], &summary, error)) return false;
    written->push_back(names[k]);
    messages->push_back(summary);
  }
  return true;
}

}  // namespace netlens::audio
