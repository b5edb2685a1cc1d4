// SPDX-License-Identifier: MIT
// The layer-7 parsers (HttpParser, TlsParser, with TcpStreamCursor in front) on the shared
// capture corpus against tshark:
// - HTTP: request counts in all, per Host and per Host and URI equal tshark's
//   `-z http_req,tree` reference (NETLENS_SHARED_DATA/pcaps/reference/*.http_req_tree.txt)
//   for every capture that has one;
// - TLS: per TCP connection the ClientHello (SNI, number of cipher suites, supported versions,
//   ALPN) and the ServerHello (negotiated version, cipher suite, ALPN) with the times of both
//   equal what tshark 4.0.17 reports (table below);
// - the deliberate differences (QUIC, SSLv2) are tested as such;
// - every capture of the corpus goes through both parsers without trouble.
//
// Connections are followed as the connection analyser will: the innermost TCP header of each
// packet, both directions through a TcpStreamCursor each (retransmitted bytes dropped), every
// connection offered to both parsers, which recognise their protocol by content, on any port.

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTest>
#include <QTextStream>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "node/analysis/http_parser.h"
#include "node/analysis/tcp_stream_cursor.h"
#include "node/analysis/tls_parser.h"
#include "node/capture/pcap_source.h"
#include "shared/decoder/packet_decoder.h"
#include "tests/common/tshark_reference.h"

using namespace netlens::node::analysis;
using netlens::decoder::DecodedPacket;
using netlens::decoder::PacketDecoder;
namespace ipproto = netlens::decoder::ipproto;
namespace tcpflag = netlens::decoder::tcpflag;
namespace ref = netlens::tests;

