// SPDX-License-Identifier: MIT
#include "shared/audio/audio_file_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "shared/audio/channel_mixer.h"

namespace netlens::audio {

AtomicFile::~AtomicFile() {
  discard();
}

void AtomicFile::discard() {
  if (m_file != nullptr) {
    std::fclose(m_file);
    m_file = nullptr;
  }
  if (!m_temporary.empty()) {
    ::unlink(m_temporary.c_str());
    m_temporary.clear();
  }
}

bool AtomicFile::open(const std::string& path, std::string* error) {
  discard();
  if (path.empty()) {
    *error = "no output file name given";
    return false;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    *error = "cannot write " + path + ": it is a folder";
    return false;
  }
  m_path = path;
  std::string templ = path + ".partXXXXXX";
  const int fd = ::mkstemp(templ.data());
  if (fd < 0) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  // mkstemp creates 0600, which stays: a call's audio is as private as its packets.
  m_temporary = templ;
  m_file = ::fdopen(fd, "wb");
  if (m_file == nullptr) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    ::close(fd);
    discard();
    return false;
  }
  return true;
}

std::string AtomicFile::ioError() const {
  return "cannot write " + m_path + ": " + std::strerror(errno != 0 ? errno : EIO);
}

bool AtomicFile::commit(std::string* error) {
  if (m_file == nullptr) {
    *error = "cannot write " + m_path + ": not open";
    return false;
  }
  errno = 0;
  const bool flushed = std::fflush(m_file) == 0 && ::fsync(::fileno(m_file)) == 0;
  const bool closed = std::fclose(m_file) == 0;
  m_file = nullptr;
  if (!flushed || !closed) {
    *error = ioError();
    discard();
    return false;
  }
  if (::rename(m_temporary.c_str(), m_path.c_str()) != 0) {
    *error = "cannot rename the finished file to " + m_path + ": " + std::strerror(errno);
    discard();
    return false;
  }
  m_temporary.clear();
  return true;
}

bool writeAudioFile(ChannelMixer& mixer, AudioFileWriter& writer, const std::string& path,
                    std::string* error) {
  if (!writer.open(path, mixer.sampleRate(), mixer.channels(), error)) return false;
  constexpr std::size_t kFrames = 8192;
  std::vector<std::int16_t> frames(kFrames * static_cast<std::size_t>(mixer.channels()));
  while (const std::size_t n = mixer.read(frames.data(), kFrames)) {
    if (!writer.write(frames.data(), n, error)) return false;
  }
  return writer.finish(error);
}

}  // namespace netlens::audio
