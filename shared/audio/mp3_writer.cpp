// SPDX-License-Identifier: MIT
// The MP3 writer of audio_file_writer.h.
#include <lame/lame.h>

#include <algorithm>
#include <vector>

#include "shared/audio/audio_file_writer.h"

namespace netlens::audio {

namespace {

class Mp3Writer final : public AudioFileWriter {
 public:
  ~Mp3Writer() override {
    if (m_lame != nullptr) lame_close(m_lame);
  }

  bool open(const std::string& path, std::uint32_t sampleRate, int channels,
            std::string* error) override {
    if ((channels != 1 && channels != 2) || sampleRate == 0) {
      *error = "MP3: 1 or 2 channels and a sample rate are needed";
      return false;
    }
    m_channels = channels;
    m_lame = lame_init();
    if (m_lame == nullptr) {
      *error = "MP3: the LAME encoder could not start";
      return false;
    }
    lame_set_num_channels(m_lame, channels);
    lame_set_in_samplerate(m_lame, static_cast<int>(sampleRate));
    lame_set_out_samplerate(m_lame, static_cast<int>(sampleRate));
    lame_set_mode(m_lame, channels == 1 ? MONO : JOINT_STEREO);
    lame_set_VBR(m_lame, vbr_default);
    lame_set_VBR_quality(m_lame, 4);
    // No ID3v2 tag, so the LAME tag frame is the file's first bytes (rewritten by finish()).
    lame_set_write_id3tag_automatic(m_lame, 0);
    lame_set_bWriteVbrTag(m_lame, 1);
    if (lame_init_params(m_lame) < 0) {
      *error = "MP3: LAME cannot encode " + std::to_string(sampleRate) + " Hz audio";
      return false;
    }
    return m_file.open(path, error);
  }

  bool write(const std::int16_t* frames, std::size_t count, std::string* error) override {
    constexpr std::size_t kStep = 8192;
    for (std::size_t done = 0; done < count;) {
      const std::size_t n = std::min(kStep, count - done);
      m_buffer.resize(n * 5 / 4 + 7200);  // LAME's worst case
      const std::int16_t* in = frames + done * static_cast<std::size_t>(m_channels);
      auto* pcm = const_cast<short*>(reinterpret_cast<const short*>(in));
      const int bytes =
          m_channels == 2
              ? lame_encode_buffer_interleaved(m_lame, pcm, static_cast<int>(n), m_buffer.data(),
                                               static_cast<int>(m_buffer.size()))
              : lame_encode_buffer(m_lame, pcm, pcm, static_cast<int>(n), m_buffer.data(),
                                   static_cast<int>(m_buffer.size()));
      if (bytes < 0) {
        *error = "MP3: LAME failed to encode (error " + std::to_string(bytes) + ")";
        return false;
      }
      if (!put(m_buffer.data(), static_cast<std::size_t>(bytes), error)) return false;
      done += n;
    }
    return true;
  }

  bool finish(std::string* error) override {
    m_buffer.resize(7200);
    const int bytes = lame_encode_flush(m_lame, m_buffer.data(), static_cast<int>(m_buffer.size()));
    if (bytes < 0) {
      *error = "MP3: LAME failed to finish (error " + std::to_string(bytes) + ")";
      return false;
    }
    if (!put(m_buffer.data(), static_cast<std::size_t>(bytes), error)) return false;
    // The LAME/Xing tag: length, encoder delay and padding, so playback is exact.
    m_buffer.resize(4096);
    const std::size_t tag = lame_get_lametag_frame(m_lame, m_buffer.data(), m_buffer.size());
    if (tag > 0 && tag <= m_buffer.size()) {
      if (std::fseek(m_file.file(), 0, SEEK_SET) != 0 || !put(m_buffer.data(), tag, error)) {
        if (error->empty()) *error = m_file.ioError();
        return false;
      }
    }
    return m_file.commit(error);
  }

 private:
  bool put(const unsigned char* data, std::size_t bytes, std::string* error) {
    if (bytes != 0 && std::fwrite(data, 1, bytes, m_file.file()) != bytes) {
      *error = m_file.ioError();
      return false;
    }
    return true;
  }

  lame_global_flags* m_lame = nullptr;
  AtomicFile m_file;
  int m_channels = 1;
  std::vector<unsigned char> m_buffer;
};

}  // namespace

std::unique_ptr<AudioFileWriter> makeMp3Writer() {
  return std::make_unique<Mp3Writer>();
}

}  // namespace netlens::audio
