// SPDX-License-Identifier: MIT
// stats::IpDetailBuilder over crafted connection records: peers and protocols from the
// address's side, open ports only where it answered a SYN, handshake RTTs per role and per
// bucket, HTTP and TLS server figures, QoS classes per direction; DurationSummary merges
// equal one summary of all samples. The corpus test tst_ip_detail_corpus checks the same
// code against tshark.

#include <QTest>
#include <cmath>
#include <random>
#include <vector>

#include "shared/net/service_names.h"
#include "shared/stats/ip_detail.h"

using namespace netlens;
using protocol::ConnectionRecord;
using protocol::TimeNs;

namespace {

net::IpAddress ip(const char* text) {
  return *net::IpAddress::parse(text);
}

constexpr TimeNs kSecond = 1'000'000'000;

ConnectionRecord tcp(const char* client, std::uint16_t clientPort, const char* server,
                     std::uint16_t serverPort, TimeNs start) {
  ConnectionRecord c;
  c.protocol = 6;
  c.clientIp = ip(client);
  c.clientPort = clientPort;
  c.serverIp = ip(server);
  c.serverPort = serverPort;
  c.firstSeen = start;
  c.lastSeen = start + kSecond;
  c.c2sPackets = 10;
  c.c2sBytes = 1000;
  c.s2cPackets = 20;
  c.s2cBytes = 30000;
  return c;
}

ConnectionRecord withHandshake(ConnectionRecord c, TimeNs serverLeg, TimeNs clientLeg) {
  c.handshakeServerNs = serverLeg;
  c.handshakeClientNs = clientLeg;
  c.state = "established";
  return c;
}

}  // namespace

class TestIpSummary : public QObject {
  Q_OBJECT

 private slots:
  void durationMergeEqualsOneSeries() {
    std::mt19937_64 random(7);
    std::uniform_int_distribution<TimeNs> value(1, 5'000'000);
    stats::DurationSummary all;
    stats::DurationSummary merged;
    std::vector<TimeNs> samples;
    for (int part = 0; part < 5; ++part) {
      stats::DurationSummary piece;
      for (int i = 0; i < 20 + part * 7; ++i) {
        const TimeNs v = value(random);
        samples.push_back(v);
        all.add(v);
        piece.add(v);
      }
      merged.merge(piece.stats());
    }
    double mean = 0;
    for (TimeNs v : samples) mean += static_cast<double>(v);
    mean /= static_cast<double>(samples.size());
    double variance = 0;
    for (TimeNs v : samples) variance += (static_cast<double>(v) - mean) * (v - mean);
    variance /= static_cast<double>(samples.size());
    for (const auto* s : {&all.stats(), &merged.stats()}) {
      QCOMPARE(s->count, samples.size());
      QCOMPARE(s->minNs, *std::min_element(samples.begin(), samples.end()));
      QCOMPARE(s->maxNs, *std::max_element(samples.begin(), samples.end()));
      QVERIFY(std::abs(s->meanNs - mean) < 1e-6 * mean);
      QVERIFY(std::abs(s->stddevNs - std::sqrt(variance)) < 1e-6 * std::sqrt(variance));
    }
    stats::DurationSummary empty;
    empty.merge(protocol::ResponseTimeStats{});
    QCOMPARE(empty.stats().count, 0u);
  }

