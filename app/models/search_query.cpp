// SPDX-License-Identifier: MIT
#include "app/models/search_query.h"

#include <algorithm>
#include <utility>

#include "shared/decoder/decoded_packet.h"
#include "shared/net/ip_address.h"

namespace netlens::app::models {
namespace {

QStringList splitValues(const QString& text) {
  QStringList out;
  for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    const QString value = part.trimmed();
    if (!value.isEmpty()) out << value;
  }
  return out;
}

std::string sideName(SearchSide side, const char* what) {
  switch (side) {
    case SearchSide::Source:
      return std::string("src-") + what;
    case SearchSide::Destination:
      return std::string("dst-") + what;
    case SearchSide::Either:
      break;
  }
  return what;
}

bool parseNumber(const QString& text, quint64 max, quint64* out) {
  bool ok = false;
  const quint64 value = text.toULongLong(&ok);
  if (!ok || value > max) return false;
  *out = value;
  return true;
}

std::string joined(const QStringList& values) {
  return values.join(QLatin1Char(',')).toStdString();
}

}  // namespace

bool SearchQuery::isHexBytes(const QString& text) {
  int digits = 0;
  for (QChar c : text) {
    if (c == QLatin1Char(' ') || c == QLatin1Char(':')) continue;
    if (!(c.isDigit() || (c.toLower() >= QLatin1Char('a') && c.toLower() <= QLatin1Char('f'))) ||
        c.unicode() > 0x7f)
      return false;
    ++digits;
  }
  return digits > 0 && digits % 2 == 0;
}

bool SearchQuery::build(const SearchForm& form, protocol::Params* params, QStringList* errors) {
  protocol::Params p;
  QStringList problems;

  const QStringList addresses = splitValues(form.addresses);
  for (const QString& a : addresses)
    if (!net::IpAddress::parse(a.toStdString()))
      problems << tr("Address \"%1\" is not an IPv4 or IPv6 address.").arg(a);
  if (!addresses.isEmpty()) p[sideName(form.addressSide, "host")] = joined(addresses);

  const QStringList macs = splitValues(form.macs);
  for (const QString& m : macs)
    if (!net::MacAddress::parse(m.toStdString()))
      problems << tr("MAC \"%1\" is not a MAC address (aa:bb:cc:dd:ee:ff).").arg(m);
  if (!macs.isEmpty()) p[sideName(form.macSide, "mac")] = joined(macs);

  const QStringList ports = splitValues(form.ports);
  for (const QString& port : ports) {
    quint64 n = 0;
    if (!parseNumber(port, 65535, &n))
      problems << tr("Port \"%1\" is not a port number (0 to 65535).").arg(port);
  }
  if (!ports.isEmpty()) p[sideName(form.portSide, "port")] = joined(ports);

  static const QStringList kProtocolNames{QStringLiteral("tcp"),  QStringLiteral("udp"),
                                          QStringLiteral("icmp"), QStringLiteral("icmp6"),
                                          QStringLiteral("sctp"), QStringLiteral("gre"),
                                          QStringLiteral("esp")};
  QStringList protocols;
  for (const QString& proto : splitValues(form.protocols)) {
    const QString lower = proto.toLower();
    quint64 n = 0;
    if (!kProtocolNames.contains(lower) && !parseNumber(lower, 255, &n))
      problems << tr("Protocol \"%1\" is not tcp, udp, icmp, icmp6, sctp, gre, esp or a number "
                     "from 0 to 255.")
                      .arg(proto);
    protocols << lower;
  }
  if (!protocols.isEmpty()) p["proto"] = joined(protocols);

  const QStringList vlans = splitValues(form.vlans);
  for (const QString& vlan : vlans) {
    quint64 n = 0;
    if (!parseNumber(vlan, 4095, &n))
      problems << tr("VLAN \"%1\" is not a VLAN id (0 to 4095).").arg(vlan);
  }
  if (!vlans.isEmpty()) p["vlan"] = joined(vlans);

  const QString bpf = form.bpf.trimmed();
  if (!bpf.isEmpty()) p["bpf"] = bpf.toStdString();

  if (!form.payload.isEmpty()) {
    if (form.payloadPerSession) p["payload-scope"] = "session";
    if (form.payloadIsRegex) {
      p["payload-regex"] = form.payload.toStdString();
    } else if (form.payloadIsHex) {
      if (!isHexBytes(form.payload))
        problems << tr("Payload \"%1\" is not hex bytes (two digits each, e.g. 47 45 54).")
                        .arg(form.payload);
      p["payload-hex"] = form.payload.toStdString();
    } else {
      p["payload"] = form.payload.toStdString();
    }
  }

  const std::pair<const QString*, const char*> http[] = {{&form.httpHost, "http-host"},
                                                         {&form.httpUrl, "http-url"},
                                                         {&form.httpUserAgent, "http-user-agent"},
                                                         {&form.httpFile, "http-file"},
                                                         {&form.httpUser, "http-user"}};
  for (const auto& [text, name] : http) {
    const QString value = text->trimmed();
    if (!value.isEmpty()) p[name] = value.toStdString();
  }
  const QString host = form.httpHost.trimmed();
  if (host.contains(QLatin1Char(' ')) || host.contains(QLatin1Char('/')))
    problems << tr("HTTP host \"%1\" is not a host name (no spaces or slashes; the port is "
                   "left out).")
                    .arg(host);

  if (form.from != 0) p["from"] = std::to_string(form.from);
  if (form.to != 0) p["to"] = std::to_string(form.to);
  if (form.from != 0 && form.to != 0 && form.from > form.to)
    problems << tr("The time range ends before it begins.");
  if (form.limit > protocol::kMaxSearchPackets)
    problems << tr("The limit is at most %1 packets.").arg(protocol::kMaxSearchPackets);
  if (form.limit != 0) p["limit"] = std::to_string(form.limit);
  p["mode"] = "list";

  if (errors) *errors = problems;
  if (!problems.isEmpty()) return false;
  *params = std::move(p);
  return true;
}