namespace {

// ---- what tshark says ----

/// HTTP requests as `tshark -z http_req,tree` counts them: every request in "HTTP Requests by
/// HTTP Host", those with a Host header under their host, and under it per request URI.
struct HttpCounts {
  quint64 total = 0;
  std::map<QString, quint64> hosts;
  std::map<QString, std::map<QString, quint64>> uris;
};

/// Parses a `-z http_req,tree` table. Rows end in five figures (count, rate, percent, burst
/// rate, burst start); the name before them is indented by one space for a host and two for
/// a URI under it. tshark prints an empty URI as a blank name: that is taken as a URI of the
/// current host (the per-host sums check it).
bool loadHttpRequestTree(const QString& capture, HttpCounts& out, QString& error) {
  const QString path =
      ref::referenceDir() + QLatin1Char('/') + capture + QStringLiteral(".http_req_tree.txt");
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

/// One TLS connection as tshark 4.0.17 shows it. Obtained with
///   tshark -n -r F -Y 'tcp && (tls.handshake.type==1 || tls.handshake.type==2)' -T fields
///     -e tcp.stream -e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst -e tcp.dstport
///     -e tls.handshake.type -e tls.handshake.extensions_server_name -e tls.handshake.version
///     -e tls.handshake.extensions.supported_version -e tls.handshake.ciphersuite
///     -e tls.handshake.extensions_alpn_str -e frame.time_epoch
/// on each capture, one row per tcp.stream: the ClientHello's sender, receiver, SNI, number of
/// cipher suites, supported_versions and ALPN lists and frame time; the ServerHello's version
/// (supported_versions when present, else the version field), cipher suite, ALPN and frame
/// time (0 when tshark saw no ServerHello). Addresses are those of the innermost IP header.
struct TlsExpectation {
  const char* capture;
  const char* client;
  const char* server;
  const char* serverName;
  int suites;
  const char* supportedVersions;
  const char* alpn;
  std::int64_t clientHelloNs;
  std::uint16_t version;
  std::uint16_t cipherSuite;
  const char* serverAlpn;
  std::int64_t serverHelloNs;
};

const TlsExpectation kTlsExpectations[] = {
    // tls10_ecdhe_rsa.pcap
    {"tls10_ecdhe_rsa.pcap", "192.168.4.195:55726", "172.217.6.78:443", "", 50, "", "",
     1511906732400035000, 0x0301, 0xc013, "", 1511906732425180000},
    // tls11_ecdhe_rsa.pcap
    {"tls11_ecdhe_rsa.pcap", "192.168.17.58:62987", "216.58.192.14:443", "", 50, "", "",
     1512072318429417000, 0x0302, 0xc013, "", 1512072318461906000},
    // tls12_dhe_camellia.pcap
    {"tls12_dhe_camellia.pcap", "192.168.18.50:62277", "162.219.2.166:443", "", 2, "", "",
     1398558136319509000, 0x0303, 0x0088, "", 1398558136429589000},
    // tls13_chrome_x25519kyber.pcap
    {"tls13_chrome_x25519kyber.pcap", "0.0.51.217:13783", "142.250.200.14:443", "lh3.google.com",
     16, "0x8a8a,0x0304,0x0303", "h2,http/1.1", 1716310155414855000, 0x0304, 0x1301, "",
     1716310155444931000},
    // vxlan_outer_vlan_tls_dns.pcap
    {"vxlan_outer_vlan_tls_dns.pcap", "10.10.20.4:45226", "157.240.224.35:443", "facebook.com", 31,
     "0x0304,0x0303,0x0302,0x0301", "", 1639650442721478000, 0x0304, 0x1303, "",
     1639650442731370000},
    {"vxlan_outer_vlan_tls_dns.pcap", "10.10.20.4:45228", "157.240.224.35:443", "www.facebook.com",
     31, "0x0304,0x0303,0x0302,0x0301", "", 1639650442942182000, 0x0304, 0x1303, "",
     1639650442953531000},
    // format_pcapng_many_interfaces.pcapng
    {"format_pcapng_many_interfaces.pcapng", "192.168.1.139:50981", "74.125.228.227:443",
     "clients6.google.com", 17, "", "http/1.1,spdy/3.1,h2-14,h2", 1439753727958125000, 0x0303,
     0xc02b, "h2", 1439753727984989000},
    {"format_pcapng_many_interfaces.pcapng", "192.168.1.139:50982", "74.125.228.227:443",
     "clients6.google.com", 17, "", "http/1.1,spdy/3.1,h2-14,h2", 1439753728290414000, 0, 0, "", 0},
    // malformed_record_len_huge_tls.pcap
    {"malformed_record_len_huge_tls.pcap", "127.0.0.1:50802", "127.0.0.1:10443", "", 68, "", "",
     1429518024029295000, 0x0303, 0xc014, "", 1429518024029385000},
    // sip_tcp_retrans_linux_sll.pcap
    {"sip_tcp_retrans_linux_sll.pcap", "192.168.1.252:52796", "192.168.1.3:443", "", 14, "",
     "h2,http/1.1", 1507433576691480000, 0x0303, 0xc02f, "", 1507433576691571000},
    {"sip_tcp_retrans_linux_sll.pcap", "192.168.1.252:52797", "192.168.1.3:443", "", 14, "",
     "h2,http/1.1", 1507433576695320000, 0x0303, 0xc02f, "", 1507433576695391000},
    // mixed_http_dns_dhcp_tls_retrans.pcap
    {"mixed_http_dns_dhcp_tls_retrans.pcap", "192.168.5.16:53623", "192.168.115.75:443",
     "192.168.115.75", 37, "", "", 1470104381239406000, 0x0303, 0x002f, "", 1470104381243027000},
    {"mixed_http_dns_dhcp_tls_retrans.pcap", "192.168.5.16:53625", "192.168.115.75:443",
     "192.168.115.75", 37, "", "", 1470104402240297000, 0x0303, 0x002f, "", 1470104402243893000},
    {"mixed_http_dns_dhcp_tls_retrans.pcap", "192.168.5.16:53626", "192.168.115.75:443",
     "192.168.115.75", 37, "", "", 1470104414302554000, 0x0303, 0x002f, "", 1470104414305856000},
    {"mixed_http_dns_dhcp_tls_retrans.pcap", "192.168.5.16:53629", "192.168.115.75:443",
     "192.168.115.75", 37, "", "", 1470104423248266000, 0x0303, 0x002f, "", 1470104423251782000},
    // many_protocols_vlan_http_dns_tls.pcap
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55194", "173.194.78.104:443",
     "www.google.com", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290295433097000, 0x0303, 0xc02f,
     "spdy/3.1", 1420290295544390000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55232", "31.13.93.3:443",
     "www.facebook.com", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290299821690000, 0x0303, 0xc02b,
     "", 1420290299930108000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55241", "172.224.37.171:443",
     "s-static.ak.facebook.com", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290300501992000, 0x0303,
     0x0005, "", 1420290300666463000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55242", "212.199.202.50:443",
     "fbstatic-a.akamaihd.net", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290300613064000, 0x0303,
     0x0005, "", 1420290300635135000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55243", "212.199.202.50:443",
     "fbstatic-a.akamaihd.net", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290300766756000, 0x0303,
     0x0005, "", 1420290300817449000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55254", "212.199.202.50:443",
     "fbstatic-a.akamaihd.net", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290301320859000, 0x0303,
     0x0005, "", 1420290301344165000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55263", "212.58.244.114:443",
     "ssl.bbc.co.uk", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290306409633000, 0x0303, 0x002f, "",
     1420290306502857000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55304", "64.233.166.94:443",
     "www.google.co.il", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290316135150000, 0x0303, 0xc02f,
     "spdy/3.1", 1420290316244936000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55305", "212.199.219.221:443",
     "ssl.gstatic.com", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290316732235000, 0x0303, 0xc02b,
     "spdy/3.1", 1420290316836203000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55306", "212.199.219.227:443",
     "www.gstatic.com", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290317050242000, 0x0303, 0xc02b,
     "spdy/3.1", 1420290317153816000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55307", "212.199.219.226:443",
     "apis.google.com", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290317056000000, 0x0303, 0xc02b,
     "spdy/3.1", 1420290317162430000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55308", "173.194.115.255:443",
     "id.google.co.il", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290320479541000, 0x0303, 0xc02f,
     "spdy/3.1", 1420290320718937000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55309", "212.199.219.227:443",
     "www.gstatic.com", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290320640785000, 0x0303, 0xc02b,
     "spdy/3.1", 1420290320747248000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55310", "212.199.219.226:443",
     "apis.google.com", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290320687271000, 0x0303, 0xc02b,
     "spdy/3.1", 1420290320793773000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55311", "176.9.42.179:443",
     "img.cybersear.ch", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290320820721000, 0x0303, 0x0033,
     "", 1420290320939370000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55313", "176.9.42.179:443",
     "img.cybersear.ch", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290321687629000, 0x0303, 0x0033,
     "", 1420290321802085000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55314", "176.9.42.179:443",
     "img.cybersear.ch", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290321691612000, 0x0303, 0x0033,
     "", 1420290321817962000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55315", "176.9.42.179:443",
     "img.cybersear.ch", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290321810677000, 0x0303, 0x0033,
     "", 1420290321927324000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55316", "176.9.42.179:443",
     "img.cybersear.ch", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290321819038000, 0x0303, 0x0033,
     "", 1420290321966936000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55317", "176.9.42.179:443",
     "img.cybersear.ch", 16, "", "spdy/3.1,spdy/3,http/1.1", 1420290321820760000, 0x0303, 0x0033,
     "", 1420290321961976000},
    // tls_many_sites_sni_tls12_tls13.pcapng
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.12.169:46160", "69.171.250.20:443",
     "edge-mqtt.facebook.com", 3, "0x0304,0xfb1a", "h2,h2-fb", 1595957694181636000, 0xfb1a, 0x1301,
     "", 1595957694188758000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.250:41878", "92.122.95.99:443",
     "vcs-va.tiktokv.com", 17, "0xfafa,0x0304,0x0303,0x0302,0x0301", "h2,http/1.1",
     1623221441893147000, 0x0304, 0x1302, "", 1623221441911029000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.227:50071", "52.73.71.226:443",
     "presence.fuze.com", 16, "0xcaca,0x0304,0x0303,0x0302,0x0301", "h2,http/1.1",
     1623222051854478000, 0x0303, 0xc02f, "h2", 1623222051957659000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:50620", "91.198.174.208:443",
     "upload.wikimedia.org", 18, "0x0304,0x0303", "h2,http/1.1", 1623223596004515000, 0x0304,
     0x1302, "", 1623223596052201000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:46724", "199.232.82.109:443",
     "f.vimeocdn.com", 16, "0x9a9a,0x0304,0x0303,0x0302,0x0301", "h2,http/1.1", 1631088115376494727,
     0x0303, 0xc02f, "h2", 1631088115392643925},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:48918", "143.204.9.65:443",
     "prod-static.disney-plus.net", 17, "0x0304,0x0303", "h2,http/1.1", 1637349011396134536, 0x0304,
     0x1301, "", 1637349011405023473},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.12.169:39248", "23.12.104.83:443",
     "api.accuweather.com", 17, "0x0304,0x0303,0x0302,0x0301", "http/1.1", 1642584017683650851,
     0x0304, 0x1302, "", 1642584017706175327},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:35054", "31.222.67.112:443",
     "www.badoo.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482623941304416, 0x0304, 0x1302, "",
     1646482623982001414},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:53998", "172.65.251.78:443",
     "www.gitlab.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482634434348131, 0x0304, 0x1301, "",
     1646482634459323107},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:42580", "2.17.141.128:443",
     "www.activision.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482646648976934, 0x0303, 0xc030,
     "http/1.1", 1646482646665639363},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:46084", "146.75.62.167:443",
     "gql.twitch.tv", 17, "0x0304,0x0303", "h2,http/1.1", 1646482659945895238, 0x0304, 0x1301, "",
     1646482659961974111},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:51806", "18.66.196.102:443",
     "soundcloud.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482724464401494, 0x0304, 0x1301, "",
     1646482724472137384},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:48140", "23.1.66.79:443",
     "cdn.cnn.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482753507544716, 0x0304, 0x1302, "",
     1646482753526341839},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:40832", "2.17.141.49:443",
     "www.ebay.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482759982731758, 0x0304, 0x1302, "",
     1646482760002525311},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:42884", "185.125.190.21:443",
     "assets.ubuntu.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482772294676896, 0x0304, 0x1302,
     "", 1646482772325972530},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:51432", "95.101.195.214:443",
     "hulu.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482791170130502, 0x0304, 0x1302, "",
     1646482791191818646},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:47122", "35.201.112.136:443",
     "kerve.last.fm", 17, "0x0304,0x0303", "h2,http/1.1", 1646482802732248679, 0x0304, 0x1301, "",
     1646482802742412408},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:43412", "151.101.193.73:443",
     "www.bloomberg.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482844798597384, 0x0303, 0xc02f,
     "h2", 1646482844815877649},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:57014", "108.139.210.102:443",
     "sourcepointcmp.bloomberg.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482845241664998,
     0x0304, 0x1301, "", 1646482845260491550},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:48654", "13.107.42.14:443",
     "www.linkedin.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482860092199072, 0x0303, 0xc030,
     "h2", 1646482860115809951},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:39934", "104.23.98.190:443",
     "pastebin.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482866451722183, 0x0304, 0x1301, "",
     1646482866473555731},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:57336", "23.1.68.189:443",
     "www.playstation.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482879590126161, 0x0303, 0xc02f,
     "h2", 1646482879608912205},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:46264", "23.51.246.65:443",
     "static.playstation.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482879983523139, 0x0304,
     0x1302, "", 1646482879998959125},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:43150", "108.138.199.67:443",
     "deezer.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482896921314042, 0x0304, 0x1301, "",
     1646482896928135312},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:38858", "142.250.180.142:443",
     "maps.google.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482940491250301, 0x0304, 0x1301, "",
     1646482940513505005},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:48902", "2.17.140.63:443",
     "account.xbox.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646482995711939625, 0x0304, 0x1302,
     "", 1646482995732146206},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:39828", "40.97.160.2:443",
     "outlook.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646483012643710896, 0x0303, 0xc030, "",
     1646483012821897588},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:45898", "15.160.39.187:443",
     "guzzoni.apple.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646495488882948731, 0x0304, 0x1301,
     "", 1646495488890513870},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:57878", "52.113.194.132:443",
     "teams.office.com", 16, "0x1a1a,0x0304,0x0303", "h2,http/1.1", 1646495650768482019, 0x0303,
     0xc030, "h2", 1646495650804336438},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:33664", "108.138.185.106:443",
     "www.primevideo.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646495669817020800, 0x0304, 0x1301,
     "", 1646495669824646186},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:56458", "142.250.185.142:443",
     "drive.google.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646495697805649956, 0x0304, 0x1301,
     "", 1646495697827917611},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:33102", "13.81.118.91:443",
     "onedrive.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646495710381269110, 0x0303, 0xc030, "h2",
     1646495710415159362},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:56836", "13.107.42.13:443",
     "onedrive.live.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646495710557378025, 0x0303, 0xc030,
     "h2", 1646495710577591832},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:45014", "129.226.107.210:443",
     "www.iflix.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646495750202078968, 0x0303, 0xc02f,
     "http/1.1", 1646495750523473377},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:50608", "142.250.185.206:443",
     "googleplus.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646495836983510508, 0x0304, 0x1301, "",
     1646495837006974540},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:53978", "208.85.40.158:443",
     "pandora.com", 17, "0x0304,0x0303", "h2,http/1.1", 1646568788341620000, 0x0303, 0xc030, "h2",
     1646568788508204000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.88.231:33920", "185.5.161.203:443",
     "origin-a.akamaihd.net", 57, "0x0304,0x0303,0x0302,0x0301", "", 1705785496323878091, 0x0304,
     0x1302, "", 1705785496365954949},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.88.231:49950", "159.153.191.240:443",
     "accounts.ea.com", 57, "0x0304,0x0303,0x0302,0x0301", "", 1705785448817415102, 0x0303, 0x0035,
     "", 1705785448958025483},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.245:54690", "160.44.196.198:443",
     "cloud.huawei.com", 17, "0x0304,0x0303", "h2,http/1.1", 1708371748057866000, 0x0303, 0xc030,
     "http/1.1", 1708371748089469000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.245:49558", "80.158.42.215:443",
     "id7.cloud.huawei.com", 17, "0x0304,0x0303", "h2,http/1.1", 1708371748618338000, 0x0303,
     0xc030, "http/1.1", 1708371748641934000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "[2001:b07:a3d:c112:c044:a6d4:80d:5d55]:39970",
     "[2600:9000:25ea:1200:1:12d8:5a00:93a1]:443", "contentcenter-dre.dbankcdn.com", 17,
     "0x0304,0x0303", "h2,http/1.1", 1708371750158421000, 0x0304, 0x1301, "", 1708371750161724000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "[2001:b07:a3d:c112:9a00:ba78:86b1:e177]:48594",
     "[2001:67c:4e8:f004::9]:443", "web.telegram.org", 17, "0x0304,0x0303", "h2,http/1.1",
     1708719352792127000, 0x0304, 0x1302, "", 1708719352810168000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "[2001:b07:a3d:c112:9a00:ba78:86b1:e177]:48616",
     "[2001:67c:4e8:f004::9]:443", "t.me", 17, "0x0304,0x0303", "h2,http/1.1", 1708719353834468000,
     0x0304, 0x1302, "", 1708719353853009000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "[2001:b07:a3d:c112:9a00:ba78:86b1:e177]:48624",
     "[2001:67c:4e8:f004::9]:443", "telegram.me", 17, "0x0304,0x0303", "h2,http/1.1",
     1708719353843817000, 0x0304, 0x1302, "", 1708719353862648000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.245:46174", "5.61.23.30:443",
     "732231.ms.ok.ru", 17, "0x0304,0x0303", "h2,http/1.1", 1708962497356463698, 0x0303, 0xc02f,
     "http/1.1", 1708962497402582192},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.88.171:55272", "116.211.202.129:443",
     "opportunarch.iqiyi.com", 31, "0x0304,0x0303,0x0302,0x0301", "h2,http/1.1",
     1713874727498785000, 0x0304, 0x1302, "", 1713874727797620000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.88.171:55468", "184.86.2.194:443",
     "stc.iqiyipic.com", 16, "0xcaca,0x0304,0x0303", "h2,http/1.1", 1713874733276281000, 0x0304,
     0x1302, "", 1713874733301391000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.88.171:55280", "124.237.225.21:443",
     "msg.qy.net", 31, "0x0304,0x0303,0x0302,0x0301", "h2,http/1.1", 1713874727909731000, 0x0304,
     0x1302, "", 1713874728206225000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.88.171:49217", "54.208.106.218:443",
     "meet27083742.adobeconnect.com", 16, "0x0a0a,0x0304,0x0303", "h2,http/1.1",
     1713890981788767000, 0x0304, 0x1301, "", 1713890981928323000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.245:50142", "3.136.49.254:443", "bsky.app",
     17, "0x0304,0x0303", "h2,http/1.1", 1714854984209200871, 0x0304, 0x1301, "",
     1714854984327006587},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.245:55362", "44.218.3.81:443",
     "bsky.social", 17, "0x0304,0x0303", "h2,http/1.1", 1714854989037367727, 0x0304, 0x1301, "",
     1714854989133315038},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.245:33212", "15.204.197.32:443",
     "enoki.us-east.host.bsky.network", 17, "0x0304,0x0303", "h2,http/1.1", 1714854993438910114,
     0x0304, 0x1302, "", 1714854993534151689},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "[2001:b07:a3d:c112:6ea5:ab52:9230:ba5]:35968",
     "[2a04:4e42:c00::347]:443", "mastodon.social", 17, "0x0304,0x0303", "h2,http/1.1",
     1714855508638270027, 0x0304, 0x1301, "", 1714855508643170108},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.245:58624", "104.16.156.111:443",
     "s1.nordcdn.com", 17, "0x0304,0x0303", "h2,http/1.1", 1722431353929964000, 0x0304, 0x1301, "",
     1722431353952901000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.183:44102", "146.70.182.51:443",
     "it-mil-v086.prod.surfshark.com", 16, "0x2a2a,0x0304,0x0303", "h2,http/1.1",
     1722540110195491851, 0x0304, 0x1301, "", 1722540110198757031},
};

