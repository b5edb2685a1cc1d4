// SPDX-License-Identifier: MIT
#pragma once
// tshark's reference figures of the shared capture corpus (NETLENS_SHARED_DATA/pcaps, see
// reference/HOWTO.md there) for the corpus tests: the per-IP endpoint tables and the list of
// captures, plus the one capture whose records tshark and libpcap read differently.

#include <QDir>
#include <QFile>
#include <QString>
#include <QStringList>
#include <QTextStream>
#include <map>
#include <string>
#include <vector>

namespace netlens::tests {

inline QString pcapDir() {
  return QStringLiteral(NETLENS_SHARED_DATA "/pcaps");
}
inline QString referenceDir() {
  return pcapDir() + QStringLiteral("/reference");
}
inline QString capturePath(const QString& capture) {
  return pcapDir() + QLatin1Char('/') + capture;
}

/// One row of a tshark endpoint table (`-z endpoints,ip` / `endpoints,ipv6`).
struct EndpointFigures {
  quint64 packets = 0;
  quint64 bytes = 0;
  quint64 txPackets = 0;
  quint64 txBytes = 0;
  quint64 rxPackets = 0;
  quint64 rxBytes = 0;
  bool operator==(const EndpointFigures&) const = default;
};

/// Address as tshark prints it (IPv4 dotted, IPv6 compressed) → figures.
using EndpointTable = std::map<std::string, EndpointFigures>;

/// Figures from our per-host transmit and receive counters.
inline EndpointFigures endpointFigures(quint64 txPackets, quint64 txBytes, quint64 rxPackets,
                                       quint64 rxBytes) {
  return {txPackets + rxPackets, txBytes + rxBytes, txPackets, txBytes, rxPackets, rxBytes};
}

inline QString describe(const EndpointFigures& f) {
  return QStringLiteral("packets %1 bytes %2 tx %3/%4 rx %5/%6")
      .arg(f.packets)
      .arg(f.bytes)
      .arg(f.txPackets)
      .arg(f.txBytes)
      .arg(f.rxPackets)
      .arg(f.rxBytes);
}

/// Parses one tshark endpoint table: rows of "address packets bytes txp txb rxp rxb" between
/// the column header line and the closing "====" line, added to `out`.
inline bool parseEndpointTable(const QString& path, EndpointTable& out, QString& error) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
    error = QStringLiteral("cannot open ") + path;
    return false;
  }
  QTextStream in(&file);
  bool inTable = false;
  while (!in.atEnd()) {
    const QString line = in.readLine();
    if (line.contains(QLatin1String("|  Packets  |"))) {
      inTable = true;
      continue;
    }
    if (!inTable) continue;
    if (line.startsWith(QLatin1String("====="))) break;
    const QStringList f = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (f.isEmpty()) continue;
    if (f.size() != 7) {
      error = QStringLiteral("unexpected row in %1: %2").arg(path, line);
      return false;
    }
    EndpointFigures row;
    quint64* fields[] = {&row.packets, &row.bytes,     &row.txPackets,
                         &row.txBytes, &row.rxPackets, &row.rxBytes};
    for (int i = 0; i < 6; ++i) {
      bool ok = false;
      *fields[i] = f[i + 1].toULongLong(&ok);
      if (!ok) {
        error = QStringLiteral("bad number in %1: %2").arg(path, line);
        return false;
      }
    }
    out[f[0].toStdString()] = row;
  }
  if (!inTable) {
    error = QStringLiteral("no table in ") + path;
    return false;
  }
  return true;
}

/// Captures listed in INDEX.tsv with the given reference kind ("endpoints_ip").
inline QStringList capturesWithReference(const QString& kind) {
  QStringList out;
  QFile index(referenceDir() + QStringLiteral("/INDEX.tsv"));
  if (!index.open(QIODevice::ReadOnly | QIODevice::Text)) return out;
  QTextStream in(&index);
  in.readLine();  // header
  while (!in.atEnd()) {
    const QStringList cols = in.readLine().split(QLatin1Char('\t'));
    if (cols.size() < 3) continue;
    if (cols[2].split(QLatin1Char(' ')).contains(kind)) out << cols[0];
  }
  return out;
}

/// Captures with an IPv4 or an IPv6 endpoint table, in INDEX.tsv order.
inline QStringList capturesWithEndpoints() {
  QStringList all = capturesWithReference(QStringLiteral("endpoints_ip"));
  for (const QString& c : capturesWithReference(QStringLiteral("endpoints_ipv6"))) {
    if (!all.contains(c)) all << c;
  }
  return all;
}

