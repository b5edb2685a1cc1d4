// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "shared/audio/audio_decoder.h"
#include "shared/audio/pcm_source.h"

namespace netlens::audio {

/// One RTP packet of a stream as the assembler takes it. A view: `payload` is copied by add().
struct RtpAudioPacket {
  std::int64_t captureNs = 0;  ///< capture time
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  bool marker = false;
  std::uint8_t payloadType = 0;
  const std::uint8_t* payload = nullptr;
  std::uint32_t payloadLength = 0;
};

/// Limits of one stream's audio.
struct AssemblerLimits {
  /// Longest audio kept; packets beyond it are not stored (truncated() says so). Memory is
  /// bounded by it: the payload (about 115 MB for 4 hours of G.711 or G.722) and at most 200
  /// packets per second of it (about 70 bytes of bookkeeping each: 200 MB for 4 hours).
  std::uint32_t maxSeconds = 4 * 3600;
  /// A timestamp step forward of more than this (or any step backwards) between packets
  /// that follow each other in sequence order starts a new segment.
  std::uint32_t maxGapSeconds = 10;
};

/// Builds one RTP stream's audio timeline: takes its packets in capture order (add), then
/// (finish) orders them by sequence number (with wrap-around; a repeated number is a
/// duplicate and dropped), places each audio packet by its RTP timestamp (with wrap-around)
/// and fills the time between them — lost packets, silence suppression — with silence.
/// Audio that overlaps what is already placed is cut from the packet's start.
///
/// Packets of payload types other than the stream's audio type (comfort noise, RFC 4733
/// telephone events, anything else) are not audio: their time becomes silence, because the
/// next audio packet is placed by its timestamp.
///
/// Segments: when the timestamp jumps forward by more than `maxGapSeconds`, or goes back,
/// from one packet to the next in sequence order (the sender restarted its clock, e.g.
/// after a hold or a transfer), a new segment begins. It follows the previous one after the
/// silence that capture time shows between the two packets, at most `maxGapSeconds`, so a
/// jump never turns into minutes or hours of silence.
///
/// After finish(), read() decodes on demand: only the payloads are held in memory.
/// Not thread-safe: one thread feeds and reads it.
class StreamAssembler final : public PcmSource {
 public:
  /// `audioPayloadType` is the RTP payload type that `decoder` decodes.
  StreamAssembler(std::unique_ptr<AudioDecoder> decoder, std::uint8_t audioPayloadType,
                  AssemblerLimits limits = {});
  ~StreamAssembler() override;
  StreamAssembler(const StreamAssembler&) = delete;
  StreamAssembler& operator=(const StreamAssembler&) = delete;

  /// Takes one packet (in capture order). False once the length limit is reached (the
  /// packet was not kept) or after finish().
  bool add(const RtpAudioPacket& packet);
  /// Orders and places the packets; read() works from then on. Idempotent.
  void finish();

  std::uint32_t sampleRate() const override { return m_decoder->sampleRate(); }
  std::uint64_t totalSamples() const override { return m_totalSamples; }
  std::size_t read(std::int16_t* out, std::size_t max) override;

  Codec codec() const { return m_decoder->codec(); }
  /// Capture time of the packet whose audio begins the timeline (0 when there is none).
  std::int64_t startCaptureNs() const { return m_startCaptureNs; }
  /// Audio packets placed (after duplicates and overlaps were dropped).
  std::uint64_t audioPackets() const { return m_plan.size(); }
  std::uint64_t duplicates() const { return m_duplicates; }
  /// Packets of other payload types (comfort noise, telephone events...).
  std::uint64_t otherPackets() const { return m_otherPackets; }
  /// Audio packets whose payload length the codec cannot decode, or empty.
  std::uint64_t undecodable() const { return m_undecodable; }
  /// Samples of silence filled in between audio packets (and between segments).
  std::uint64_t silenceSamples() const { return m_silenceSamples; }
  /// Segments of the timeline (1 when the timestamps never jumped; 0 when empty).
  std::uint32_t segments() const { return m_segments; }
  /// The length limit cut the audio short.
  bool truncated() const { return m_truncated; }

 private:
  struct Stored {
    std::int64_t sequence;  ///< extended with wrap-arounds
    std::int64_t captureNs;
    std::uint64_t offset;  ///< into m_payloads
    std::uint32_t length;
    std::uint32_t timestamp;
  };
  struct Placed {
    std::size_t stored;
    std::uint64_t silenceBefore;  ///< samples
    std::uint32_t skip;           ///< samples cut from the start (overlap)
    std::uint32_t take;           ///< samples kept
  };

  std::unique_ptr<AudioDecoder> m_decoder;
  std::uint8_t m_audioPayloadType;
  AssemblerLimits m_limits;
  std::vector<std::uint8_t> m_payloads;
  std::uint64_t m_storedSamples = 0;  ///< what the stored payloads decode to
  std::vector<Stored> m_stored;
  std::vector<Placed> m_plan;
  bool m_hasLastSequence = false;
  std::uint16_t m_lastSequence = 0;
  std::int64_t m_extendedSequence = 0;
  bool m_finished = false;
  bool m_truncated = false;
  std::uint64_t m_duplicates = 0;
  std::uint64_t m_otherPackets = 0;
  std::uint64_t m_undecodable = 0;
  std::uint64_t m_silenceSamples = 0;
  std::uint64_t m_totalSamples = 0;
  std::uint32_t m_segments = 0;
  std::int64_t m_startCaptureNs = 0;
  // read() state
  std::size_t m_next = 0;
  std::uint64_t m_pendingSilence = 0;
  std::vector<std::int16_t> m_decoded;
  std::size_t m_decodedPos = 0;
  std::size_t m_decodedEnd = 0;
};

}  // namespace netlens::audio
