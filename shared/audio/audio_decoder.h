// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace netlens::audio {

/// The audio codecs Netlens decodes.
enum class Codec : std::uint8_t { Pcmu, Pcma, G722, G729 };

/// "PCMU", "PCMA", "G722", "G729".
std::string_view codecName(Codec codec);

/// The codec of an RTP encoding name (an SDP rtpmap name or RFC 3551's name of a static
/// payload type; case-insensitive; "G729A" and "G729B" are G.729), or false when unsupported.
bool codecFromName(std::string_view encodingName, Codec* out);

/// Decodes the payload of one RTP packet of one stream to 16-bit PCM at the codec's own rate
/// (8 kHz; 16 kHz for G.722 although its RTP clock runs at 8 kHz, RFC 3551 section 4.5.2).
/// Stateful for the predictive codecs (G.722, G.729): feed one stream's payloads in sequence
/// order. Not thread-safe: one decoder per stream; it owns its codec library state.
class AudioDecoder {
 public:
  /// Largest payload decode() accepts: larger ones are refused (0 samples).
  static constexpr std::size_t kMaxPayload = 65536;

  virtual ~AudioDecoder() = default;
  virtual Codec codec() const = 0;
  /// PCM samples per second of the output.
  virtual std::uint32_t sampleRate() const = 0;
  /// Output samples per RTP timestamp tick (2 for G.722, else 1).
  virtual std::uint32_t samplesPerTick() const = 0;
  /// PCM samples decode() gives for a payload of `bytes` (0 when the payload cannot be one
  /// of this codec, e.g. a G.729 payload that is not 10-byte frames with an optional 2-byte
  /// SID frame at the end).
  virtual std::size_t samplesFor(std::size_t bytes) const = 0;
  /// Decodes `bytes` of payload into `out`, which has room for samplesFor(bytes) samples;
  /// returns the samples written (samplesFor(bytes)).
  virtual std::size_t decode(const std::uint8_t* payload, std::size_t bytes, std::int16_t* out) = 0;

  /// A decoder for `codec`; never null.
  static std::unique_ptr<AudioDecoder> create(Codec codec);
};

/// The largest magnitude |pcm| (0 to 32768) of G.711 payload bytes, A-law when `alaw`, else
/// µ-law, by the standard expansion tables. Thread-safe.
std::uint32_t g711Peak(const std::uint8_t* payload, std::size_t bytes, bool alaw);

/// A magnitude as a level in dBFS, 20·log10(peak / 32768), and −96 dBFS for silence (the
/// floor of 16-bit audio). Thread-safe.
double levelDbfs(std::uint32_t peak);

}  // namespace netlens::audio
