// SPDX-License-Identifier: MIT
#pragma once
// tshark's `-z http_req,tree` reference tables (reference/*.http_req_tree.txt) for the tests.

#include <QFile>
#include <QRegularExpression>
#include <QString>
#include <map>

#include "tests/common/tshark_reference.h"

namespace netlens::tests {

/// HTTP requests of a capture: in total, per Host header and per Host and URI.
struct HttpCounts {
  quint64 total = 0;
  std::map<QString, quint64> hosts;
  std::map<QString, std::map<QString, quint64>> uris;
};

/// Parses a `-z http_req,tree` table. Rows end in five figures (count, rate, percent, burst
/// rate, burst start); the name before them is indented by one space for a host and two for
/// a URI under it. tshark prints an empty URI as a blank name: that is taken as a URI of the
/// current host (the per-host sums check it).
inline bool loadHttpRequestTree(const QString& capture, HttpCounts& out, QString& error) {
  const QString path =
      referenceDir() + QLatin1Char('/') + capture + QStringLiteral(".http_req_tree.txt");
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    error = QStringLiteral("cannot open ") + path;
    return false;
  }
  static const QRegularExpression row(
      QStringLiteral(R"(^(.*?)\s+(\d+)\s+([\d.]+)\s+([\d.]+%)\s+([\d.]+)\s+([\d.]+)\s*$)"));
  bool inTable = false;
  bool sawTotal = false;
  QString host;
  for (const QByteArray& raw : file.readAll().split('\n')) {
    const QString line = QString::fromUtf8(raw);
    if (line.startsWith(QLatin1String("Topic / Item"))) {
      inTable = true;
      continue;
    }
    if (!inTable || line.trimmed().isEmpty() || line.startsWith(QLatin1String("---"))) continue;
    const QRegularExpressionMatch m = row.match(line);
    if (!m.hasMatch()) {
      error = QStringLiteral("unexpected row in %1: %2").arg(path, line);
      return false;
    }
    const QString name = m.captured(1);
    const quint64 count = m.captured(2).toULongLong();
    if (name == QLatin1String("HTTP Requests by HTTP Host")) {
      out.total = count;
      sawTotal = true;
    } else if (name.startsWith(QLatin1String("  ")) || name.trimmed().isEmpty()) {
      if (host.isNull()) {
        error = QStringLiteral("URI before any host in ") + path;
        return false;
      }
      out.uris[host][name.mid(2)] += count;
    } else if (name.startsWith(QLatin1Char(' '))) {
      host = name.mid(1);
      out.hosts[host] += count;
    } else {
      error = QStringLiteral("unexpected row in %1: %2").arg(path, line);
      return false;
    }
  }
  for (const auto& [h, byUri] : out.uris) {
    quint64 sum = 0;
    for (const auto& [u, n] : byUri) sum += n;
    if (sum != out.hosts[h]) {
      error = QStringLiteral("URIs of %1 do not add up in %2").arg(h, path);
      return false;
    }
  }
  if (!sawTotal) error = QStringLiteral("no total in ") + path;
  return sawTotal;
}

}  // namespace netlens::tests
