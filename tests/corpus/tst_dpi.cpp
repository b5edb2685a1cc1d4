// SPDX-License-Identifier: MIT
// Application protocols from nDPI on corpus captures, and the memory rule: a connection
// holds nDPI's flow state only while detection runs (from its first payload packet until
// found, given up or closed), never for a connection without payload.

#include <QString>
#include <QTest>
#include <map>
#include <string>
#include <vector>

#include "node/analysis/connection_analyzer.h"
#include "node/analysis/host_analyzer.h"
#include "node/capture/pcap_source.h"
#include "shared/decoder/packet_decoder.h"
#include "tests/common/tshark_reference.h"

using namespace netlens::node::analysis;
namespace ref = netlens::tests;

namespace {

struct Run {
  std::vector<netlens::protocol::ConnectionRecord> connections;
  std::size_t detectingAtEnd = 0;
  std::size_t maxDetecting = 0;
};

Run analyse(const QString& capture) {
  Run run;
  std::string error;
  auto source =
      netlens::node::capture::PcapSource::openFile(ref::capturePath(capture).toStdString(), &error);
  if (!source) return run;
  HostAnalyzer hosts;
  ConnectionAnalyzer connections;
  netlens::node::capture::RawPacket raw;
  netlens::decoder::DecodedPacket packet;
  FlowSegment segment;
  while (source->next(raw) == netlens::node::capture::ReadStatus::Packet) {
    netlens::decoder::PacketDecoder::decode(raw.linkType, raw.data, raw.capturedLength,
                                            raw.wireLength, raw.timestampNs, packet);
    if (hosts.process(packet, &segment)) connections.process(segment);
    run.maxDetecting = std::max(run.maxDetecting, connections.detecting());
  }
  run.detectingAtEnd = connections.detecting();
  connections.collectAll(run.connections);
  return run;
}

bool startsWith(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

}  // namespace

class TestDpi : public QObject {
  Q_OBJECT

 private slots:
  void protocolsOfAMixedCapture() {
    const Run run = analyse(QStringLiteral("many_protocols_vlan_http_dns_tls.pcap"));
    QVERIFY(run.connections.size() > 100);
    std::map<std::string, int> families;
    for (const auto& c : run.connections) {
      if (c.serverPort == 53 && c.protocol == 17 && c.s2cPackets > 0) {
        QVERIFY2(startsWith(c.app, "DNS"), c.app.c_str());
      }
      if (c.serverPort == 443 && c.protocol == 6 && c.c2sBytes > 1000) {
        QVERIFY2(startsWith(c.app, "TLS") || c.app.find("QUIC") != std::string::npos,
                 c.app.c_str());
      }
      families[c.app.substr(0, c.app.find('.'))]++;
    }
    QVERIFY(families["DNS"] >= 50);
    QVERIFY(families["HTTP"] >= 20);
    QVERIFY(families["TLS"] >= 10);
  }

  void stateHeldOnlyWhileDetecting() {
    // Every connection here ends with FIN or RST or is found: nothing stays in detection.
    const Run run = analyse(QStringLiteral("http_browsing_bro_org.pcap"));
    QVERIFY(run.maxDetecting > 0);  // detection did hold state for a while
    std::size_t unfinished = 0;
    for (const auto& c : run.connections) {
      if (c.protocol == 6 && c.state != "closed" && c.state != "reset" && c.app.empty()) {
        ++unfinished;
      }
    }
    QVERIFY2(run.detectingAtEnd <= unfinished,
             qPrintable(QStringLiteral("%1 flows still hold nDPI state").arg(run.detectingAtEnd)));
    for (const auto& c : run.connections) {
      if (c.protocol == 6 && c.serverPort == 80 && c.c2sBytes > 500) {
        QVERIFY2(startsWith(c.app, "HTTP"), c.app.c_str());
      }
    }
  }

  void scansHoldNoState() {
    // SYNs without payload never allocate nDPI state.
    ConnectionAnalyzer a;
    for (std::uint16_t port = 1; port <= 200; ++port) {
      FlowSegment f;
      f.ts = port;
      f.wireLength = 60;
      f.src = *netlens::net::IpAddress::parse("192.0.2.1");
      f.dst = *netlens::net::IpAddress::parse("10.0.0.1");
      f.srcPort = 40000;
      f.dstPort = port;
      f.protocol = 6;
      f.tcpHeaderValid = true;
      f.tcpFlags = netlens::decoder::tcpflag::kSyn;
      a.process(f);
    }
    QCOMPARE(a.size(), std::size_t{200});
    QCOMPARE(a.detecting(), std::size_t{0});
  }
};

QTEST_GUILESS_MAIN(TestDpi)
#include "tst_dpi.moc"