  void peersProtocolsAndRoles() {
    const auto me = ip("10.0.0.1");
    std::vector<ConnectionRecord> records;
    records.push_back(tcp("10.0.0.1", 40000, "192.0.2.7", 443, 100 * kSecond));
    records.back().app = "TLS";
    records.back().serverCountry = "SE";
    records.push_back(tcp("10.0.0.1", 40001, "192.0.2.7", 443, 101 * kSecond));
    records.back().app = "TLS";
    records.push_back(tcp("198.51.100.9", 5000, "10.0.0.1", 22, 102 * kSecond));
    records.back().app = "SSH";
    records.push_back(tcp("198.51.100.9", 5001, "192.0.2.7", 80, 103 * kSecond));  // not ours

    const stats::IpDetail d = stats::summarizeIp(me, records, 60 * kSecond);
    QCOMPARE(d.connections, 3u);
    QCOMPARE(d.asClient, 2u);
    QCOMPARE(d.asServer, 1u);
    QCOMPARE(d.lastNewConnection, 102 * kSecond);
    QCOMPARE(d.peers.size(), std::size_t(2));
    // Most bytes first: two connections to 192.0.2.7.
    QCOMPARE(d.peers[0].ip, ip("192.0.2.7"));
    QCOMPARE(d.peers[0].country, std::string("SE"));
    QCOMPARE(d.peers[0].traffic.connections, 2u);
    QCOMPARE(d.peers[0].traffic.txBytes, 2000u);
    QCOMPARE(d.peers[0].traffic.rxBytes, 60000u);
    QCOMPARE(d.peers[0].traffic.firstSeen, 100 * kSecond);
    QCOMPARE(d.peers[0].traffic.lastSeen, 102 * kSecond);
    // As the server of the SSH connection, it sent the s2c direction.
    QCOMPARE(d.peers[1].ip, ip("198.51.100.9"));
    QCOMPARE(d.peers[1].traffic.txPackets, 20u);
    QCOMPARE(d.peers[1].traffic.rxPackets, 10u);
    QCOMPARE(d.protocols.size(), std::size_t(2));
    QCOMPARE(d.protocols[0].app, std::string("TLS"));
    QCOMPARE(d.protocols[1].app, std::string("SSH"));
    QCOMPARE(d.protocols[1].traffic.txBytes, 30000u);
  }

  // A group is summarised as one address: each member end counts from its side; a
  // connection between two members counts once, in both roles, and its traffic both ways.
  void groupOfAddresses() {
    std::vector<ConnectionRecord> records;
    records.push_back(withHandshake(tcp("10.0.0.1", 40000, "192.0.2.7", 443, 100 * kSecond), 1000,
                                    2000));  // member as client
    records.back().app = "TLS";
    records.push_back(withHandshake(tcp("198.51.100.9", 5000, "10.0.0.2", 22, 101 * kSecond), 3000,
                                    4000));  // member as server
    records.back().app = "SSH";
    records.push_back(withHandshake(tcp("10.0.0.1", 40001, "10.0.0.2", 22, 102 * kSecond), 5000,
                                    6000));  // inside the group
    records.back().app = "SSH";
    records.push_back(tcp("198.51.100.9", 5001, "192.0.2.7", 80, 103 * kSecond));  // outside
    const auto isMember = [](const net::IpAddress& a) {
      return a == ip("10.0.0.1") || a == ip("10.0.0.2");
    };
    const stats::IpDetail d = stats::IpDetailBuilder::summarize(isMember, records, 60 * kSecond);
    QCOMPARE(d.connections, 3u);
    QCOMPARE(d.asClient, 2u);
    QCOMPARE(d.asServer, 2u);
    QCOMPARE(d.newAsClient.answered, 2u);
    QCOMPARE(d.newAsServer.answered, 2u);
    QCOMPARE(d.handshakeAsClient.count, 2u);
    QCOMPARE(d.handshakeAsServer.count, 2u);
    QCOMPARE(d.handshakeAsServer.minNs, 7000);
    QCOMPARE(d.handshakeAsServer.maxNs, 11000);
    QCOMPARE(d.serverPorts.size(), std::size_t(1));
    QCOMPARE(d.serverPorts[0].port, std::uint16_t(22));
    QCOMPARE(d.serverPorts[0].connections, 2u);
    QCOMPARE(d.serverPorts[0].clients, 2u);
    // Peers: 192.0.2.7, 198.51.100.9 and each member as the other's peer.
    QCOMPARE(d.peers.size(), std::size_t(4));
    // The internal SSH connection counts once, with what both members sent and received.
    QCOMPARE(d.protocols.size(), std::size_t(2));
    const auto& ssh = d.protocols[0].app == "SSH" ? d.protocols[0] : d.protocols[1];
    QCOMPARE(ssh.app, std::string("SSH"));
    QCOMPARE(ssh.traffic.connections, 2u);
    QCOMPARE(ssh.traffic.txBytes, 30000u + 1000u + 30000u);
    QCOMPARE(ssh.traffic.rxBytes, 1000u + 30000u + 1000u);

    // One address talking to itself: both roles, one peer with one connection.
    const auto self = stats::summarizeIp(
        ip("127.0.0.1"),
        {withHandshake(tcp("127.0.0.1", 40000, "127.0.0.1", 8080, kSecond), 10, 20)}, kSecond);
    QCOMPARE(self.connections, 1u);
    QCOMPARE(self.asClient, 1u);
    QCOMPARE(self.asServer, 1u);
    QCOMPARE(self.serverPorts.size(), std::size_t(1));
    QCOMPARE(self.peers.size(), std::size_t(1));
    QCOMPARE(self.peers[0].traffic.connections, 1u);
    QCOMPARE(self.protocols[0].traffic.connections, 1u);
  }