/// The first application-data record of each direction of each TLS connection. Obtained from
///   tshark -n -r F -Y 'tls && tcp' -T fields -e tcp.stream -e ip.src -e ipv6.src
///     -e tcp.srcport -e ip.dst -e ipv6.dst -e tcp.dstport -e frame.number -e frame.time_epoch
///     -e tls.record.content_type -e tls.record.opaque_type -e tls.handshake.type
///     -e tcp.segment -e tls.handshake.extensions.supported_version
/// by taking, per direction, the first record of type 23 (tshark's content_type up to TLS 1.2,
/// opaque_type in TLS 1.3) and the time of the frame holding its record header. For TLS 1.3
/// connections (ServerHello selecting 0x0304 or a draft) TlsParser's documented rule was
/// applied to tshark's records: the client's first type-23 record is its Finished, its second
/// one the data; the server's first data is its first type-23 record after the client's
/// Finished. Three records span several segments: tshark shows them on their last segment,
/// our time is the segment with the record header (the first of tshark's tcp.segment list).
/// Captures of kTlsExpectations without a row here have no application data at all.
struct FirstApplicationData {
  const char* capture;
  const char* sender;
  const char* receiver;
  std::int64_t timeNs;
};
const FirstApplicationData kFirstApplicationData[] = {
    {"tls12_dhe_camellia.pcap", "192.168.18.50:62277", "162.219.2.166:443", 1398558139244298000},
    {"tls12_dhe_camellia.pcap", "162.219.2.166:443", "192.168.18.50:62277", 1398558139948051000},
    {"tls13_chrome_x25519kyber.pcap", "142.250.200.14:443", "0.0.51.217:13783",
     1716310155468286000},
    {"vxlan_outer_vlan_tls_dns.pcap", "10.10.20.4:45226", "157.240.224.35:443",
     1639650442742240000},
    {"vxlan_outer_vlan_tls_dns.pcap", "157.240.224.35:443", "10.10.20.4:45226",
     1639650442742413000},
    {"vxlan_outer_vlan_tls_dns.pcap", "10.10.20.4:45228", "157.240.224.35:443",
     1639650442965248000},
    {"vxlan_outer_vlan_tls_dns.pcap", "157.240.224.35:443", "10.10.20.4:45228",
     1639650442965615000},
    {"format_pcapng_many_interfaces.pcapng", "192.168.1.139:50981", "74.125.228.227:443",
     1439753727987070000},
    {"format_pcapng_many_interfaces.pcapng", "74.125.228.227:443", "192.168.1.139:50981",
     1439753728032830000},
    {"sip_tcp_retrans_linux_sll.pcap", "192.168.1.252:52797", "192.168.1.3:443",
     1507433576697106000},
    {"sip_tcp_retrans_linux_sll.pcap", "192.168.1.3:443", "192.168.1.252:52797",
     1507433576703164000},
    {"mixed_http_dns_dhcp_tls_retrans.pcap", "192.168.5.16:53623", "192.168.115.75:443",
     1470104381288980000},
    {"mixed_http_dns_dhcp_tls_retrans.pcap", "192.168.115.75:443", "192.168.5.16:53623",
     1470104381315313000},
    {"mixed_http_dns_dhcp_tls_retrans.pcap", "192.168.5.16:53625", "192.168.115.75:443",
     1470104402286260000},
    {"mixed_http_dns_dhcp_tls_retrans.pcap", "192.168.115.75:443", "192.168.5.16:53625",
     1470104402321439000},
    {"mixed_http_dns_dhcp_tls_retrans.pcap", "192.168.5.16:53580", "31.13.87.36:443",
     1470104414296205000},
    {"mixed_http_dns_dhcp_tls_retrans.pcap", "31.13.87.36:443", "192.168.5.16:53580",
     1470104414301578000},
    {"mixed_http_dns_dhcp_tls_retrans.pcap", "192.168.5.16:53626", "192.168.115.75:443",
     1470104414359120000},
    {"mixed_http_dns_dhcp_tls_retrans.pcap", "192.168.115.75:443", "192.168.5.16:53626",
     1470104414381027000},
    {"mixed_http_dns_dhcp_tls_retrans.pcap", "31.13.87.1:443", "192.168.5.16:53578",
     1470104419061215000},
    {"mixed_http_dns_dhcp_tls_retrans.pcap", "192.168.5.16:53578", "31.13.87.1:443",
     1470104419103565000},
    {"mixed_http_dns_dhcp_tls_retrans.pcap", "192.168.5.16:53629", "192.168.115.75:443",
     1470104423298822000},
    {"mixed_http_dns_dhcp_tls_retrans.pcap", "192.168.115.75:443", "192.168.5.16:53629",
     1470104423322983000},
    {"many_protocols_vlan_http_dns_tls.pcap", "173.194.78.104:443", "10.0.0.1:55194",
     1420290295668279000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55194", "173.194.78.104:443",
     1420290295719656000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55232", "31.13.93.3:443",
     1420290299976996000},
    {"many_protocols_vlan_http_dns_tls.pcap", "31.13.93.3:443", "10.0.0.1:55232",
     1420290300033650000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55243", "212.199.202.50:443",
     1420290300849361000},
    {"many_protocols_vlan_http_dns_tls.pcap", "212.199.202.50:443", "10.0.0.1:55243",
     1420290300901544000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55254", "212.199.202.50:443",
     1420290301344741000},
    {"many_protocols_vlan_http_dns_tls.pcap", "212.199.202.50:443", "10.0.0.1:55254",
     1420290301381447000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55263", "212.58.244.114:443",
     1420290306602698000},
    {"many_protocols_vlan_http_dns_tls.pcap", "212.58.244.114:443", "10.0.0.1:55263",
     1420290306703329000},  // record over frames 1645-1647, tshark shows it on 1647
    {"many_protocols_vlan_http_dns_tls.pcap", "64.233.166.94:443", "10.0.0.1:55304",
     1420290316369554000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55304", "64.233.166.94:443",
     1420290316387540000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55305", "212.199.219.221:443",
     1420290316847325000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55306", "212.199.219.227:443",
     1420290317165635000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55307", "212.199.219.226:443",
     1420290317175765000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55308", "173.194.115.255:443",
     1420290320727295000},
    {"many_protocols_vlan_http_dns_tls.pcap", "173.194.115.255:443", "10.0.0.1:55308",
     1420290320963951000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55309", "212.199.219.227:443",
     1420290320759724000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55310", "212.199.219.226:443",
     1420290320805697000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55311", "176.9.42.179:443",
     1420290321453417000},
    {"many_protocols_vlan_http_dns_tls.pcap", "176.9.42.179:443", "10.0.0.1:55311",
     1420290321570604000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55313", "176.9.42.179:443",
     1420290321802759000},
    {"many_protocols_vlan_http_dns_tls.pcap", "176.9.42.179:443", "10.0.0.1:55313",
     1420290321925111000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55314", "176.9.42.179:443",
     1420290321818557000},
    {"many_protocols_vlan_http_dns_tls.pcap", "176.9.42.179:443", "10.0.0.1:55314",
     1420290321951220000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55315", "176.9.42.179:443",
     1420290321933015000},
    {"many_protocols_vlan_http_dns_tls.pcap", "176.9.42.179:443", "10.0.0.1:55315",
     1420290322055935000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55316", "176.9.42.179:443",
     1420290321970330000},
    {"many_protocols_vlan_http_dns_tls.pcap", "176.9.42.179:443", "10.0.0.1:55316",
     1420290322101414000},
    {"many_protocols_vlan_http_dns_tls.pcap", "10.0.0.1:55317", "176.9.42.179:443",
     1420290321962340000},
    {"many_protocols_vlan_http_dns_tls.pcap", "176.9.42.179:443", "10.0.0.1:55317",
     1420290322085475000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.250:41878", "92.122.95.99:443",
     1623221441940660000},  // record over frames 17-18, tshark shows it on 18
    {"tls_many_sites_sni_tls12_tls13.pcapng", "92.122.95.99:443", "192.168.1.250:41878",
     1623221441955633000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.227:50071", "52.73.71.226:443",
     1623222051962130000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "52.73.71.226:443", "192.168.1.227:50071",
     1623222052059801000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:50620", "91.198.174.208:443",
     1623223596058851000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "91.198.174.208:443", "192.168.1.128:50620",
     1623223596104644000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:48918", "143.204.9.65:443",
     1637349011407163306},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "143.204.9.65:443", "192.168.1.128:48918",
     1637349011414827314},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "23.12.104.83:443", "192.168.12.169:39248",
     1642584017824090921},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.12.169:39248", "23.12.104.83:443",
     1642584017825472918},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.245:54690", "160.44.196.198:443",
     1708371748119765000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "160.44.196.198:443", "192.168.1.245:54690",
     1708371748165667000},  // record over frames 523-524, tshark shows it on 524
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.245:49558", "80.158.42.215:443",
     1708371748664777000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "80.158.42.215:443", "192.168.1.245:49558",
     1708371748699472000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "[2001:b07:a3d:c112:c044:a6d4:80d:5d55]:39970",
     "[2600:9000:25ea:1200:1:12d8:5a00:93a1]:443", 1708371750168987000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.245:46174", "5.61.23.30:443",
     1708962497450134803},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "5.61.23.30:443", "192.168.1.245:46174",
     1708962497495394034},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.245:58624", "104.16.156.111:443",
     1722431353954106000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "104.16.156.111:443", "192.168.1.245:58624",
     1722431353974503000},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.183:44102", "146.70.182.51:443",
     1722540110199486229},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "146.70.182.51:443", "192.168.1.183:44102",
     1722540110288971687},
};

