// SPDX-License-Identifier: MIT
// bench_measure: runs one command and reports its wall time, CPU time and peak RSS, measured
// from the parent (wait4), so the figures cover the child alone and need no /usr/bin/time.
//
//   bench_measure [--stdout FILE] -- COMMAND [ARGS...]
//
// Prints one line on stderr and exits with the child's status (128 + signal if killed):
//   wall_s=1.234567 user_s=0.500000 sys_s=0.250000 maxrss_kib=12345 status=0
// POSIX only (Linux, macOS): the benchmark runs where the node runs.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

double seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

int usage() {
  std::fprintf(stderr, "usage: bench_measure [--stdout FILE] -- COMMAND [ARGS...]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string stdoutPath;
  int i = 1;
  for (; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--stdout" && i + 1 < argc) {
      stdoutPath = argv[++i];
    } else if (arg == "--") {
      ++i;
      break;
    } else {
      return usage();
    }
  }
  if (i >= argc) return usage();
  std::vector<char*> command(argv + i, argv + argc);
  command.push_back(nullptr);

  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) {
    std::perror("fork");
    return 127;
  }
  if (pid == 0) {
    if (!stdoutPath.empty()) {
      const int fd = open(stdoutPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) _exit(127);
      close(fd);
    }
    execvp(command[0], command.data());
    std::fprintf(stderr, "bench_measure: cannot run %s: %s\n", command[0], std::strerror(errno));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      std::perror("wait4");
      return 127;
    }
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
#ifdef __APPLE__
  const long maxRssKib = usage.ru_maxrss / 1024;  // bytes on macOS
#else
  const long maxRssKib = usage.ru_maxrss;  // KiB on Linux
#endif
  std::fprintf(stderr, "wall_s=%.6f user_s=%.6f sys_s=%.6f maxrss_kib=%ld status=%d\n", wall,
               seconds(usage.ru_utime), seconds(usage.ru_stime), maxRssKib, code);
  return code;
}