/// Every capture file of the corpus, damaged ones included, by name.
inline QStringList allCaptures() {
  return QDir(pcapDir()).entryList({QStringLiteral("*.pcap"), QStringLiteral("*.pcapng")},
                                   QDir::Files, QDir::Name);
}

/// True when tshark reported a reading error for the capture (a damaged or cut-short file).
inline bool tsharkReportedReadError(const QString& capture) {
  return QFile::exists(referenceDir() + QLatin1Char('/') + capture + QStringLiteral(".errors.txt"));
}

/// tshark's IPv4 and IPv6 endpoint tables of a capture, merged.
inline bool loadTsharkEndpoints(const QString& capture, EndpointTable& out, QString& error) {
  for (const char* kind : {"endpoints_ip", "endpoints_ipv6"}) {
    const QString ref = referenceDir() + QLatin1Char('/') + capture + QLatin1Char('.') +
                        QLatin1String(kind) + QStringLiteral(".txt");
    if (!QFile::exists(ref)) continue;
    if (!parseEndpointTable(ref, out, error)) return false;
  }
  return true;
}

/// A capture whose records libpcap (our reader of classic pcap files, node/capture) and
/// tshark's wiretap read differently, so that the figures cannot agree. It is compared with
/// tshark's table as it is AND with our own figures written down here: a deliberate, tested
/// difference, not a skip.
struct ReaderDifference {
  const char* capture;
  const char* why;
  EndpointTable tshark;  ///< what the reference file must hold
  EndpointTable ours;    ///< what we must produce instead
};

inline const std::vector<ReaderDifference>& readerDifferences() {
  static const std::vector<ReaderDifference> list = {
      {"malformed_record_len_huge_fuzz.pcap",
       "A fuzzed classic pcap with the standard magic. Its second record header is garbage, "
       "so wiretap's format probe prefers the 'modified' pcap variant (24-byte record headers, "
       "ss991029) and reads the first frame from 8 bytes further on, where the EtherType is "
       "unknown (0x4000): no IP at all. libpcap reads standard records: the first frame is a "
       "valid IPv4 packet 192.168.0.0 -> 0.0.16.64 (188 bytes), then the second record is "
       "rejected. Both stop with an error; only the reading of record 1 differs.",
       {},
       {{"192.168.0.0", EndpointFigures{1, 188, 1, 188, 0, 0}},
        {"0.0.16.64", EndpointFigures{1, 188, 0, 0, 1, 188}}}},
  };
  return list;
}

/// The per-IP figures our node must produce for `capture`: tshark's tables, except for a
/// ReaderDifference, whose tshark table is first checked to be still the one explained.
/// `note` receives the explanation of a difference (empty otherwise).
inline bool expectedEndpoints(const QString& capture, EndpointTable& out, QString& error,
                              QString* note = nullptr) {
  out.clear();
  if (!loadTsharkEndpoints(capture, out, error)) return false;
  for (const ReaderDifference& d : readerDifferences()) {
    if (capture != QLatin1String(d.capture)) continue;
    if (out != d.tshark) {
      error = QStringLiteral("tshark's reference for %1 changed: re-check the reader difference")
                  .arg(capture);
      return false;
    }
    if (note) *note = QLatin1String(d.why);
    out = d.ours;
  }
  return true;
}

/// Differences between expected and actual tables, one readable line each (empty: equal).
inline QStringList compareEndpoints(const EndpointTable& expected, const EndpointTable& actual) {
  QStringList mismatches;
  for (const auto& [ip, want] : expected) {
    const auto it = actual.find(ip);
    if (it == actual.end()) {
      mismatches << QStringLiteral("missing %1 (tshark: %2)")
                        .arg(QString::fromStdString(ip), describe(want));
    } else if (!(it->second == want)) {
      mismatches << QStringLiteral("%1: ours %2, tshark %3")
                        .arg(QString::fromStdString(ip), describe(it->second), describe(want));
    }
  }
  for (const auto& [ip, got] : actual) {
    if (expected.count(ip) == 0) {
      mismatches
          << QStringLiteral("extra %1 (ours: %2)").arg(QString::fromStdString(ip), describe(got));
    }
  }
  return mismatches;
}

}  // namespace netlens::tests