/// Where our ServerHello time differs from tshark's, on purpose: these servers send the
/// ServerHello and their certificate chain in one TLS record of 3-6 KB, over several TCP
/// segments. tshark dissects the record when it is complete, so its ServerHello frame is the
/// record's last segment; we parse the ServerHello as soon as the message itself is complete,
/// in the record's first segment (tshark's `tcp.segments` of the reassembled record lists the
/// frames; `ours` is the `frame.time_epoch` of the first of them). The earlier time is the one
/// a response time needs.
struct ServerHelloTimeDifference {
  const char* capture;
  const char* client;
  std::int64_t tsharkNs;  ///< the record's last segment (as in kTlsExpectations)
  std::int64_t oursNs;    ///< the record's first segment
};
const ServerHelloTimeDifference kServerHelloTimeDifferences[] = {
    // stream 23, frames 387-390
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:48654", 1646482860115809951,
     1646482860115739868},
    // stream 31, frames 428-431
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:39828", 1646483012821897588,
     1646483012821762517},
    // stream 33, frames 441-443
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:57878", 1646495650804336438,
     1646495650804279851},
    // stream 36, frames 457-460
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:33102", 1646495710415159362,
     1646495710415097467},
    // stream 37, frames 466-470
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:56836", 1646495710577591832,
     1646495710577506270},
    // stream 42, frames 508, 510, 512
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.88.231:49950", 1705785448958025483,
     1705785448957751461},
};

