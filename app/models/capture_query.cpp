// SPDX-License-Identifier: MIT
#include "app/models/capture_query.h"

#include <algorithm>

#include "shared/net/ip_address.h"

namespace netlens::app::models {
namespace {

void setTimes(protocol::Params& params, protocol::TimeNs from, protocol::TimeNs to) {
  if (from > 0) params["from"] = std::to_string(from);
  if (to > 0) params["to"] = std::to_string(to);
}

/// `expression`, also matched behind one 802.1Q tag ("vlan" shifts the offsets of what follows).
std::string throughVlan(const std::string& expression) {
  return "(" + expression + ") or (vlan and (" + expression + "))";
}

QString protocolName(std::uint8_t protocol) {
  switch (protocol) {
    case 1:
      return QStringLiteral("icmp");
    case 6:
      return QStringLiteral("tcp");
    case 17:
      return QStringLiteral("udp");
    case 58:
      return QStringLiteral("icmp6");
    case 132:
      return QStringLiteral("sctp");
    default:
      return QString::number(protocol);
  }
}

}  // namespace

QString CaptureQueries::safeStem(const QString& text) {
  QString out;
  out.reserve(text.size());
  for (QChar c : text) {
    const bool keep = c.unicode() < 0x80 && (c.isLetterOrNumber() || c == QLatin1Char('.') ||
                                             c == QLatin1Char('-') || c == QLatin1Char('_'));
    out += keep ? c : QLatin1Char('-');
  }
  return out;
}

CaptureQuery CaptureQueries::forHost(const net::IpAddress& ip, protocol::TimeNs from,
                                     protocol::TimeNs to) {
  const QString text = QString::fromStdString(ip.toString());
  CaptureQuery q{tr("host %1").arg(text), safeStem(QStringLiteral("host-") + text), {}};
  q.params["host"] = ip.toString();
  setTimes(q.params, from, to);
  return q;
}

CaptureQuery CaptureQueries::forHostMac(const net::IpAddress& ip, const net::MacAddress& mac,
                                        protocol::TimeNs from, protocol::TimeNs to) {
  const QString ipText = QString::fromStdString(ip.toString());
  const QString macText = QString::fromStdString(mac.toString());
  CaptureQuery q{tr("host %1, MAC %2").arg(ipText, macText),
                 safeStem(QStringLiteral("host-%1-mac-%2").arg(ipText, macText)),
                 {}};
  q.params["host"] = ip.toString();
  q.params["mac"] = mac.toString();
  setTimes(q.params, from, to);
  return q;
}

CaptureQuery CaptureQueries::forGroup(const QString& name, const std::vector<std::string>& prefixes,
                                      protocol::TimeNs from, protocol::TimeNs to) {
  if (prefixes.empty()) return {};
  std::string nets;
  for (const std::string& prefix : prefixes) {
    if (!nets.empty()) nets += " or ";
    nets += "net " + prefix;
  }
  CaptureQuery q{tr("group %1").arg(name), safeStem(QStringLiteral("group-") + name), {}};
  // "net" alone also takes ARP; a group is about IP traffic, as its counters are.
  q.params["bpf"] = throughVlan("(ip or ip6) and (" + nets + ")");
  setTimes(q.params, from, to);
  return q;
}

CaptureQuery CaptureQueries::forProtocol(const QString& protocol, protocol::TimeNs from,
                                         protocol::TimeNs to) {
  const QString name = protocol.trimmed().toLower();
  CaptureQuery q{tr("protocol %1").arg(name), safeStem(QStringLiteral("proto-") + name), {}};
  q.params["proto"] = name.toStdString();
  setTimes(q.params, from, to);
  return q;
}

CaptureQuery CaptureQueries::forConnection(const protocol::ConnectionRecord& c) {
  const QString client = QString::fromStdString(c.clientIp.toString());
  const QString server = QString::fromStdString(c.serverIp.toString());
  const QString proto = protocolName(c.protocol);
  const bool ports = c.protocol == 6 || c.protocol == 17 || c.protocol == 132;
  const QString clientEnd = ports ? QStringLiteral("%1:%2").arg(client).arg(c.clientPort) : client;
  const QString serverEnd = ports ? QStringLiteral("%1:%2").arg(server).arg(c.serverPort) : server;
  CaptureQuery q{tr("%1 %2 ↔ %3").arg(proto, clientEnd, serverEnd),
                 safeStem(QStringLiteral("conn-%1-%2-%3").arg(proto, clientEnd, serverEnd)),
                 {}};
  const std::string hosts = c.clientIp.toString() + "," + c.serverIp.toString();
  q.params["src-host"] = hosts;
  q.params["dst-host"] = hosts;
  q.params["proto"] = std::to_string(c.protocol);
  if (ports) {
    const std::string both = std::to_string(c.clientPort) + "," + std::to_string(c.serverPort);
    q.params["src-port"] = both;
    q.params["dst-port"] = both;
  }
  if (c.vlan >= 0) q.params["vlan"] = std::to_string(c.vlan);
  setTimes(q.params, c.firstSeen, c.lastSeen);
  return q;
}

std::string CaptureQueries::dscpFilter(int dscp) {
  const int value = std::clamp(dscp, 0, 63);
  const std::string v4 = "ip and ip[1] & 0xfc = " + std::to_string(value << 2);
  const std::string v6 = "ip6 and ip6[0:2] & 0x0fc0 = " + std::to_string(value << 6);
  return throughVlan("(" + v4 + ") or (" + v6 + ")");
}

CaptureQuery CaptureQueries::forDscp(int dscp, protocol::TimeNs from, protocol::TimeNs to) {
  CaptureQuery q{tr("DSCP %1").arg(dscp), QStringLiteral("dscp-%1").arg(dscp), {}};
  q.params["bpf"] = dscpFilter(dscp);
  setTimes(q.params, from, to);
  return q;
}

CaptureQuery CaptureQueries::forPort(int port, const QString& protocol, protocol::TimeNs from,
                                     protocol::TimeNs to) {
  const QString proto = protocol.trimmed().toLower();
  CaptureQuery q{proto.isEmpty() ? tr("port %1").arg(port) : tr("%1 port %2").arg(proto).arg(port),
                 safeStem(proto.isEmpty() ? QStringLiteral("port-%1").arg(port)
                                          : QStringLiteral("%1-port-%2").arg(proto).arg(port)),
                 {}};
  q.params["port"] = std::to_string(port);
  if (!proto.isEmpty()) q.params["proto"] = proto.toStdString();
  setTimes(q.params, from, to);
  return q;
}

}  // namespace netlens::app::models
