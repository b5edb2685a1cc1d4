// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <cstdint>

#include "shared/protocol/codec.h"
#include "shared/protocol/messages.h"

namespace netlens::decoder {
struct DecodedPacket;
}

namespace netlens::app::models {

/// Which end of a packet an address, MAC or port criterion names.
enum class SearchSide { Either, Source, Destination };

/// The Search tab's form as typed: every text field but BPF, payload and the HTTP fields may
/// hold several values separated by commas (a criterion holds when one of its values does;
/// different criteria must all hold).
/// Times are nanoseconds since the epoch, 0 for an open end.
struct SearchForm {
  QString addresses;
  SearchSide addressSide = SearchSide::Either;
  QString macs;
  SearchSide macSide = SearchSide::Either;
  QString ports;
  SearchSide portSide = SearchSide::Either;
  QString protocols;  ///< tcp, udp, icmp, icmp6, sctp, gre, esp or numbers
  QString vlans;
  QString bpf;
  QString payload;
  bool payloadIsHex = false;
  /// A POSIX extended regular expression (payloadIsHex is then ignored); the nodes compile
  /// and check it (the console's Qt has another syntax).
  bool payloadIsRegex = false;
  /// The signature selects sessions: matched across each TCP session's packets.
  bool payloadPerSession = false;
  /// HTTP criteria, one value each (a URL or user agent may hold commas): the TCP sessions
  /// carrying a request with this Host (without port, any case), part of the request target,
  /// part of the User-Agent (any case), last path segment (any case) or Basic-auth user.
  QString httpHost;
  QString httpUrl;
  QString httpUserAgent;
  QString httpFile;
  QString httpUser;
  protocol::TimeNs from = 0;
  protocol::TimeNs to = 0;
  quint64 limit = 0;  ///< packets; 0 for the node's maximum
};

/// Turns the form into the parameters of the node's "search" operation, checking on the
/// console what it can (address, MAC, port, VLAN and protocol syntax, hex bytes, the time
/// order) so that a typo is explained at once, not by every node. A BPF expression is left to
/// the nodes, which compile it for each segment's link type. Thread: any (pure).
class SearchQuery {
  Q_DECLARE_TR_FUNCTIONS(SearchQuery)

 public:
  /// The parameters of `form` in mode "list"; false with one translated line per problem.
  static bool build(const SearchForm& form, protocol::Params* params, QStringList* errors);

  /// The parameters that fetch the packets of `session` (mode "packets"): the search that
  /// found it, narrowed to the session's time span and, where the search named none, one of
  /// its addresses and ports. That can still take in packets of other sessions (the node's
  /// criteria have no "both ends" form), so keep only those inSession() accepts.
  static protocol::Params forSession(const protocol::Params& search,
                                     const protocol::SearchSession& session);

  /// Whether a decoded packet belongs to `session`: its innermost IP pair, protocol and
  /// ports in either direction, as the node groups sessions.
  static bool inSession(const decoder::DecodedPacket& packet,
                        const protocol::SearchSession& session);

  /// Hex bytes as the node takes them ("474554", "47 45 54", "47:45:54"); false when not.
  static bool isHexBytes(const QString& text);
};

}  // namespace netlens::app::models