/// The QUIC handshakes tshark finds in the corpus (QUIC carries its TLS handshake in CRYPTO
/// frames inside packets protected with keys derived from the connection ID; tshark derives
/// them, we parse TLS over TCP only). Obtained with the command above without the `tcp &&`
/// and `udp.srcport`/`udp.dstport` for the ports: the ClientHello rows with no tcp.stream.
struct QuicHello {
  const char* capture;
  const char* client;
  const char* server;
  const char* serverName;
};
const QuicHello kQuicHellos[] = {
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.123:59102", "216.58.209.46:443",
     "classroom.google.com"},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:38642", "216.58.212.142:443",
     "hangouts.google.com"},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "192.168.1.128:36832", "142.250.181.238:443",
     "plus.google.com"},
    {"tls_many_sites_sni_tls12_tls13.pcapng", "[2001:b07:a3d:c112:6ea5:ab52:9230:ba5]:41590",
     "[2a03:2880:f208:c4:face:b00c:0:43fe]:443", "www.threads.net"},
};

// ---- what we make of a capture ----

std::string hexLower(std::uint16_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s = "0x0000";
  for (int i = 0; i < 4; ++i) s[5 - i] = digits[(v >> (4 * i)) & 0xF];
  return s;
}

std::string endpoint(const netlens::net::IpAddress& ip, std::uint16_t port) {
  const std::string a = ip.toString();
  return (ip.isV4() ? a : "[" + a + "]") + ":" + std::to_string(port);
}

