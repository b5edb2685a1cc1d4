// SPDX-License-Identifier: MIT
#include "shared/audio/audio_decoder.h"

#include <algorithm>
#include <cctype>
#include <cmath>

// spandsp's umbrella header pulls in libtiff; its G.711 and G.722 headers need only these,
// in this order (kept apart so that sorting the includes cannot reorder them).
#include <spandsp/telephony.h>

#include <spandsp/bit_operations.h>

#include <spandsp/g711.h>
#include <spandsp/g722.h>
// bcg729's headers lack extern "C".
extern "C" {
#include <bcg729/decoder.h>
}

namespace netlens::audio {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

class G711Decoder final : public AudioDecoder {
 public:
  explicit G711Decoder(Codec codec) : m_codec(codec) {}
  Codec codec() const override { return m_codec; }
  std::uint32_t sampleRate() const override { return 8000; }
  std::uint32_t samplesPerTick() const override { return 1; }
  std::size_t samplesFor(std::size_t bytes) const override {
    return bytes <= kMaxPayload ? bytes : 0;
  }
  std::size_t decode(const std::uint8_t* payload, std::size_t bytes, std::int16_t* out) override {
    const std::size_t n = samplesFor(bytes);
    if (m_codec == Codec::Pcma) {
      for (std::size_t i = 0; i < n; ++i) out[i] = alaw_to_linear(payload[i]);
    } else {
      for (std::size_t i = 0; i < n; ++i) out[i] = ulaw_to_linear(payload[i]);
    }
    return n;
  }

 private:
  Codec m_codec;
};

/// G.722 at 64 kbit/s (the only rate RTP defines): one byte carries two 16 kHz samples.
class G722Decoder final : public AudioDecoder {
 public:
  G722Decoder() : m_state(g722_decode_init(nullptr, 64000, 0)) {}
  ~G722Decoder() override { g722_decode_free(m_state); }
  G722Decoder(const G722Decoder&) = delete;
  G722Decoder& operator=(const G722Decoder&) = delete;
  Codec codec() const override { return Codec::G722; }
  std::uint32_t sampleRate() const override { return 16000; }
  std::uint32_t samplesPerTick() const override { return 2; }
  std::size_t samplesFor(std::size_t bytes) const override {
    return bytes <= kMaxPayload ? 2 * bytes : 0;
  }
  std::size_t decode(const std::uint8_t* payload, std::size_t bytes, std::int16_t* out) override {
    if (samplesFor(bytes) == 0 || m_state == nullptr) return 0;
    return static_cast<std::size_t>(g722_decode(m_state, out, payload, static_cast<int>(bytes)));
  }

 private:
  g722_decode_state_t* m_state;
};

/// G.729 / G.729A (one decoder: Annex A is bit-stream compatible) with Annex B: a payload is
/// 10-byte frames of 10 ms, optionally followed by one 2-byte SID frame (RFC 3551 4.5.6),
/// which the decoder turns into comfort noise.
class G729Decoder final : public AudioDecoder {
 public:
  static constexpr std::size_t kFrameBytes = 10;
  static constexpr std::size_t kSidBytes = 2;
  static constexpr std::size_t kFrameSamples = 80;

  G729Decoder() : m_state(initBcg729DecoderChannel()) {}
  ~G729Decoder() override { closeBcg729DecoderChannel(m_state); }
  G729Decoder(const G729Decoder&) = delete;
  G729Decoder& operator=(const G729Decoder&) = delete;
  Codec codec() const override { return Codec::G729; }
  std::uint32_t sampleRate() const override { return 8000; }
  std::uint32_t samplesPerTick() const override { return 1; }
  std::size_t samplesFor(std::size_t bytes) const override {
    if (bytes == 0 || bytes > kMaxPayload) return 0;
    const std::size_t rest = bytes % kFrameBytes;
    if (rest != 0 && rest != kSidBytes) return 0;
    return (bytes / kFrameBytes + (rest != 0 ? 1 : 0)) * kFrameSamples;
  }
  std::size_t decode(const std::uint8_t* payload, std::size_t bytes, std::int16_t* out) override {
    const std::size_t n = samplesFor(bytes);
    if (n == 0 || m_state == nullptr) return 0;
    std::size_t offset = 0;
    for (; offset + kFrameBytes <= bytes; offset += kFrameBytes, out += kFrameSamples) {
      bcg729Decoder(m_state, payload + offset, kFrameBytes, 0, 0, 0, out);
    }
    if (offset < bytes) bcg729Decoder(m_state, payload + offset, kSidBytes, 0, 1, 0, out);
    return n;
  }

 private:
  bcg729DecoderChannelContextStruct* m_state;
};

}  // namespace

std::string_view codecName(Codec codec) {
  switch (codec) {
    case Codec::Pcmu:
      return "PCMU";
    case Codec::Pcma:
      return "PCMA";
    case Codec::G722:
      return "G722";
    case Codec::G729:
      return "G729";
  }
  return "";
}

bool codecFromName(std::string_view name, Codec* out) {
  struct Entry {
    std::string_view name;
    Codec codec;
  };
  static constexpr Entry kNames[] = {
      {"PCMU", Codec::Pcmu},  {"PCMA", Codec::Pcma},  {"G722", Codec::G722},
      {"G729", Codec::G729},  {"G729A", Codec::G729}, {"G729B", Codec::G729},
      {"G.729", Codec::G729}, {"G.722", Codec::G722},
  };
  for (const Entry& e : kNames) {
    if (equalsIgnoreCase(name, e.name)) {
      *out = e.codec;
      return true;
    }
  }
  return false;
}

std::unique_ptr<AudioDecoder> AudioDecoder::create(Codec codec) {
  switch (codec) {
    case Codec::G722:
      return std::make_unique<G722Decoder>();
    case Codec::G729:
      return std::make_unique<G729Decoder>();
    case Codec::Pcmu:
    case Codec::Pcma:
      break;
  }
  return std::make_unique<G711Decoder>(codec);
}

std::uint32_t g711Peak(const std::uint8_t* payload, std::size_t bytes, bool alaw) {
  std::uint32_t peak = 0;
  for (std::size_t i = 0; i < bytes; ++i) {
    const int v = alaw ? alaw_to_linear(payload[i]) : ulaw_to_linear(payload[i]);
    peak = std::max(peak, static_cast<std::uint32_t>(v < 0 ? -v : v));
  }
  return peak;
}

double levelDbfs(std::uint32_t peak) {
  if (peak == 0) return -96.0;
  return std::max(-96.0, 20.0 * std::log10(static_cast<double>(peak) / 32768.0));
}

}  // namespace netlens::audio