  void openPortsAndHandshakes() {
    const auto me = ip("2001:db8::1");
    std::vector<ConnectionRecord> records;
    // Answered: two clients on 443, one of them twice; one on 8080.
    records.push_back(withHandshake(tcp("2001:db8::a", 1, "2001:db8::1", 443, 10 * kSecond),
                                    1'000'000, 3'000'000));
    records.push_back(withHandshake(tcp("2001:db8::a", 2, "2001:db8::1", 443, 70 * kSecond),
                                    2'000'000, 2'000'000));
    records.push_back(
        withHandshake(tcp("2001:db8::b", 3, "2001:db8::1", 443, 75 * kSecond), 500'000, 500'000));
    records.push_back(
        withHandshake(tcp("2001:db8::b", 4, "2001:db8::1", 8080, 76 * kSecond), 100'000, 100'000));
    // A SYN/ACK without the client's ACK still shows an open port, with no RTT.
    ConnectionRecord halfOpen = tcp("2001:db8::c", 5, "2001:db8::1", 25, 80 * kSecond);
    halfOpen.handshakeServerNs = 300'000;
    records.push_back(halfOpen);
    // Refused, mid-stream and UDP: no open port.
    ConnectionRecord refused = tcp("2001:db8::c", 6, "2001:db8::1", 23, 81 * kSecond);
    refused.state = "rejected";
    records.push_back(refused);
    // Refused by RST/ACK: the node records tshark's initial RTT (which ends at the RST/ACK,
    // with no server leg), but it is neither a handshake nor an open port.
    ConnectionRecord refusedWithAck =
        withHandshake(tcp("2001:db8::c", 11, "2001:db8::1", 22, 81 * kSecond), 0, 5'000'000);
    refusedWithAck.state = "rejected";
    records.push_back(refusedWithAck);
    records.push_back(tcp("2001:db8::c", 7, "2001:db8::1", 3306, 82 * kSecond));
    ConnectionRecord udp = tcp("2001:db8::c", 8, "2001:db8::1", 53, 83 * kSecond);
    udp.protocol = 17;
    records.push_back(udp);
    // As a client.
    records.push_back(withHandshake(tcp("2001:db8::1", 9, "2001:db8::d", 443, 84 * kSecond),
                                    7'000'000, 1'000'000));

    ConnectionRecord unanswered = tcp("2001:db8::c", 10, "2001:db8::1", 443, 85 * kSecond);
    unanswered.state = "syn-sent";
    records.push_back(unanswered);

    const stats::IpDetail d = stats::summarizeIp(me, records, 60 * kSecond);
    // New connections to it: 5 answered (one half-open), 2 refused, 1 unanswered; the
    // mid-stream and UDP ones are not new TCP connections.
    QCOMPARE(d.newAsServer.answered, 5u);
    QCOMPARE(d.newAsServer.rejected, 2u);
    QCOMPARE(d.newAsServer.unanswered, 1u);
    QCOMPARE(d.newAsClient.answered, 1u);
    QCOMPARE(d.newAsClient.total(), 1u);
    QCOMPARE(d.serverPorts.size(), std::size_t(3));
    QCOMPARE(d.serverPorts[0].port, std::uint16_t(25));
    QCOMPARE(d.serverPorts[0].service, std::string("smtp"));
    QCOMPARE(d.serverPorts[1].port, std::uint16_t(443));
    QCOMPARE(d.serverPorts[1].service, std::string("https"));
    QCOMPARE(d.serverPorts[1].connections, 3u);
    QCOMPARE(d.serverPorts[1].clients, 2u);
    QCOMPARE(d.serverPorts[1].firstSeen, 10 * kSecond);
    QCOMPARE(d.serverPorts[1].lastSeen, 76 * kSecond);
    QCOMPARE(d.serverPorts[2].port, std::uint16_t(8080));
    QCOMPARE(d.serverPorts[2].service, std::string("http-alt"));

    QCOMPARE(d.handshakeAsServer.count, 4u);
    QCOMPARE(d.handshakeAsServer.minNs, TimeNs(200'000));
    QCOMPARE(d.handshakeAsServer.maxNs, TimeNs(4'000'000));
    QCOMPARE(d.handshakeAsServer.meanNs, (4e6 + 4e6 + 1e6 + 2e5) / 4);
    QCOMPARE(d.handshakeAsClient.count, 1u);
    QCOMPARE(d.handshakeAsClient.meanNs, 8e6);
    // Buckets of 60 s by connection start: [0, 60) has one, [60, 120) the other four.
    QCOMPARE(d.handshakes.size(), std::size_t(2));
    QCOMPARE(d.handshakes[0].start, TimeNs(0));
    QCOMPARE(d.handshakes[0].asServer.count, 1u);
    QCOMPARE(d.handshakes[0].asClient.count, 0u);
    QCOMPARE(d.handshakes[1].start, 60 * kSecond);
    QCOMPARE(d.handshakes[1].asServer.count, 3u);
    QCOMPARE(d.handshakes[1].asServer.maxNs, TimeNs(4'000'000));
    QCOMPARE(d.handshakes[1].asClient.count, 1u);
    // The same connections over time: [0, 60) one answered; [60, 120) four answered (the
    // half-open one included), the two refused and the unanswered one as server, one as
    // client.
    QCOMPARE(d.newConnections.size(), std::size_t(2));
    QCOMPARE(d.newConnections[0].start, TimeNs(0));
    QCOMPARE(d.newConnections[0].asServer.answered, 1u);
    QCOMPARE(d.newConnections[0].asServer.total(), 1u);
    QCOMPARE(d.newConnections[0].asClient.total(), 0u);
    QCOMPARE(d.newConnections[1].start, 60 * kSecond);
    QCOMPARE(d.newConnections[1].asServer.answered, 4u);
    QCOMPARE(d.newConnections[1].asServer.rejected, 2u);
    QCOMPARE(d.newConnections[1].asServer.unanswered, 1u);
    QCOMPARE(d.newConnections[1].asClient.answered, 1u);
    QCOMPARE(d.newConnections[1].asClient.total(), 1u);
  }

  void httpAndTlsServer() {
    const auto me = ip("192.0.2.80");
    std::vector<ConnectionRecord> records;
    for (int i = 0; i < 3; ++i) {
      ConnectionRecord c = tcp("10.1.1.1", 1000 + i, "192.0.2.80", 80, (10 + i) * kSecond);
      protocol::HttpInfo h;
      h.host = i < 2 ? "a.example" : "b.example";
      h.url = "/page" + std::to_string(i);
      h.requests = 2;
      h.statusFamilies = {0, 1, 0, 1, 0};
      h.responseTime.count = 2;
      h.responseTime.minNs = 1000 * (i + 1);
      h.responseTime.maxNs = 3000 * (i + 1);
      h.responseTime.meanNs = 2000.0 * (i + 1);
      h.responseTime.stddevNs = 1000.0 * (i + 1);
      c.http = h;
      records.push_back(c);
    }
    ConnectionRecord tls = tcp("10.1.1.1", 2000, "192.0.2.80", 443, 20 * kSecond);
    protocol::TlsInfo t;
    t.serverName = "a.example";
    t.version = 0x0304;
    t.cipher = 0x1301;
    t.helloNs = 4'000'000;
    t.firstDataNs = 9'000'000;
    tls.tls = t;
    records.push_back(tls);
    ConnectionRecord asClient = tcp("192.0.2.80", 3000, "10.9.9.9", 443, 21 * kSecond);
    t.serverName = "upstream.example";
    t.version = 0x0303;
    t.cipher = 0xC02F;
    asClient.tls = t;
    records.push_back(asClient);

    const stats::IpDetail d = stats::summarizeIp(me, records, kSecond);
    const stats::HttpServerDetail& h = d.httpServer;
    QCOMPARE(h.connections, 3u);
    QCOMPARE(h.requests, 6u);
    QCOMPARE(h.statusFamilies[1], 3u);
    QCOMPARE(h.statusFamilies[3], 3u);
    QCOMPARE(h.hosts.at("a.example"), 4u);
    QCOMPARE(h.hosts.at("b.example"), 2u);
    QCOMPARE(h.lastHost, std::string("b.example"));
    QCOMPARE(h.lastUrl, std::string("/page2"));
    QCOMPARE(h.responseTime.count, 6u);
    QCOMPARE(h.responseTime.minNs, TimeNs(1000));
    QCOMPARE(h.responseTime.maxNs, TimeNs(9000));
    QCOMPARE(h.responseTime.meanNs, 4000.0);
    // Samples {1000,3000}, {2000,6000}, {3000,9000}: squared deviations from 4000 sum to 44e6.
    QVERIFY(std::abs(h.responseTime.stddevNs - std::sqrt(44e6 / 6)) < 1e-6);

    QCOMPARE(d.tlsAsServer.handshakes, 1u);
    QCOMPARE(d.tlsAsServer.versions.at(0x0304), 1u);
    QCOMPARE(d.tlsAsServer.ciphers.at(0x1301), 1u);
    QCOMPARE(d.tlsAsServer.serverNames.at("a.example"), 1u);
    QCOMPARE(d.tlsAsServer.helloTime.meanNs, 4e6);
    QCOMPARE(d.tlsAsServer.firstDataTime.maxNs, TimeNs(9'000'000));
    QCOMPARE(d.tlsAsClient.handshakes, 1u);
    QCOMPARE(d.tlsAsClient.serverNames.at("upstream.example"), 1u);
    QCOMPARE(d.tlsAsClient.versions.at(0x0303), 1u);
  }

  void qosClassesPerDirection() {
    const auto me = ip("10.0.0.1");
    std::vector<ConnectionRecord> records;
    ConnectionRecord voice = tcp("10.0.0.1", 1, "10.0.0.2", 5060, kSecond);
    voice.c2sQos.dscp = 46;  // what we send
    voice.s2cQos.dscp = 46;  // what we receive: same class, one connection
    voice.c2sQos.vlanPcp = 5;
    voice.s2cQos.vlanPcp = 5;
    voice.s2cQos.vlanPcpChanged = true;
    records.push_back(voice);
    ConnectionRecord bulk = tcp("10.0.0.3", 2, "10.0.0.1", 80, kSecond);
    bulk.c2sQos.dscp = 0;   // received by us (we are the server)
    bulk.s2cQos.dscp = 10;  // sent by us
    bulk.s2cQos.dscpChanged = true;
    records.push_back(bulk);

    const stats::IpDetail d = stats::summarizeIp(me, records, kSecond);
    std::map<std::pair<stats::QosKind, int>, stats::QosClassDetail> byClass;
    for (const auto& q : d.qos) byClass[{q.kind, q.value}] = q;
    QCOMPARE(byClass.size(), std::size_t(4));
    const auto& ef = byClass.at({stats::QosKind::Dscp, 46});
    QCOMPARE(ef.traffic.connections, 1u);
    QCOMPARE(ef.traffic.txPackets, 10u);
    QCOMPARE(ef.traffic.rxPackets, 20u);
    QCOMPARE(ef.changedConnections, 0u);
    const auto& pcp5 = byClass.at({stats::QosKind::VlanPcp, 5});
    QCOMPARE(pcp5.traffic.connections, 1u);
    QCOMPARE(pcp5.changedConnections, 1u);
    const auto& af11 = byClass.at({stats::QosKind::Dscp, 10});
    QCOMPARE(af11.traffic.txPackets, 20u);  // the server's direction of `bulk`
    QCOMPARE(af11.traffic.rxPackets, 0u);
    QCOMPARE(af11.changedConnections, 1u);
    const auto& cs0 = byClass.at({stats::QosKind::Dscp, 0});
    QCOMPARE(cs0.traffic.rxPackets, 10u);
    QCOMPARE(cs0.traffic.txPackets, 0u);
    // Directions without a VLAN tag (-1) or MPLS make no class.
    QVERIFY(!byClass.count({stats::QosKind::MplsTc, -1}));
  }

  void names() {
    QCOMPARE(net::dscpName(46), std::string_view("EF"));
    QCOMPARE(net::dscpName(34), std::string_view("AF41"));
    QCOMPARE(net::dscpName(0), std::string_view("CS0"));
    QCOMPARE(net::dscpName(3), std::string_view());
    QCOMPARE(net::pcpName(1), std::string_view("BK"));
    QCOMPARE(net::pcpName(5), std::string_view("VO"));
    QCOMPARE(net::pcpName(8), std::string_view());
    QCOMPARE(net::tcpServiceName(22), std::string_view("ssh"));
    QCOMPARE(net::tcpServiceName(3389), std::string_view("ms-wbt-server"));
    QCOMPARE(net::tcpServiceName(40000), std::string_view());
    QCOMPARE(net::tcpServiceName(0), std::string_view());
    QCOMPARE(net::tcpServiceName(65535), std::string_view());
  }
};

QTEST_GUILESS_MAIN(TestIpSummary)
#include "tst_ip_summary.moc"
