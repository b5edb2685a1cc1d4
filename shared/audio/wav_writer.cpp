// SPDX-License-Identifier: MIT
// The WAV writer of audio_file_writer.h.
#include <algorithm>
#include <array>
#include <limits>
#include <vector>

#include "shared/audio/audio_file_writer.h"

namespace netlens::audio {

namespace {

constexpr std::size_t kHeaderBytes = 44;

void put16(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v);
  p[1] = static_cast<std::uint8_t>(v >> 8);
}
void put32(std::uint8_t* p, std::uint32_t v) {
  put16(p, v);
  put16(p + 2, v >> 16);
}

class WavWriter final : public AudioFileWriter {
 public:
  bool open(const std::string& path, std::uint32_t sampleRate, int channels,
            std::string* error) override {
    if ((channels != 1 && channels != 2) || sampleRate == 0) {
      *error = "WAV: 1 or 2 channels and a sample rate are needed";
      return false;
    }
    m_rate = sampleRate;
    m_channels = channels;
    m_dataBytes = 0;
    if (!m_file.open(path, error)) return false;
    // The sizes are written by finish(); a placeholder header until then.
    const auto header = makeHeader();
    if (std::fwrite(header.data(), 1, header.size(), m_file.file()) != header.size()) {
      *error = m_file.ioError();
      return false;
    }
    return true;
  }

  bool write(const std::int16_t* frames, std::size_t count, std::string* error) override {
    const std::size_t samples = count * static_cast<std::size_t>(m_channels);
    if (m_dataBytes + samples * 2 > std::numeric_limits<std::uint32_t>::max() - kHeaderBytes) {
      *error = "WAV files end at 4 GiB: the audio is too long for one file";
      return false;
    }
    m_scratch.resize(samples * 2);
    for (std::size_t i = 0; i < samples; ++i) {
      put16(&m_scratch[i * 2], static_cast<std::uint16_t>(frames[i]));
    }
    if (std::fwrite(m_scratch.data(), 1, m_scratch.size(), m_file.file()) != m_scratch.size()) {
      *error = m_file.ioError();
      return false;
    }
    m_dataBytes += samples * 2;
    return true;
  }

  bool finish(std::string* error) override {
    const auto header = makeHeader();
    if (std::fseek(m_file.file(), 0, SEEK_SET) != 0 ||
        std::fwrite(header.data(), 1, header.size(), m_file.file()) != header.size()) {
      *error = m_file.ioError();
      return false;
    }
    return m_file.commit(error);
  }

 private:
  std::array<std::uint8_t, kHeaderBytes> makeHeader() const {
    std::array<std::uint8_t, kHeaderBytes> h{};
    const auto data = static_cast<std::uint32_t>(m_dataBytes);
    const auto blockAlign = static_cast<std::uint32_t>(m_channels * 2);
    std::copy_n("RIFF", 4, h.begin());
    put32(&h[4], 36 + data);
    std::copy_n("WAVEfmt ", 8, h.begin() + 8);
    put32(&h[16], 16);  // PCM format chunk
    put16(&h[20], 1);   // WAVE_FORMAT_PCM
    put16(&h[22], static_cast<std::uint32_t>(m_channels));
    put32(&h[24], m_rate);
    put32(&h[28], m_rate * blockAlign);
    put16(&h[32], blockAlign);
    put16(&h[34], 16);
    std::copy_n("data", 4, h.begin() + 36);
    put32(&h[40], data);
    return h;
  }

  AtomicFile m_file;
  std::uint32_t m_rate = 0;
  int m_channels = 1;
  std::uint64_t m_dataBytes = 0;
  std::vector<std::uint8_t> m_scratch;
};

}  // namespace

std::unique_ptr<AudioFileWriter> makeWavWriter() {
  return std::make_unique<WavWriter>();
}

}  // namespace netlens::audio