/// A TLS connection as our parser saw it.
struct TlsSeen {
  std::string client, server, serverName, supportedVersions, alpn, serverAlpn;
  int suites = -1;
  std::int64_t clientHelloNs = 0;
  std::int64_t serverHelloNs = 0;
  std::uint16_t version = 0;
  std::uint16_t cipherSuite = 0;
  int sslv2Hellos = 0;
};

struct CaptureResult {
  QString openError;
  QString readError;
  HttpCounts http;
  std::vector<TlsSeen> tls;        ///< one per connection with a TLS or SSLv2 hello
  std::set<std::string> udpFlows;  ///< "a|b" endpoint pairs seen over UDP
  std::map<std::string, std::int64_t> firstApplicationData;  ///< "sender > receiver" -> time
  std::size_t connections = 0;
  std::size_t maxBuffered = 0;  ///< largest heap held by one connection's parsers
  int httpProblems = 0;
  int tlsProblems = 0;
  QStringList problemConnections;  ///< "endpoint > endpoint: http 0xN tls 0xN"
};

void countRequest(HttpCounts& counts, const HttpRequest& r) {
  ++counts.total;
  if (r.host.empty()) return;
  const QString host = QString::fromUtf8(r.host.data(), static_cast<int>(r.host.size()));
  ++counts.hosts[host];
  ++counts.uris[host][QString::fromUtf8(r.uri.data(), static_cast<int>(r.uri.size()))];
}

/// One TCP connection: the two cursors and both parsers, and what they report.
class Connection : public HttpListener, public TlsListener {
 public:
  Connection(CaptureResult& out, std::string forward, std::string reverse)
      : m_out(out), m_endpoint{std::move(forward), std::move(reverse)} {}

  const std::string& endpoint(StreamDirection d) const { return m_endpoint[directionIndex(d)]; }
  bool synSeen = false;
  std::uint32_t isn = 0;

  void segment(StreamDirection d, const netlens::decoder::TransportLayer& tcp, std::int64_t ts) {
    const StreamChunk chunk = m_cursor[directionIndex(d)].accept(tcp);
    if (chunk.gapBefore != 0) {
      m_http.gap(d, chunk.gapBefore);
      m_tls.gap(d, chunk.gapBefore);
    }
    if (chunk.length != 0) {
      m_http.feed(d, chunk.data, chunk.length, ts, *this);
      m_tls.feed(d, chunk.data, chunk.length, ts, *this);
    }
    if (chunk.gapAfter != 0) {
      m_http.gap(d, chunk.gapAfter);
      m_tls.gap(d, chunk.gapAfter);
    }
    if (chunk.fin) m_http.endOfStream(d, ts);
    m_out.maxBuffered = std::max(m_out.maxBuffered, m_http.bufferedBytes() + m_tls.bufferedBytes());
  }

  void finish() {
    if (m_http.problems() != 0) ++m_out.httpProblems;
    if (m_tls.problems() != 0) ++m_out.tlsProblems;
    if (m_http.problems() != 0 || m_tls.problems() != 0) {
      m_out.problemConnections << QStringLiteral("%1 > %2: http 0x%3 tls 0x%4")
                                      .arg(QString::fromStdString(m_endpoint[0]),
                                           QString::fromStdString(m_endpoint[1]))
                                      .arg(m_http.problems(), 0, 16)
                                      .arg(m_tls.problems(), 0, 16);
    }
  }

  void onRequest(StreamDirection, const HttpRequest& r) override { countRequest(m_out.http, r); }

  void onClientHello(StreamDirection d, const TlsClientHello& h) override {
    TlsSeen& t = seen();
    t.client = endpoint(d);
    t.server = endpoint(opposite(d));
    t.serverName = h.serverName;
    t.suites = static_cast<int>(h.cipherSuites.size());
    t.supportedVersions.clear();
    for (std::size_t i = 0; i < h.supportedVersions.size(); ++i) {
      t.supportedVersions += (i ? "," : "") + hexLower(h.supportedVersions[i]);
    }
    t.alpn.clear();
    for (std::size_t i = 0; i < h.alpn.size(); ++i) {
      t.alpn += (i ? "," : "") + std::string(h.alpn[i]);
    }
    t.clientHelloNs = h.timestampNs;
  }
  void onServerHello(StreamDirection d, const TlsServerHello& h) override {
    if (h.helloRetryRequest) return;
    TlsSeen& t = seen();
    t.client = endpoint(opposite(d));
    t.server = endpoint(d);
    t.version = h.version();
    t.cipherSuite = h.cipherSuite;
    t.serverAlpn = h.alpn;
    t.serverHelloNs = h.timestampNs;
  }
  void onSslv2Hello(StreamDirection d, const Sslv2Hello& h) override {
    TlsSeen& t = seen();
    ++t.sslv2Hellos;
    if (!h.serverHello) {
      t.client = endpoint(d);
      t.server = endpoint(opposite(d));
      t.version = h.version;
    }
  }
  void onFirstApplicationData(StreamDirection d, std::int64_t ts) override {
    m_out.firstApplicationData[endpoint(d) + " > " + endpoint(opposite(d))] = ts;
  }

 private:
  TlsSeen& seen() {
    if (m_tlsIndex < 0) {
      m_tlsIndex = static_cast<int>(m_out.tls.size());
      m_out.tls.emplace_back();
    }
    return m_out.tls[static_cast<std::size_t>(m_tlsIndex)];
  }

  CaptureResult& m_out;
  std::string m_endpoint[2];
  TcpStreamCursor m_cursor[2];
  HttpParser m_http;
  TlsParser m_tls;
  int m_tlsIndex = -1;
};

class SsdpCounter : public HttpListener {
 public:
  explicit SsdpCounter(HttpCounts& counts) : m_counts(counts) {}
  void onRequest(StreamDirection, const HttpRequest& r) override { countRequest(m_counts, r); }

 private:
  HttpCounts& m_counts;
};

