// SPDX-License-Identifier: MIT
#include "app/models/packet_dissection.h"

#include <QDateTime>
#include <QStringList>

#include <algorithm>
#include <cstring>

#include "app/models/connection_table_model.h"
#include "shared/decoder/malformed_reason.h"
#include "shared/decoder/packet_decoder.h"
#include "shared/pcap/pcap_bytes.h"

namespace netlens::app::models {
namespace {

constexpr std::uint32_t kMaxRecordLength = 256 * 1024;
std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

QString ipText(const net::IpAddress& ip) {
  return QString::fromStdString(ip.toString());
}

QString macText(const net::MacAddress& mac) {
  return QString::fromStdString(mac.toString());
}

QString endpoint(const net::IpAddress& ip, std::uint16_t port) {
  return ipText(ip) + QLatin1Char('.') + QString::number(port);
}

/// The EtherType after the outer Ethernet header and its VLAN tags; 0 when not Ethernet or
/// cut short. The decoder does not keep it (it follows only what it decodes further).
std::uint16_t outerEtherType(const decoder::DecodedPacket& p) {
  if (p.l2Count == 0 || !p.l2[0].hasDst || p.capturedLength < 14) return 0;
  std::uint32_t off = 12;
  std::uint16_t type = be16(p.data + off);
  while ((type == 0x8100 || type == 0x88a8 || type == 0x9100) && off + 6 <= p.capturedLength) {
    off += 4;
    type = be16(p.data + off);
  }
  return type;
}

QString etherTypeName(std::uint16_t type) {
  switch (type) {
    case 0x0800:
      return QStringLiteral("IPv4");
    case 0x86dd:
      return QStringLiteral("IPv6");
    case 0x0806:
      return QStringLiteral("ARP");
    case 0x88cc:
      return QStringLiteral("LLDP");
    case 0x8847:
    case 0x8848:
      return QStringLiteral("MPLS");
    case 0x8863:
    case 0x8864:
      return QStringLiteral("PPPoE");
    case 0x888e:
      return QStringLiteral("EAPOL");
    default:
      // An 802.3 length field: LLC follows (CDP, STP, ...).
      return type <= 1500 ? QStringLiteral("LLC") : QString();
  }
}

QString icmpText(const decoder::DecodedPacket& p) {
  const auto& t = p.transport;
  const bool v6 = t.protocol == decoder::ipproto::kIcmpv6;
  QString text;
  bool echo = false;
  if (!v6) {
    switch (t.icmpType) {
      case 0:
        text = PacketDissection::tr("echo reply");
        echo = true;
        break;
      case 3:
        text = PacketDissection::tr("destination unreachable (code %1)").arg(t.icmpCode);
        break;
      case 5:
        text = PacketDissection::tr("redirect");
        break;
      case 8:
        text = PacketDissection::tr("echo request");
        echo = true;
        break;
      case 11:
        text = PacketDissection::tr("time exceeded in-transit");
        break;
      default:
        text = PacketDissection::tr("type %1 code %2").arg(t.icmpType).arg(t.icmpCode);
    }
  } else {
    switch (t.icmpType) {
      case 1:
        text = PacketDissection::tr("destination unreachable (code %1)").arg(t.icmpCode);
        break;
      case 2:
        text = PacketDissection::tr("packet too big");
        break;
      case 3:
        text = PacketDissection::tr("time exceeded in-transit");
        break;
      case 128:
        text = PacketDissection::tr("echo request");
        echo = true;
        break;
      case 129:
        text = PacketDissection::tr("echo reply");
        echo = true;
        break;
      case 133:
        text = PacketDissection::tr("router solicitation");
        break;
      case 134:
        text = PacketDissection::tr("router advertisement");
        break;
      case 135:
        text = PacketDissection::tr("neighbor solicitation");
        break;
      case 136:
        text = PacketDissection::tr("neighbor advertisement");
        break;
      default:
        text = PacketDissection::tr("type %1 code %2").arg(t.icmpType).arg(t.icmpCode);
    }
  }
  if (echo && t.payload && t.payloadLength >= 4)
    text += PacketDissection::tr(", id %1, seq %2").arg(be16(t.payload)).arg(be16(t.payload + 2));
  return text;
}

QString linkTypeName(int linkType) {
  switch (linkType) {
    case decoder::linktype::kEthernet:
      return QStringLiteral("Ethernet (1)");
    case decoder::linktype::kNull:
      return QStringLiteral("BSD loopback (0)");
    case decoder::linktype::kLoop:
      return QStringLiteral("OpenBSD loopback (108)");
    case decoder::linktype::kLinuxSll:
      return QStringLiteral("Linux cooked (113)");
    case decoder::linktype::kLinuxSll2:
      return QStringLiteral("Linux cooked v2 (276)");
    case decoder::linktype::kRaw:
    case decoder::linktype::kRawOpenBsd:
    case decoder::linktype::kRawLinktype:
    case decoder::linktype::kIpv4:
    case decoder::linktype::kIpv6:
      return QStringLiteral("Raw IP (%1)").arg(linkType);
    default:
      return QString::number(linkType);
  }
}

PacketField field(const QString& name, const QString& value, int offset = -1, int length = 0) {
  return PacketField{name, value, offset, length, {}};
}

QString encapsulationText(std::uint16_t bits) {
  static const std::pair<std::uint16_t, const char*> kNames[] = {
      {decoder::encap::kVlan, "802.1Q"},        {decoder::encap::kMpls, "MPLS"},
      {decoder::encap::kPppoe, "PPPoE"},        {decoder::encap::kGre, "GRE"},
      {decoder::encap::kErspan, "ERSPAN"},      {decoder::encap::kVxlan, "VXLAN"},
      {decoder::encap::kGeneve, "Geneve"},      {decoder::encap::kIpInIp, "IP in IP"},
      {decoder::encap::kTeb, "Ethernet in GRE"}};
  QStringList names;
  for (const auto& [bit, name] : kNames)
    if (bits & bit) names << QString::fromLatin1(name);
  return names.join(QStringLiteral(", "));
}

}  // namespace

bool PacketDissection::readPcap(const QByteArray& file, std::uint32_t* linkType,
                                std::vector<PcapRecord>* records, QString* error) {
  records->clear();
  pcap::PcapBytesReader reader(std::string_view(file.constData(), std::size_t(file.size())));
  if (!reader.ok()) {
    if (error) *error = tr("The answer is not a pcap file.");
    return false;
  }
  *linkType = reader.linkType();
  pcap::PcapRecord record;
  while (reader.next(&record)) {
    if (record.data.size() > kMaxRecordLength) {
      if (error) *error = tr("A pcap record is longer than any packet.");
      return true;
    }
    PcapRecord r;
    r.timestampNs = record.timestampNs;
    r.capturedLength = static_cast<std::uint32_t>(record.data.size());
    r.wireLength = std::max(record.originalLength, r.capturedLength);
    r.offset = reinterpret_cast<const char*>(record.data.data()) - file.constData();
    records->push_back(r);
  }
  if (!reader.ok() && error)
    *error = tr("The pcap file is damaged: %1").arg(QString::fromStdString(reader.error()));
  return true;
}

QString PacketDissection::tcpFlags(std::uint8_t flags) {
  using namespace decoder::tcpflag;
  QString out;
  if (flags & kFin) out += QLatin1Char('F');
  if (flags & kSyn) out += QLatin1Char('S');
  if (flags & kRst) out += QLatin1Char('R');
  if (flags & kPsh) out += QLatin1Char('P');
  if (flags & kAck) out += QLatin1Char('.');
  if (flags & kUrg) out += QLatin1Char('U');
  if (flags & kEce) out += QLatin1Char('E');
  if (flags & kCwr) out += QLatin1Char('W');
  return out.isEmpty() ? QStringLiteral("none") : out;
}

QString PacketDissection::protocol(const decoder::DecodedPacket& p) {
  if (!p.hasIp()) {
    const QString name = etherTypeName(outerEtherType(p));
    if (!name.isEmpty()) return name;
    return p.l2Count ? QStringLiteral("Ethernet") : tr("unknown");
  }
  const auto& ip = p.innermostIp();
  if (p.transport.ipIndex == p.ipCount - 1 || ip.isFirstFragment())
    if (p.transport.ipIndex >= 0) return ConnectionTableModel::protocolName(p.transport.protocol);
  if (ip.isFragment()) return ip.version == 4 ? QStringLiteral("IPv4") : QStringLiteral("IPv6");
  return ConnectionTableModel::protocolName(ip.protocol);
}

QString PacketDissection::source(const decoder::DecodedPacket& p) {
  if (p.hasIp()) return ipText(p.innermostIp().src);
  if (const net::MacAddress* mac = p.outerSrcMac()) return macText(*mac);
  return {};
}

QString PacketDissection::destination(const decoder::DecodedPacket& p) {
  if (p.hasIp()) return ipText(p.innermostIp().dst);
  if (const net::MacAddress* mac = p.outerDstMac()) return macText(*mac);
  return {};
}

QString PacketDissection::summary(const decoder::DecodedPacket& p) {
  QString text;
  if (!p.hasIp()) {
    text = protocol(p);
    if (p.outerSrcMac() && p.outerDstMac())
      text += QStringLiteral(" %1 > %2").arg(macText(*p.outerSrcMac()), macText(*p.outerDstMac()));
  } else {
    const auto& ip = p.innermostIp();
    const auto& t = p.transport;
    const bool hasTransport = t.ipIndex == p.ipCount - 1;
    if (hasTransport && t.protocol == decoder::ipproto::kTcp) {
      text = QStringLiteral("TCP %1 > %2")
                 .arg(endpoint(ip.src, t.srcPort), endpoint(ip.dst, t.dstPort));
      if (t.tcpHeaderValid) {
        text += QStringLiteral(" [%1] seq %2").arg(tcpFlags(t.tcpFlags)).arg(t.tcpSeq);
        if (t.tcpFlags & decoder::tcpflag::kAck) text += QStringLiteral(" ack %1").arg(t.tcpAck);
        text += QStringLiteral(" win %1").arg(t.tcpWindow);
        if (t.tcpWindowScale >= 0) text += QStringLiteral(" wscale %1").arg(t.tcpWindowScale);
        text += QStringLiteral(" len %1").arg(t.segmentLength);
      }
    } else if (hasTransport && t.protocol == decoder::ipproto::kUdp) {
      text = QStringLiteral("UDP %1 > %2 len %3")
                 .arg(endpoint(ip.src, t.srcPort), endpoint(ip.dst, t.dstPort))
                 .arg(t.segmentLength);
    } else if (hasTransport && t.protocol == decoder::ipproto::kSctp) {
      text = QStringLiteral("SCTP %1 > %2")
                 .arg(endpoint(ip.src, t.srcPort), endpoint(ip.dst, t.dstPort));
    } else if (hasTransport &&
               (t.protocol == decoder::ipproto::kIcmp || t.protocol == decoder::ipproto::kIcmpv6)) {
      text = QStringLiteral("%1 %2 > %3 %4")
                 .arg(ConnectionTableModel::protocolName(t.protocol), ipText(ip.src),
                      ipText(ip.dst), icmpText(p));
    } else {
      text = QStringLiteral("%1 %2 > %3")
                 .arg(ip.version == 4 ? QStringLiteral("IPv4") : QStringLiteral("IPv6"),
                      ipText(ip.src), ipText(ip.dst));
      if (ip.isFragment())
        text += QStringLiteral(" frag id %1 offset %2").arg(ip.fragmentId).arg(ip.fragmentOffset);
      else
        text += QStringLiteral(" proto %1").arg(ConnectionTableModel::protocolName(ip.protocol));
    }
  }
  if (p.isMalformed())
    text += QStringLiteral(" [%1]").arg(QString::fromLatin1(
        decoder::malformedReasonName(p.malformed).data(),
        static_cast<qsizetype>(decoder::malformedReasonName(p.malformed).size())));
  return text;
}

std::vector<PacketField> PacketDissection::tree(int linkType, const decoder::DecodedPacket& p) {
  std::vector<PacketField> layers;

  PacketField frame = field(
      tr("Frame"), tr("%1 bytes on wire, %2 captured").arg(p.wireLength).arg(p.capturedLength), 0,
      static_cast<int>(p.capturedLength));
  const QDateTime time = QDateTime::fromSecsSinceEpoch(p.timestampNs / 1'000'000'000, Qt::UTC);
  frame.children.push_back(
      field(tr("Time (UTC)"),
            time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) +
                QStringLiteral(".%1").arg(p.timestampNs % 1'000'000'000, 9, 10, QLatin1Char('0'))));
  frame.children.push_back(field(tr("Wire length"), QString::number(p.wireLength)));
  frame.children.push_back(field(tr("Captured length"), QString::number(p.capturedLength)));
  frame.children.push_back(field(tr("Link type"), linkTypeName(linkType)));
  if (p.encapsulations)
    frame.children.push_back(field(tr("Encapsulations"), encapsulationText(p.encapsulations)));
  layers.push_back(std::move(frame));

  for (int i = 0; i < p.l2Count; ++i) {
    const decoder::L2Segment& s = p.l2[static_cast<std::size_t>(i)];
    const bool ethernet = s.hasSrc && s.hasDst;
    // Only the outer header's position is known: inner ones sit inside tunnels.
    const bool outerEthernet = i == 0 && ethernet && linkType == decoder::linktype::kEthernet;
    PacketField l2 = field(ethernet ? QStringLiteral("Ethernet") : tr("Link layer"), QString(),
                           outerEthernet ? 0 : -1, outerEthernet ? 14 : 0);
    if (s.hasSrc)
      l2.children.push_back(field(tr("Source"), macText(s.src), outerEthernet ? 6 : -1, 6));
    if (s.hasDst)
      l2.children.push_back(field(tr("Destination"), macText(s.dst), outerEthernet ? 0 : -1, 6));
    if (i == 0) {
      const QString type = etherTypeName(outerEtherType(p));
      if (!type.isEmpty() && !p.hasIp()) l2.children.push_back(field(tr("Type"), type));
    }
    QStringList summaryParts;
    if (s.hasSrc) summaryParts << macText(s.src);
    if (s.hasDst) summaryParts << macText(s.dst);
    l2.value = summaryParts.join(QStringLiteral(" → "));
    layers.push_back(std::move(l2));
    for (int v = 0; v < s.vlanCount; ++v) {
      const std::size_t tag = static_cast<std::size_t>(s.vlanBegin + v);
      if (tag >= p.vlanCount) break;
      const bool outer = outerEthernet && i == 0;
      PacketField vlan = field(QStringLiteral("802.1Q"), tr("VLAN %1").arg(p.vlans[tag]),
                               outer ? 14 + 4 * v - 2 : -1, outer ? 4 : 0);
      vlan.children.push_back(field(tr("VLAN id"), QString::number(p.vlans[tag])));
      vlan.children.push_back(field(tr("Priority (PCP)"), QString::number(p.vlanPcp[tag])));
      layers.push_back(std::move(vlan));
    }
  }
  if (p.mplsCount) {
    QStringList labels;
    for (int i = 0; i < p.mplsCount; ++i)
      labels << QString::number(p.mplsLabels[static_cast<std::size_t>(i)]);
    PacketField mpls = field(QStringLiteral("MPLS"), labels.join(QStringLiteral(", ")));
    for (int i = 0; i < p.mplsCount; ++i) {
      const auto idx = static_cast<std::size_t>(i);
      mpls.children.push_back(
          field(tr("Label %1").arg(i + 1),
                tr("%1, traffic class %2").arg(p.mplsLabels[idx]).arg(p.mplsTc[idx])));
    }
    layers.push_back(std::move(mpls));
  }

  for (int i = 0; i < p.ipCount; ++i) {
    const decoder::IpLayer& ip = p.ip[static_cast<std::size_t>(i)];
    const int off = static_cast<int>(ip.offset);
    PacketField layer =
        field(ip.version == 4 ? QStringLiteral("IPv4") : QStringLiteral("IPv6"),
              QStringLiteral("%1 → %2").arg(ipText(ip.src), ipText(ip.dst)), off, ip.headerLength);
    if (ip.version == 4) {
      layer.children.push_back(field(tr("Source"), ipText(ip.src), off + 12, 4));
      layer.children.push_back(field(tr("Destination"), ipText(ip.dst), off + 16, 4));
      layer.children.push_back(
          field(tr("Header length"), QString::number(ip.headerLength), off, 1));
      layer.children.push_back(field(tr("DSCP"), QString::number(ip.dscp), off + 1, 1));
      layer.children.push_back(field(tr("ECN"), QString::number(ip.ecn), off + 1, 1));
      layer.children.push_back(field(tr("Identification"),
                                     QStringLiteral("0x%1 (%2)")
                                         .arg(ip.fragmentId, 4, 16, QLatin1Char('0'))
                                         .arg(ip.fragmentId),
                                     off + 4, 2));
      QStringList flags;
      if (ip.flags & decoder::kIpDontFragment) flags << tr("don't fragment");
      if (ip.flags & decoder::kIpMoreFragments) flags << tr("more fragments");
      layer.children.push_back(
          field(tr("Flags"), flags.isEmpty() ? tr("none") : flags.join(QStringLiteral(", ")),
                off + 6, 1));
      layer.children.push_back(
          field(tr("Fragment offset"), QString::number(ip.fragmentOffset), off + 6, 2));
      layer.children.push_back(field(tr("Time to live"), QString::number(ip.ttl), off + 8, 1));
      layer.children.push_back(
          field(tr("Protocol"), ConnectionTableModel::protocolName(ip.protocol), off + 9, 1));
    } else {
      layer.children.push_back(field(tr("Source"), ipText(ip.src), off + 8, 16));
      layer.children.push_back(field(tr("Destination"), ipText(ip.dst), off + 24, 16));
      layer.children.push_back(field(tr("Traffic class (DSCP)"), QString::number(ip.dscp), off, 2));
      layer.children.push_back(field(tr("ECN"), QString::number(ip.ecn), off, 2));
      layer.children.push_back(field(tr("Hop limit"), QString::number(ip.ttl), off + 7, 1));
      layer.children.push_back(
          field(tr("Next header (final)"), ConnectionTableModel::protocolName(ip.protocol)));
      layer.children.push_back(field(tr("Header length"), QString::number(ip.headerLength)));
      if (ip.isFragment()) {
        layer.children.push_back(field(tr("Fragment id"), QString::number(ip.fragmentId)));
        layer.children.push_back(field(tr("Fragment offset"), QString::number(ip.fragmentOffset)));
        layer.children.push_back(field(
            tr("More fragments"), ip.flags & decoder::kIpMoreFragments ? tr("yes") : tr("no")));
      }
    }
    layer.children.push_back(field(tr("Payload length"), QString::number(ip.payloadLength)));
    layers.push_back(std::move(layer));
  }

  const decoder::TransportLayer& t = p.transport;
  if (t.ipIndex >= 0 && t.ipIndex < p.ipCount) {
    const decoder::IpLayer& ip = p.ip[static_cast<std::size_t>(t.ipIndex)];
    const int off = static_cast<int>(ip.offset + ip.headerLength);
    const int payloadOff = t.payload ? static_cast<int>(t.payload - p.data) : -1;
    const int headerLength = payloadOff > off ? payloadOff - off : 0;
    const QString name = ConnectionTableModel::protocolName(t.protocol);
    PacketField layer = field(name, QString(), off, headerLength);
    if (t.hasPorts()) {
      layer.value = QStringLiteral("%1 → %2").arg(t.srcPort).arg(t.dstPort);
      layer.children.push_back(field(tr("Source port"), QString::number(t.srcPort), off, 2));
      layer.children.push_back(
          field(tr("Destination port"), QString::number(t.dstPort), off + 2, 2));
    }
    if (t.protocol == decoder::ipproto::kTcp && t.tcpHeaderValid) {
      layer.value += QStringLiteral(" [%1]").arg(tcpFlags(t.tcpFlags));
      layer.children.push_back(field(tr("Sequence number"), QString::number(t.tcpSeq), off + 4, 4));
      layer.children.push_back(
          field(tr("Acknowledgment number"), QString::number(t.tcpAck), off + 8, 4));
      layer.children.push_back(
          field(tr("Header length"), QString::number(headerLength), off + 12, 1));
      layer.children.push_back(field(tr("Flags"),
                                     QStringLiteral("0x%1 [%2]")
                                         .arg(t.tcpFlags, 2, 16, QLatin1Char('0'))
                                         .arg(tcpFlags(t.tcpFlags)),
                                     off + 13, 1));
      layer.children.push_back(field(tr("Window"), QString::number(t.tcpWindow), off + 14, 2));
      if (t.tcpWindowScale >= 0)
        layer.children.push_back(field(tr("Window scale"), QString::number(t.tcpWindowScale)));
      layer.children.push_back(field(tr("Segment length"), QString::number(t.segmentLength)));
    } else if (t.protocol == decoder::ipproto::kUdp) {
      layer.children.push_back(
          field(tr("Length"), QString::number(t.segmentLength + 8), off + 4, 2));
      layer.children.push_back(field(tr("Payload length"), QString::number(t.segmentLength)));
    } else if (t.protocol == decoder::ipproto::kIcmp || t.protocol == decoder::ipproto::kIcmpv6) {
      layer.value = icmpText(p);
      layer.children.push_back(field(tr("Type"), QString::number(t.icmpType), off, 1));
      layer.children.push_back(field(tr("Code"), QString::number(t.icmpCode), off + 1, 1));
    }
    layers.push_back(std::move(layer));
    if (t.payload && t.payloadLength > 0 && payloadOff >= 0)
      layers.push_back(field(tr("Payload"),
                             tr("%n byte(s)", nullptr, static_cast<int>(t.payloadLength)),
                             payloadOff, static_cast<int>(t.payloadLength)));
  }
  if (p.isMalformed()) {
    const auto reason = decoder::malformedReasonName(p.malformed);
    layers.push_back(
        field(tr("Malformed"),
              QString::fromLatin1(reason.data(), static_cast<qsizetype>(reason.size()))));
  }
  return layers;
}

}  // namespace netlens::app::models
