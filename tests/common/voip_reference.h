// SPDX-License-Identifier: MIT
#pragma once
// tshark's VoIP reference figures (NETLENS_SHARED_DATA/pcaps/reference, see HOWTO.md there):
// `-z rtp,streams` tables (*.rtp_streams.txt) and `-z sip,stat` (*.sip_stat.txt).

#include <QFile>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTextStream>
#include <map>
#include <string>
#include <vector>

namespace netlens::tests {

/// One row of `tshark -z rtp,streams`, numbers as printed (3 decimals for times).
struct RtpStreamReference {
  QString srcIp, dstIp;
  int srcPort = 0, dstPort = 0;
  quint32 ssrc = 0;
  QStringList payloads;  ///< "g711A", "CN", "RTPType-100"...
  qint64 packets = 0;
  qint64 lost = 0;
  double maxDeltaMs = 0;
  double meanJitterMs = 0;
  double maxJitterMs = 0;
  QString key() const {
    return QStringLiteral("%1:%2>%3:%4/0x%5")
        .arg(srcIp)
        .arg(srcPort)
        .arg(dstIp)
        .arg(dstPort)
        .arg(ssrc, 8, 16, QLatin1Char('0'));
  }
};

/// Parses the rows of an rtp,streams table; false with `error` on a row it cannot read.
inline bool loadRtpStreams(const QString& path, std::vector<RtpStreamReference>& out,
                           QString& error) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
    error = QStringLiteral("cannot open ") + path;
    return false;
  }
  QTextStream in(&file);
  while (!in.atEnd()) {
    const QString line = in.readLine();
    QStringList f = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    // Data rows start with the start time; the header row with "Start".
    if (f.size() < 17 || !f[0].contains(QLatin1Char('.')) || f[0].toDouble() < 0 ||
        f[0] == QLatin1String("Start")) {
      continue;
    }
    if (f.last() == QLatin1String("X")) f.removeLast();
    // From the end: min/mean/max delta, min/mean/max jitter, "(p%)", lost, packets.
    const int n = static_cast<int>(f.size());
    RtpStreamReference r;
    r.srcIp = f[2];
    r.srcPort = f[3].toInt();
    r.dstIp = f[4];
    r.dstPort = f[5].toInt();
    bool ok = false;
    r.ssrc = f[6].mid(2).toUInt(&ok, 16);
    r.maxJitterMs = f[n - 1].toDouble();
    r.meanJitterMs = f[n - 2].toDouble();
    r.maxDeltaMs = f[n - 4].toDouble();
    r.lost = f[n - 8].toLongLong();
    r.packets = f[n - 9].toLongLong();
    const QString payload = f.mid(7, n - 9 - 7).join(QLatin1Char(' '));
    for (const QString& p : payload.split(QLatin1Char(','), Qt::SkipEmptyParts))
      r.payloads << p.trimmed();
    if (!ok || r.payloads.isEmpty()) {
      error = QStringLiteral("unexpected row in %1: %2").arg(path, line);
      return false;
    }
    out.push_back(r);
  }
  return true;
}

/// `tshark -z sip,stat`: request methods and response codes → packets.
struct SipStatReference {
  std::map<std::string, quint64> methods;
  std::map<int, quint64> responses;
};

inline bool loadSipStat(const QString& path, SipStatReference& out, QString& error) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
    error = QStringLiteral("cannot open ") + path;
    return false;
  }
  static const QRegularExpression response(
      QStringLiteral("^\\s+SIP (\\d{3}) .*:\\s+(\\d+) Packets"));
  static const QRegularExpression method(QStringLiteral("^\\s+([A-Za-z]+)\\s+:\\s+(\\d+) Packets"));
  QTextStream in(&file);
  while (!in.atEnd()) {
    const QString line = in.readLine();
    if (auto m = response.match(line); m.hasMatch()) {
      out.responses[m.captured(1).toInt()] += m.captured(2).toULongLong();
    } else if (auto m2 = method.match(line); m2.hasMatch()) {
      out.methods[m2.captured(1).toStdString()] += m2.captured(2).toULongLong();
    }
  }
  return true;
}

}  // namespace netlens::tests