/// Reads a capture and runs every TCP connection through the parsers; HTTP over UDP port
/// 1900 (SSDP, which tshark dissects as HTTP) goes to HttpParser::parseDatagram.
CaptureResult analyse(const QString& capture) {
  CaptureResult r;
  std::string error;
  auto source =
      netlens::node::capture::PcapSource::openFile(ref::capturePath(capture).toStdString(), &error);
  if (!source) {
    r.openError = QString::fromStdString(error);
    return r;
  }
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> table;
  SsdpCounter ssdp(r.http);
  netlens::node::capture::RawPacket raw;
  DecodedPacket packet;
  netlens::node::capture::ReadStatus status;
  while ((status = source->next(raw)) == netlens::node::capture::ReadStatus::Packet) {
    PacketDecoder::decode(raw.linkType, raw.data, raw.capturedLength, raw.wireLength,
                          raw.timestampNs, packet);
    const netlens::decoder::TransportLayer& t = packet.transport;
    if (t.ipIndex < 0) continue;
    const netlens::decoder::IpLayer& ip = packet.ip[static_cast<std::size_t>(t.ipIndex)];
    // Only a first fragment's payload is decoded, and it is not the whole segment.
    if (ip.isFragment()) continue;
    const std::string src = endpoint(ip.src, t.srcPort);
    const std::string dst = endpoint(ip.dst, t.dstPort);
    const std::string key = src < dst ? src + "|" + dst : dst + "|" + src;
    if (t.protocol == ipproto::kUdp) {
      r.udpFlows.insert(key);
      if ((t.srcPort == 1900 || t.dstPort == 1900) && t.payloadLength != 0) {
        HttpParser::parseDatagram(StreamDirection::Forward, t.payload, t.payloadLength,
                                  raw.timestampNs, ssdp);
      }
      continue;
    }
    if (t.protocol != ipproto::kTcp) continue;
    auto& list = table[key];
    const bool opening = (t.tcpFlags & tcpflag::kSyn) != 0 && (t.tcpFlags & tcpflag::kAck) == 0;
    bool fresh = list.empty();
    if (!fresh && opening) {
      // A SYN that is not a retransmission of the connection's own opens a new one on the
      // same port pair.
      const Connection& last = *list.back();
      fresh =
          !last.synSeen || last.endpoint(StreamDirection::Forward) != src || last.isn != t.tcpSeq;
    }
    if (fresh) {
      if (!list.empty()) list.back()->finish();
      list.push_back(std::make_unique<Connection>(r, src, dst));
      ++r.connections;
    }
    Connection& c = *list.back();
    if (opening && !c.synSeen && c.endpoint(StreamDirection::Forward) == src) {
      c.synSeen = true;
      c.isn = t.tcpSeq;
    }
    const StreamDirection d = c.endpoint(StreamDirection::Forward) == src
                                  ? StreamDirection::Forward
                                  : StreamDirection::Reverse;
    c.segment(d, t, raw.timestampNs);
  }
  if (status == netlens::node::capture::ReadStatus::Error) {
    r.readError = QString::fromStdString(source->error());
  }
  for (auto& [key, list] : table) list.back()->finish();
  return r;
}

const CaptureResult& analysed(const QString& capture) {
  static std::map<QString, CaptureResult> cache;
  auto it = cache.find(capture);
  if (it == cache.end()) it = cache.emplace(capture, analyse(capture)).first;
  return it->second;
}

QStringList compareHttp(const HttpCounts& expected, const HttpCounts& actual) {
  QStringList out;
  if (expected.total != actual.total) {
    out << QStringLiteral("requests: ours %1, tshark %2").arg(actual.total).arg(expected.total);
  }
  std::set<QString> hosts;
  for (const auto& [h, n] : expected.hosts) hosts.insert(h);
  for (const auto& [h, n] : actual.hosts) hosts.insert(h);
  for (const QString& h : hosts) {
    const auto e = expected.hosts.find(h);
    const auto a = actual.hosts.find(h);
    const quint64 en = e == expected.hosts.end() ? 0 : e->second;
    const quint64 an = a == actual.hosts.end() ? 0 : a->second;
    if (en != an) out << QStringLiteral("host %1: ours %2, tshark %3").arg(h).arg(an).arg(en);
    const auto eu = expected.uris.find(h);
    const auto au = actual.uris.find(h);
    const std::map<QString, quint64> none;
    const auto& eURIs = eu == expected.uris.end() ? none : eu->second;
    const auto& aURIs = au == actual.uris.end() ? none : au->second;
    std::set<QString> uris;
    for (const auto& [u, n] : eURIs) uris.insert(u);
    for (const auto& [u, n] : aURIs) uris.insert(u);
    for (const QString& u : uris) {
      const auto x = eURIs.find(u);
      const auto y = aURIs.find(u);
      const quint64 xn = x == eURIs.end() ? 0 : x->second;
      const quint64 yn = y == aURIs.end() ? 0 : y->second;
      if (xn != yn) {
        out << QStringLiteral("%1 %2: ours %3, tshark %4").arg(h, u.left(120)).arg(yn).arg(xn);
      }
    }
  }
  return out;
}

}  // namespace

