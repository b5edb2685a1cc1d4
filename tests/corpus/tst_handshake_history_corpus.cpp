// SPDX-License-Identifier: MIT
// The kept TCP handshake series of every address ("history" series handshake) against the
// connections the same run reports, for every capture of the corpus with TCP, with one and
// two workers: per address and role, the handshakes, the sum, minimum and maximum of their
// initial RTTs (server leg + client leg, which tst_connections checks against tshark's
// tcp.analysis.initial_rtt to the microsecond) and the rejected connections (state
// "rejected") over the whole capture equal those of the connection records. A rejected
// connection (SYN answered by RST/ACK, which ends tshark's initial RTT too) is no handshake.
// The series is read at 1 min and at 1 h resolution, so the roll-up of minima and maxima is
// checked on real traffic too; both must agree. A history keeps 3 hours of minutes and a
// week of hours: captures spanning more are compared where their rings reach (none, or
// hours only).

#include <QString>
#include <QStringList>
#include <QTest>
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "node/analysis/handshake_history.h"
#include "node/pipeline/pipeline.h"
#include "tests/common/tshark_reference.h"

namespace ref = netlens::tests;
using netlens::node::analysis::HandshakeHistory;
using netlens::node::analysis::Resolution;

namespace {

/// Handshake figures of one address in one role.
struct Figures {
  quint64 handshakes = 0;
  quint64 rttSumNs = 0;
  quint64 rttMinNs = 0;  ///< 0 without a handshake
  quint64 rttMaxNs = 0;
  quint64 rejected = 0;
  bool operator==(const Figures&) const = default;
};

QString describe(const Figures& f) {
  return QStringLiteral("handshakes=%1 sum=%2 min=%3 max=%4 rejected=%5")
      .arg(f.handshakes)
      .arg(f.rttSumNs)
      .arg(f.rttMinNs)
      .arg(f.rttMaxNs)
      .arg(f.rejected);
}

void addHandshake(Figures& f, quint64 rtt) {
  ++f.handshakes;
  f.rttSumNs += rtt;
  f.rttMinNs = f.rttMinNs == 0 ? rtt : std::min(f.rttMinNs, rtt);
  f.rttMaxNs = std::max(f.rttMaxNs, rtt);
}

/// (address, role) → figures; role 0 client, 1 server.
using Table = std::map<std::pair<std::string, int>, Figures>;

Table fromRecords(const std::vector<netlens::protocol::ConnectionRecord>& records) {
  Table t;
  for (const auto& r : records) {
    if (r.protocol != 6) continue;
    const std::string ends[2] = {r.clientIp.toString(), r.serverIp.toString()};
    for (int role = 0; role < 2; ++role) {
      Figures& f = t[{ends[role], role}];
      if (r.handshakeServerNs >= 0 && r.state != "rejected")
        addHandshake(f, static_cast<quint64>(r.handshakeServerNs + r.handshakeClientNs));
      if (r.state == "rejected") ++f.rejected;
    }
  }
  return t;
}

/// The series of `ip` at `resolution` folded over the whole capture.
bool fromSeries(const netlens::node::pipeline::Pipeline& p, const netlens::net::IpAddress& ip,
                Resolution resolution, Figures out[2], QString& error) {
  netlens::node::pipeline::HistoryQuery q;
  q.isGlobal = false;
  q.handshakes = true;
  q.ip = ip;
  q.resolution = resolution;
  netlens::protocol::HistoryReply reply;
  std::string problem;
  if (!p.history(q, &reply, &problem)) return false;  // no history: all zero
  if (reply.names != HandshakeHistory::names() || !reply.complete) {
    error = QStringLiteral("%1: unexpected names or an incomplete series")
                .arg(QString::fromStdString(ip.toString()));
    return false;
  }
  for (const auto& b : reply.buckets) {
    for (int role = 0; role < 2; ++role) {
      const std::size_t o = static_cast<std::size_t>(role) * HandshakeHistory::kColumns;
      Figures& f = out[role];
      f.handshakes += b.values[o + HandshakeHistory::Handshakes];
      f.rttSumNs += b.values[o + HandshakeHistory::RttSum];
      f.rejected += b.values[o + HandshakeHistory::Rejected];
      const quint64 lo = b.values[o + HandshakeHistory::RttMin];
      if (lo != 0) f.rttMinNs = f.rttMinNs == 0 ? lo : std::min(f.rttMinNs, lo);
      f.rttMaxNs = std::max<quint64>(f.rttMaxNs, b.values[o + HandshakeHistory::RttMax]);
    }
  }
  return true;
}

}  // namespace

