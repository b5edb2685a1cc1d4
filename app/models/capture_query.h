// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shared/net/ip_address.h"
#include "shared/protocol/codec.h"
#include "shared/protocol/messages.h"

namespace netlens::net {
struct IpPrefix;
}

namespace netlens::app::models {

/// What a PCAP download asks the nodes for: the "search" parameters (mode and paging are the
/// downloader's business), a title for the Captures list ("host 10.0.0.5") and a file-name
/// stem ("host-10.0.0.5"). Built by CaptureQueries, or from the Search tab's form.
struct CaptureQuery {
  QString title;
  QString fileStem;
  protocol::Params params;
  /// The "bpf" parameter alone selects the packets; the other criteria (a host) only let a
  /// store search narrow its candidates through the index. A live capture sends the BPF alone:
  /// the node puts its other criteria after it, where a `vlan` or `mpls` keyword in it has
  /// moved their offsets.
  bool bpfSelectsAll = false;
  /// What a live capture of these packets sends instead, when set (an empty map: the query
  /// has no live form). See CaptureQueries::forConnections().
  std::optional<protocol::Params> liveParams;
};

/// A Layer 2 QoS field: the PCP of the outermost VLAN tag, or the traffic class of the top
/// MPLS label.
enum class L2QosField { VlanPcp, MplsTc };

/// The queries behind the console's "Download PCAP…" actions. Times are packet time in ns
/// since the epoch; 0 leaves that end open (the item's first..last activity where known, else
/// everything the ring holds).
///
/// Criteria the node indexes (host, MAC, port, protocol, VLAN) are used where they say what is
/// meant; the rest is BPF, written so that one 802.1Q tag in front of IP is looked through
/// (`E or (vlan and E)`), as the nodes compile BPF per link type and plain BPF does not skip tags.
/// Thread: any (pure).
class CaptureQueries {
  Q_DECLARE_TR_FUNCTIONS(CaptureQueries)

