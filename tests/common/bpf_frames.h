// SPDX-License-Identifier: MIT
#pragma once

// The frames of a capture that a BPF expression selects (compiled by libpcap for the
// capture's link type) and those a tshark display filter selects: what the console's PCAP
// queries are checked against.

#include <pcap/pcap.h>

#include <QProcess>
#include <QString>
#include <QStringList>
#include <string>

namespace netlens::tests {

/// The frame numbers (from 1) of `capture` that `expression` selects, compiled for the
/// capture's link type on a dead handle; `error` set when it does not open or compile.
inline QStringList bpfFrames(const QString& capture, const std::string& expression,
                             QString* error) {
  char message[PCAP_ERRBUF_SIZE] = {};
  pcap_t* file = pcap_open_offline(capture.toLocal8Bit().constData(), message);
  if (!file) {
    *error = QString::fromLocal8Bit(message);
    return {};
  }
  pcap_t* dead = pcap_open_dead(pcap_datalink(file), 262144);
  bpf_program program{};
  QStringList frames;
  if (pcap_compile(dead, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
    *error = QString::fromLocal8Bit(pcap_geterr(dead));
  } else {
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    for (int frame = 1; pcap_next_ex(file, &header, &data) == 1; ++frame) {
      if (pcap_offline_filter(&program, header, data)) frames << QString::number(frame);
    }
    pcap_freecode(&program);
  }
  pcap_close(dead);
  pcap_close(file);
  return frames;
}

/// The frame numbers tshark's display filter selects; `ok` false when tshark fails.
inline QStringList tsharkFrames(const QString& capture, const QString& filter, bool* ok) {
  QProcess p;
  p.start(QStringLiteral("tshark"),
          {QStringLiteral("-r"), capture, QStringLiteral("-Y"), filter, QStringLiteral("-T"),
           QStringLiteral("fields"), QStringLiteral("-e"), QStringLiteral("frame.number")});
  *ok = p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
  return QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
}

}  // namespace netlens::tests