class TestL7Corpus : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY2(QDir(ref::pcapDir()).exists(), qPrintable(ref::pcapDir()));
    QVERIFY(ref::capturesWithReference(QStringLiteral("http_req_tree")).size() >= 10);
  }

  void httpRequestsMatchTshark_data() {
    QTest::addColumn<QString>("capture");
    for (const QString& c : ref::capturesWithReference(QStringLiteral("http_req_tree"))) {
      QTest::newRow(qPrintable(c)) << c;
    }
  }

  /// Requests in all, per Host and per Host and URI equal `tshark -z http_req,tree`.
  void httpRequestsMatchTshark() {
    QFETCH(QString, capture);
    HttpCounts expected;
    QString error;
    QVERIFY2(loadHttpRequestTree(capture, expected, error), qPrintable(error));
    const CaptureResult& r = analysed(capture);
    QVERIFY2(r.openError.isEmpty(), qPrintable(r.openError));
    const QStringList mismatches = compareHttp(expected, r.http);
    if (!mismatches.isEmpty()) {
      QFAIL(qPrintable(QStringLiteral("%1: %2 difference(s) from tshark:\n  %3")
                           .arg(capture)
                           .arg(mismatches.size())
                           .arg(mismatches.join(QStringLiteral("\n  ")))));
    }
    qInfo("%s: %llu requests, %zu hosts", qPrintable(capture),
          static_cast<unsigned long long>(r.http.total), r.http.hosts.size());
  }

  void tlsHellosMatchTshark_data() {
    QTest::addColumn<QString>("capture");
    std::set<QString> captures;
    for (const TlsExpectation& e : kTlsExpectations) captures.insert(QLatin1String(e.capture));
    for (const QString& c : captures) QTest::newRow(qPrintable(c)) << c;
  }

  /// Every connection with a ClientHello: the same connections as tshark, with the same SNI,
  /// offered suites, versions and ALPN, negotiated version, suite and ALPN, and hello times.
  void tlsHellosMatchTshark() {
    QFETCH(QString, capture);
    const CaptureResult& r = analysed(capture);
    QVERIFY2(r.openError.isEmpty(), qPrintable(r.openError));
    // Connections with a hello; those of which only application data was seen (the capture
    // began after the handshake) have nothing to compare.
    std::map<std::string, const TlsSeen*> ours;
    for (const TlsSeen& t : r.tls) {
      if (t.suites < 0 && t.serverHelloNs == 0) continue;
      const std::string key = t.client + " > " + t.server;
      QVERIFY2(
          ours.emplace(key, &t).second,
          qPrintable(QStringLiteral("two TLS connections %1").arg(QString::fromStdString(key))));
    }
    std::size_t expectedCount = 0;
    QStringList problems;
    for (const TlsExpectation& e : kTlsExpectations) {
      if (capture != QLatin1String(e.capture)) continue;
      ++expectedCount;
      const std::string key = std::string(e.client) + " > " + e.server;
      const auto it = ours.find(key);
      if (it == ours.end()) {
        problems << QStringLiteral("missing %1").arg(QString::fromStdString(key));
        continue;
      }
      const TlsSeen& t = *it->second;
      const auto check = [&](const char* what, const std::string& got, const std::string& want) {
        if (got != want) {
          problems << QStringLiteral("%1 %2: ours '%3', tshark '%4'")
                          .arg(QString::fromStdString(key), QLatin1String(what),
                               QString::fromStdString(got), QString::fromStdString(want));
        }
      };
      check("SNI", t.serverName, e.serverName);
      check("suites", std::to_string(t.suites), std::to_string(e.suites));
      check("supported versions", t.supportedVersions, e.supportedVersions);
      check("ALPN", t.alpn, e.alpn);
      check("ClientHello time", std::to_string(t.clientHelloNs), std::to_string(e.clientHelloNs));
      check("version", hexLower(t.version), hexLower(e.version));
      check("cipher suite", hexLower(t.cipherSuite), hexLower(e.cipherSuite));
      check("server ALPN", t.serverAlpn, e.serverAlpn);
      std::int64_t serverHelloNs = e.serverHelloNs;
      for (const ServerHelloTimeDifference& diff : kServerHelloTimeDifferences) {
        if (capture != QLatin1String(diff.capture) || std::string(diff.client) != e.client)
          continue;
        // The difference is still the one explained: tshark's time is the later one.
        QCOMPARE(diff.tsharkNs, e.serverHelloNs);
        QVERIFY(diff.oursNs < diff.tsharkNs);
        serverHelloNs = diff.oursNs;
      }
      check("ServerHello time", std::to_string(t.serverHelloNs), std::to_string(serverHelloNs));
    }
    if (ours.size() != expectedCount) {
      problems
          << QStringLiteral("%1 TLS connections, tshark %2").arg(ours.size()).arg(expectedCount);
    }
    if (!problems.isEmpty()) QFAIL(qPrintable(problems.join(QStringLiteral("\n  "))));
  }

  void firstApplicationDataMatchesTshark_data() { tlsHellosMatchTshark_data(); }

  /// The first application-data record per direction: the same directions as in tshark, at
  /// the same times (see kFirstApplicationData).
  void firstApplicationDataMatchesTshark() {
    QFETCH(QString, capture);
    const CaptureResult& r = analysed(capture);
    QVERIFY2(r.openError.isEmpty(), qPrintable(r.openError));
    std::map<std::string, std::int64_t> expected;
    for (const FirstApplicationData& e : kFirstApplicationData) {
      if (capture == QLatin1String(e.capture)) {
        expected[std::string(e.sender) + " > " + e.receiver] = e.timeNs;
      }
    }
    QStringList problems;
    for (const auto& [key, ns] : expected) {
      const auto it = r.firstApplicationData.find(key);
      if (it == r.firstApplicationData.end()) {
        problems << QStringLiteral("missing %1").arg(QString::fromStdString(key));
      } else if (it->second != ns) {
        problems << QStringLiteral("%1: ours %2, expected %3")
                        .arg(QString::fromStdString(key))
                        .arg(it->second)
                        .arg(ns);
      }
    }
    for (const auto& [key, ns] : r.firstApplicationData) {
      if (expected.count(key) == 0) {
        problems << QStringLiteral("extra %1 at %2").arg(QString::fromStdString(key)).arg(ns);
      }
    }
    if (!problems.isEmpty()) QFAIL(qPrintable(problems.join(QStringLiteral("\n  "))));
  }

  /// QUIC's handshakes (TLS in UDP, encrypted with keys derived from the connection ID) are
  /// a deliberate difference: tshark decrypts and shows them, our TLS parser reads TLS over
  /// TCP only. The flows are there, as UDP, and yield no TLS result.
  void quicHandshakesAreNotParsed() {
    for (const QuicHello& q : kQuicHellos) {
      const CaptureResult& r = analysed(QLatin1String(q.capture));
      const std::string a = q.client;
      const std::string b = q.server;
      QVERIFY2(r.udpFlows.count(a < b ? a + "|" + b : b + "|" + a) == 1, q.client);
      for (const TlsSeen& t : r.tls) {
        QVERIFY2(t.client != a || t.server != b, q.serverName);
        QVERIFY2(t.serverName != q.serverName, q.serverName);
      }
    }
  }

  /// The SSLv2 session of sslv2_client_hello.pcap: tshark (-V) shows an SSLv2 Client Hello
  /// with version SSL 2.0 (0x0002) and 7 cipher specs from 192.168.4.149:59062, and the
  /// server's SSLv2 Server Hello. We recognise both hellos and parse nothing further.
  void sslv2SessionIsRecognised() {
    const CaptureResult& r = analysed(QStringLiteral("sslv2_client_hello.pcap"));
    QVERIFY2(r.openError.isEmpty(), qPrintable(r.openError));
    QCOMPARE(r.tls.size(), std::size_t{1});
    const TlsSeen& t = r.tls.front();
    QCOMPARE(t.sslv2Hellos, 2);
    QCOMPARE(t.client, std::string("192.168.4.149:59062"));
    QCOMPARE(t.server, std::string("91.227.4.92:443"));
    QCOMPARE(t.version, std::uint16_t{0x0002});
    QCOMPARE(t.suites, -1);  // no TLS ClientHello
    QVERIFY(r.firstApplicationData.empty());
  }

  void everyCaptureIsSafe_data() {
    QTest::addColumn<QString>("capture");
    for (const QString& f : ref::allCaptures()) QTest::newRow(qPrintable(f)) << f;
  }

  /// Every capture runs through both parsers; buffers stay within their caps.
  void everyCaptureIsSafe() {
    QFETCH(QString, capture);
    const CaptureResult& r = analysed(capture);
    QVERIFY2(r.openError.isEmpty(), qPrintable(r.openError));
    QVERIFY(r.maxBuffered <= HttpParser::kMaxHeaderBytes * 2 + TlsParser::kMaxBufferedMessage * 2);
    qInfo("%s: %zu TCP connections, %zu TLS, %llu HTTP requests, problems: http %d tls %d%s%s",
          qPrintable(capture), r.connections, r.tls.size(),
          static_cast<unsigned long long>(r.http.total), r.httpProblems, r.tlsProblems,
          r.readError.isEmpty() ? "" : ", read error: ", qPrintable(r.readError));
    for (const QString& c : r.problemConnections) qInfo("  %s", qPrintable(c));
  }
};

QTEST_APPLESS_MAIN(TestL7Corpus)
#include "tst_l7_corpus.moc"