class TestHandshakeHistoryCorpus : public QObject {
  Q_OBJECT

 private slots:
  void matchesConnections_data() {
    QTest::addColumn<QString>("capture");
    QTest::addColumn<int>("workers");
    for (const QString& c : ref::capturesWithReference(QStringLiteral("conv_tcp"))) {
      for (int workers : {1, 2})
        QTest::newRow(qPrintable(QStringLiteral("%1/%2w").arg(c).arg(workers))) << c << workers;
    }
  }

  void matchesConnections() {
    QFETCH(QString, capture);
    QFETCH(int, workers);
    netlens::node::pipeline::PipelineConfig config;
    config.workers = workers;
    config.connections.historyHandshakes = 1u << 16;  // every address keeps its series
    netlens::node::pipeline::Pipeline p(config);
    std::string error;
    QVERIFY2(p.addFile(ref::capturePath(capture).toStdString(), &error), error.c_str());
    p.start();
    p.waitForFiles();
    const auto records = p.connections();
    const netlens::protocol::GlobalStats global = p.global();
    const qint64 span = global.lastPacket - global.firstPacket;
    constexpr qint64 kHour = 3'600'000'000'000;
    const bool hoursReach = span < 167 * kHour;
    const bool minutesReach = span < 179 * kHour / 60;
    const Table want = fromRecords(records);
    QStringList problems;
    QString seriesError;
    std::map<std::string, netlens::net::IpAddress> addresses;
    for (const auto& r : records) {
      if (r.protocol != 6) continue;
      addresses[r.clientIp.toString()] = r.clientIp;
      addresses[r.serverIp.toString()] = r.serverIp;
    }
    for (const auto& [text, ip] : addresses) {
      Figures minutes[2];
      Figures hours[2];
      fromSeries(p, ip, Resolution::Minute, minutes, seriesError);
      fromSeries(p, ip, Resolution::Hour, hours, seriesError);
      for (int role = 0; role < 2; ++role) {
        const auto it = want.find({text, role});
        const Figures expected = it == want.end() ? Figures{} : it->second;
        const QString who =
            QStringLiteral("%1 as %2")
                .arg(QString::fromStdString(text), role == 0 ? QStringLiteral("client") : "server");
        if (hoursReach && !(hours[role] == expected))
          problems << QStringLiteral("%1: records %2, series %3")
                          .arg(who, describe(expected), describe(hours[role]));
        if (minutesReach && !(minutes[role] == hours[role]))
          problems << QStringLiteral("%1: minutes %2, hours %3")
                          .arg(who, describe(minutes[role]), describe(hours[role]));
      }
    }
    p.stop();
    QVERIFY2(seriesError.isEmpty(), qPrintable(seriesError));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 10).join(QLatin1Char('\n'))));
  }

  // The comparison can fail: the corpus has handshakes and a rejection (SYN → RST/ACK,
  // retried twice on the same ports) that the records and the series both see.
  void corpusHasHandshakesAndRejections() {
    netlens::node::pipeline::PipelineConfig config;
    netlens::node::pipeline::Pipeline p(config);
    std::string error;
    QVERIFY(p.addFile(
        ref::capturePath(QStringLiteral("sip_call_rtp_g711a_with_background.pcap")).toStdString(),
        &error));
    p.start();
    p.waitForFiles();
    const Table t = fromRecords(p.connections());
    const auto server = t.find({"64.69.76.21", 1});
    QVERIFY(server != t.end());
    QCOMPARE(server->second.rejected, quint64{1});
    QCOMPARE(server->second.handshakes, quint64{0});
    const auto client = t.find({"200.57.7.204", 0});
    QVERIFY(client != t.end());
    QVERIFY(client->second.handshakes >= 20);
    QVERIFY(client->second.rttMinNs < client->second.rttMaxNs);
    p.stop();
  }
};

QTEST_GUILESS_MAIN(TestHandshakeHistoryCorpus)
#include "tst_handshake_history_corpus.moc"