protocol::Params SearchQuery::forSession(const protocol::Params& search,
                                         const protocol::SearchSession& session) {
  protocol::Params p = search;
  p["mode"] = "packets";
  // The session's packets are a subset of the search's, so the search's own limit no longer
  // applies; the node's maximum still does.
  p.erase("limit");
  protocol::TimeNs from = session.firstSeen;
  protocol::TimeNs to = session.lastSeen;
  if (auto it = search.find("from"); it != search.end()) {
    bool ok = false;
    const qint64 t = QString::fromStdString(it->second).toLongLong(&ok);
    if (ok) from = std::max<protocol::TimeNs>(from, t);
  }
  if (auto it = search.find("to"); it != search.end()) {
    bool ok = false;
    const qint64 t = QString::fromStdString(it->second).toLongLong(&ok);
    if (ok) to = std::min<protocol::TimeNs>(to, t);
  }
  p["from"] = std::to_string(from);
  p["to"] = std::to_string(to);
  const bool namesHost =
      search.count("host") || search.count("src-host") || search.count("dst-host");
  if (!namesHost && session.a.isValid()) p["host"] = session.a.toString();
  const bool namesPort =
      search.count("port") || search.count("src-port") || search.count("dst-port");
  // The larger port is more often the client's ephemeral one, which selects fewer packets.
  const std::uint16_t port = std::max(session.aPort, session.bPort);
  if (!namesPort && port != 0) p["port"] = std::to_string(port);
  return p;
}

bool SearchQuery::inSession(const decoder::DecodedPacket& packet,
                            const protocol::SearchSession& session) {
  if (!packet.hasIp()) return !session.a.isValid() && !session.b.isValid() && session.protocol == 0;
  const auto& ip = packet.innermostIp();
  if (ip.protocol != session.protocol) return false;
  const auto& t = packet.transport;
  auto a = std::make_pair(ip.src, t.hasPorts() ? t.srcPort : std::uint16_t{0});
  auto b = std::make_pair(ip.dst, t.hasPorts() ? t.dstPort : std::uint16_t{0});
  if (b < a) std::swap(a, b);
  return a.first == session.a && a.second == session.aPort && b.first == session.b &&
         b.second == session.bPort;
}

}  // namespace netlens::app::models
