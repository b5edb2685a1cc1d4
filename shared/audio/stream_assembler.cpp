// SPDX-License-Identifier: MIT
#include "shared/audio/stream_assembler.h"

#include <algorithm>
#include <cstring>

namespace netlens::audio {

namespace {
/// Stored payload may decode to this much more than the limit (duplicates and overlaps are
/// only dropped by finish()).
constexpr std::uint64_t kSlackPercent = 25;
/// Packets kept per second of the limit: one per 5 ms, the shortest packet time in use.
constexpr std::uint64_t kPacketsPerSecond = 200;
}  // namespace

StreamAssembler::StreamAssembler(std::unique_ptr<AudioDecoder> decoder,
                                 std::uint8_t audioPayloadType, AssemblerLimits limits)
    : m_decoder(std::move(decoder)), m_audioPayloadType(audioPayloadType), m_limits(limits) {}

StreamAssembler::~StreamAssembler() = default;

bool StreamAssembler::add(const RtpAudioPacket& p) {
  if (m_finished) return false;
  // Sequence numbers are unwrapped in capture order: the nearest number to the last one.
  if (m_hasLastSequence) {
    m_extendedSequence += static_cast<std::int16_t>(p.sequence - m_lastSequence);
  } else {
    m_extendedSequence = p.sequence;
    m_hasLastSequence = true;
  }
  m_lastSequence = p.sequence;
  if (p.payloadType != m_audioPayloadType) {
    ++m_otherPackets;
    return true;
  }
  const std::size_t samples =
      p.payload != nullptr ? m_decoder->samplesFor(p.payloadLength) : std::size_t{0};
  if (samples == 0) {
    ++m_undecodable;
    return true;
  }
  const std::uint64_t maxSamples = std::uint64_t{m_limits.maxSeconds} * m_decoder->sampleRate();
  if (m_truncated || m_stored.size() >= std::uint64_t{m_limits.maxSeconds} * kPacketsPerSecond ||
      m_storedSamples + samples > maxSamples + maxSamples * kSlackPercent / 100 + 65536) {
    m_truncated = true;
    return false;
  }
  m_storedSamples += samples;
  m_stored.push_back(
      {m_extendedSequence, p.captureNs, m_payloads.size(), p.payloadLength, p.timestamp});
  m_payloads.insert(m_payloads.end(), p.payload, p.payload + p.payloadLength);
  return true;
}

void StreamAssembler::finish() {
  if (m_finished) return;
  m_finished = true;
  std::stable_sort(m_stored.begin(), m_stored.end(),
                   [](const Stored& a, const Stored& b) { return a.sequence < b.sequence; });
  const std::uint32_t perTick = m_decoder->samplesPerTick();
  const std::uint64_t rate = m_decoder->sampleRate();
  const std::int64_t ticksPerSecond = static_cast<std::int64_t>(rate / perTick);
  const std::int64_t maxGapTicks = std::int64_t{m_limits.maxGapSeconds} * ticksPerSecond;
  const std::uint64_t maxSamples = std::uint64_t{m_limits.maxSeconds} * rate;

  bool first = true;
  std::int64_t lastSequence = 0;
  std::uint32_t lastTimestamp = 0;
  std::int64_t lastTicks = 0;  // extended timestamp of the previous packet
  std::int64_t endTicks = 0;   // extended timestamp where the placed audio ends
  std::int64_t lastCaptureNs = 0;
  std::int64_t lastDurationNs = 0;
  for (std::size_t i = 0; i < m_stored.size(); ++i) {
    const Stored& s = m_stored[i];
    if (!first && s.sequence == lastSequence) {
      ++m_duplicates;  // the first copy (in capture order) stays
      continue;
    }
    const std::uint64_t samples = m_decoder->samplesFor(s.length);
    const std::int64_t ticks = static_cast<std::int64_t>((samples + perTick - 1) / perTick);
    std::uint64_t silence = 0;
    std::uint64_t skip = 0;
    std::int64_t at = 0;
    if (first) {
      at = s.timestamp;
      endTicks = at;
      m_startCaptureNs = s.captureNs;
      m_segments = 1;
      first = false;
    } else {
      at = lastTicks + static_cast<std::int32_t>(s.timestamp - lastTimestamp);
      const std::int64_t gap = at - endTicks;
      if (at < lastTicks || gap > maxGapTicks) {
        // A new segment, after the silence capture time shows (at most maxGapSeconds).
        ++m_segments;
        std::int64_t gapNs = s.captureNs - lastCaptureNs - lastDurationNs;
        gapNs = std::clamp<std::int64_t>(gapNs, 0,
                                         std::int64_t{m_limits.maxGapSeconds} * 1'000'000'000);
        silence = static_cast<std::uint64_t>(gapNs) * rate / 1'000'000'000;
        endTicks = at;
      } else if (gap >= 0) {
        silence = static_cast<std::uint64_t>(gap) * perTick;
      } else {
        skip = static_cast<std::uint64_t>(-gap) * perTick;
      }
    }
    lastSequence = s.sequence;
    lastTimestamp = s.timestamp;
    lastTicks = at;
    lastCaptureNs = s.captureNs;
    lastDurationNs = ticks * 1'000'000'000 / ticksPerSecond;
    if (skip >= samples) continue;  // wholly inside audio already placed
    std::uint64_t take = samples - skip;
    if (m_totalSamples + silence + take > maxSamples) {
      m_truncated = true;
      if (m_totalSamples + silence >= maxSamples) break;
      take = maxSamples - m_totalSamples - silence;
    }
    endTicks = std::max(endTicks, at + ticks);
    m_plan.push_back(
        {i, silence, static_cast<std::uint32_t>(skip), static_cast<std::uint32_t>(take)});
    m_silenceSamples += silence;
    m_totalSamples += silence + take;
    if (m_truncated) break;
  }
}

std::size_t StreamAssembler::read(std::int16_t* out, std::size_t max) {
  if (!m_finished) finish();
  std::size_t written = 0;
  while (written < max) {
    if (m_pendingSilence > 0) {
      const std::size_t n =
          static_cast<std::size_t>(std::min<std::uint64_t>(m_pendingSilence, max - written));
      std::fill_n(out + written, n, std::int16_t{0});
      written += n;
      m_pendingSilence -= n;
      continue;
    }
    if (m_decodedPos < m_decodedEnd) {
      const std::size_t n = std::min(m_decodedEnd - m_decodedPos, max - written);
      std::memcpy(out + written, m_decoded.data() + m_decodedPos, n * sizeof(std::int16_t));
      written += n;
      m_decodedPos += n;
      continue;
    }
    if (m_next >= m_plan.size()) break;
    const Placed& p = m_plan[m_next++];
    const Stored& s = m_stored[p.stored];
    m_decoded.resize(m_decoder->samplesFor(s.length));
    const std::size_t got =
        m_decoder->decode(m_payloads.data() + s.offset, s.length, m_decoded.data());
    // A decoder that gives fewer samples than promised is padded, so the timeline holds.
    std::fill(m_decoded.begin() + static_cast<std::ptrdiff_t>(std::min(got, m_decoded.size())),
              m_decoded.end(), std::int16_t{0});
    m_pendingSilence = p.silenceBefore;
    m_decodedPos = p.skip;
    m_decodedEnd = std::size_t{p.skip} + p.take;
  }
  return written;
}

}  // namespace netlens::audio
