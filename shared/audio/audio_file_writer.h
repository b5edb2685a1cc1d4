// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

namespace netlens::audio {

/// A file written under a temporary name in the target's folder and renamed to the target
/// only when complete, so a failed or interrupted export never leaves a half file under the
/// name asked for. The temporary file is removed unless commit() succeeded.
/// Not thread-safe; owns its FILE handle.
class AtomicFile {
 public:
  AtomicFile() = default;
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Creates the temporary file (mode 0644 less the umask); false with `error` naming the
  /// path and the reason (no such folder, permission denied...).
  bool open(const std::string& path, std::string* error);
  std::FILE* file() const { return m_file; }
  /// Flushes, closes and renames onto the target; false with `error` set on failure.
  bool commit(std::string* error);
  /// Describes the last I/O error of the file for `error` messages.
  std::string ioError() const;

 private:
  void discard();
  std::string m_path;
  std::string m_temporary;
  std::FILE* m_file = nullptr;
};

/// Writes interleaved 16-bit PCM frames to an audio file. Use: open, write..., finish.
/// A writer that is destroyed without finish() leaves nothing behind. Not thread-safe.
class AudioFileWriter {
 public:
  virtual ~AudioFileWriter() = default;
  /// `channels` is 1 or 2. False with `error` set (unwritable path, bad parameters).
  virtual bool open(const std::string& path, std::uint32_t sampleRate, int channels,
                    std::string* error) = 0;
  virtual bool write(const std::int16_t* frames, std::size_t count, std::string* error) = 0;
  /// Completes the file and gives it its name.
  virtual bool finish(std::string* error) = 0;
};

/// RIFF/WAVE, PCM 16-bit little-endian. Files up to 4 GiB (the format's limit); refuses more.
std::unique_ptr<AudioFileWriter> makeWavWriter();
/// MP3 through LAME: VBR (quality 4, about 24–40 kbit/s for narrowband speech), the input's
/// sample rate kept (MPEG-2.5 at 8 kHz, MPEG-2 at 16 kHz), mono or joint stereo, with the
/// LAME/Xing tag so players know the exact length (encoder delay and padding).
std::unique_ptr<AudioFileWriter> makeMp3Writer();

class ChannelMixer;
/// Opens `writer` on `path` with the mixer's rate and channels and writes all its frames.
/// False with `error` set; nothing is left at `path` then.
bool writeAudioFile(ChannelMixer& mixer, AudioFileWriter& writer, const std::string& path,
                    std::string* error);

}  // namespace netlens::audio