 public:
  static CaptureQuery forHost(const net::IpAddress& ip, protocol::TimeNs from = 0,
                              protocol::TimeNs to = 0);
  /// The packets of `ip` that also carry `mac` (as source or destination).
  static CaptureQuery forHostMac(const net::IpAddress& ip, const net::MacAddress& mac,
                                 protocol::TimeNs from = 0, protocol::TimeNs to = 0);
  /// Every packet to or from an address in one of the group's prefixes ("10.0.0.0/8").
  /// Empty params (and an empty title) when no prefix is known.
  static CaptureQuery forGroup(const QString& name, const std::vector<std::string>& prefixes,
                               protocol::TimeNs from = 0, protocol::TimeNs to = 0);
  /// A group's packets in one DSCP class (0..63), untagged or behind one 802.1Q tag.
  static CaptureQuery forGroupDscp(const QString& name, const std::vector<std::string>& prefixes,
                                   int dscp, protocol::TimeNs from = 0, protocol::TimeNs to = 0);
  /// A group's packets whose outermost VLAN tag has PCP `value`, or whose top MPLS label has
  /// traffic class `value`: l2QosFilter() over the group's prefixes.
  static CaptureQuery forGroupL2Qos(const QString& name, const std::vector<std::string>& prefixes,
                                    L2QosField field, int value, protocol::TimeNs from = 0,
                                    protocol::TimeNs to = 0);
  /// A group's packets to or from one TCP port (a member's open server port); `port` is also
  /// a criterion for the store's index.
  static CaptureQuery forGroupPort(const QString& name, const std::vector<std::string>& prefixes,
                                   int port, protocol::TimeNs from = 0, protocol::TimeNs to = 0);
  /// One IP protocol by name (tcp, udp, icmp, icmp6, sctp, gre, esp) or number.
  static CaptureQuery forProtocol(const QString& protocol, protocol::TimeNs from = 0,
                                  protocol::TimeNs to = 0);
  /// Both directions of a connection's 5-tuple (and its VLAN), over its active time: the
  /// nodes' "connection" criterion, which a store search matches at the innermost IP header
  /// (tunnelled connections too) and a live capture as BPF on the outer one.
  static CaptureQuery forConnection(const protocol::ConnectionRecord& connection);
  /// The packets of a set of connections (a DPI protocol's row), from the earliest start to
  /// the latest activity: the nodes' "connection" criterion, both directions of each flow,
  /// matched at the innermost IP header (tunnelled flows too, any VLAN tags), up to
  /// protocol::kMaxSearchConnections flows (past that, empty params). Its live form
  /// (liveParams) is a BPF expression naming each flow, untagged or behind one or two VLAN
  /// tags, the reversed-port flow between the same two addresses included (`host A and
  /// host B and port P and port Q`); packets inside a tunnel are not in it (BPF reads the
  /// outer headers). It exists for up to kMaxLiveConnectionFlows flows: libpcap's optimiser
  /// takes time that grows with the square of the expression (measured here: 0.18 s for 32
  /// flows, 0.7 s for 64, 10 s for 256, per link type on each node).
  static CaptureQuery forConnections(const QString& title, const QString& stem,
                                     const std::vector<protocol::ConnectionRecord>& connections);
  static constexpr std::size_t kMaxLiveConnectionFlows = 64;
  /// The two ends of a flow, for flowTerms() and connectionList().
  struct Flow {
    int protocol = 0;
    net::IpAddress a;
    std::uint16_t aPort = 0;
    net::IpAddress b;
    std::uint16_t bPort = 0;
  };
  /// The nodes' "connection" parameter naming `flows`: each flow once (both directions are
  /// one flow), its lower end first, in a stable order, separated by commas; `*count` is set
  /// to the number of flows named.
  static std::string connectionList(const std::vector<Flow>& flows, std::size_t* count);
  /// One BPF term per distinct flow (both directions of a flow are one term), in a stable
  /// order: protocol, both hosts and, for TCP, UDP and SCTP, both ports.
  static std::vector<std::string> flowTerms(const std::vector<Flow>& flows);
  /// The BPF expression of forConnections() without the VLAN form (exposed for tests).
  static std::string connectionsFilter(const std::vector<protocol::ConnectionRecord>& connections);
  /// One DSCP class (0..63): the top six bits of the IPv4 ToS / IPv6 traffic-class byte.
  static CaptureQuery forDscp(int dscp, protocol::TimeNs from = 0, protocol::TimeNs to = 0);
  /// The packets of `ip` in one DSCP class (0..63), untagged or behind one 802.1Q tag: the
  /// host is part of the BPF (bpfSelectsAll), so a live capture matches tagged frames too.
  static CaptureQuery forHostDscp(const net::IpAddress& ip, int dscp, protocol::TimeNs from = 0,
                                  protocol::TimeNs to = 0);
  /// The packets of `ip` whose outermost VLAN tag has PCP `value` (0..7), or whose top MPLS
  /// label has traffic class `value` (0..7): l2QosFilter() as BPF, `host` for the index.
  static CaptureQuery forHostL2Qos(const net::IpAddress& ip, L2QosField field, int value,
                                   protocol::TimeNs from = 0, protocol::TimeNs to = 0);
  /// One port (TCP, UDP or SCTP, either end); `protocol` narrows it when not empty.
  static CaptureQuery forPort(int port, const QString& protocol = QString(),
                              protocol::TimeNs from = 0, protocol::TimeNs to = 0);

  /// The BPF expression forDscp() sends (exposed for tests and the manual).
  static std::string dscpFilter(int dscp);
  /// The BPF expression of forHostL2Qos(), for Ethernet: frames whose outermost VLAN tag
  /// (0x8100, 0x88a8 or 0x9100) has PCP `value`, or whose top MPLS label (0x8847, 0x8848)
  /// has traffic class `value`, with `ip` as source or destination of the IP header that
  /// follows up to kL2Tags tags and then up to kL2Labels labels.
  ///
  /// Every offset is written out from the start of the frame (`ether[N]`), never with the
  /// `vlan` or `mpls` keywords: each of those moves the offsets of the rest of the expression
  /// for good, so one expression cannot try "one tag, then MPLS" and "two tags" as
  /// alternatives. tests/gui/tst_l2_qos_filter.cpp checks it against tshark's
  /// `vlan.priority#1` and `mpls.exp#1`.
  static std::string l2QosFilter(L2QosField field, int value, const net::IpAddress& ip);
  /// The same for an address in one of `prefixes` (a group's networks, IPv4 and IPv6 mixed).
  static std::string l2QosFilter(L2QosField field, int value,
                                 const std::vector<net::IpPrefix>& prefixes);
  static constexpr int kL2Tags = 3;
  static constexpr int kL2Labels = 3;
  /// A file-name stem from free text: letters, digits, '.', '-' and '_' kept, the rest '-'.
  static QString safeStem(const QString& text);
};

}  // namespace netlens::app::models
