// SPDX-License-Identifier: MIT
#include "shared/net/service_names.h"

#include <algorithm>
#include <array>
#include <utility>

namespace netlens::net {

namespace {

using Entry = std::pair<std::uint16_t, std::string_view>;

// Sorted by port for the binary search below.
constexpr std::array kTcpServices{
    Entry{20, "ftp-data"},
    Entry{21, "ftp"},
    Entry{22, "ssh"},
    Entry{23, "telnet"},
    Entry{25, "smtp"},
    Entry{43, "whois"},
    Entry{49, "tacacs"},
    Entry{53, "domain"},
    Entry{79, "finger"},
    Entry{80, "http"},
    Entry{88, "kerberos"},
    Entry{110, "pop3"},
    Entry{111, "sunrpc"},
    Entry{113, "auth"},
    Entry{119, "nntp"},
    Entry{123, "ntp"},
    Entry{135, "epmap"},
    Entry{139, "netbios-ssn"},
    Entry{143, "imap"},
    Entry{179, "bgp"},
    Entry{389, "ldap"},
    Entry{443, "https"},
    Entry{445, "microsoft-ds"},
    Entry{465, "submissions"},
    Entry{502, "modbus"},
    Entry{513, "login"},
    Entry{514, "shell"},
    Entry{515, "printer"},
    Entry{554, "rtsp"},
    Entry{587, "submission"},
    Entry{631, "ipp"},
    Entry{636, "ldaps"},
    Entry{646, "ldp"},
    Entry{853, "domain-s"},
    Entry{873, "rsync"},
    Entry{989, "ftps-data"},
    Entry{990, "ftps"},
    Entry{993, "imaps"},
    Entry{995, "pop3s"},
    Entry{1080, "socks"},
    Entry{1433, "ms-sql-s"},
    Entry{1521, "oracle"},
    Entry{1723, "pptp"},
    Entry{1883, "mqtt"},
    Entry{2049, "nfs"},
    Entry{2181, "zookeeper"},
    Entry{2375, "docker"},
    Entry{2376, "docker-s"},
    Entry{3128, "http-proxy"},
    Entry{3268, "msft-gc"},
    Entry{3306, "mysql"},
    Entry{3389, "ms-wbt-server"},
    Entry{3690, "svn"},
    Entry{4369, "epmd"},
    Entry{5060, "sip"},
    Entry{5061, "sips"},
    Entry{5222, "xmpp-client"},
    Entry{5269, "xmpp-server"},
    Entry{5432, "postgresql"},
    Entry{5672, "amqp"},
    Entry{5900, "rfb"},
    Entry{5985, "wsman"},
    Entry{5986, "wsmans"},
    Entry{6379, "redis"},
    Entry{6443, "kubernetes"},
    Entry{6514, "syslog-tls"},
    Entry{6667, "irc"},
    Entry{8000, "http-alt"},
    Entry{8080, "http-alt"},
    Entry{8443, "https-alt"},
    Entry{8883, "secure-mqtt"},
    Entry{9092, "kafka"},
    Entry{9100, "pdl-datastream"},
    Entry{9200, "elasticsearch"},
    Entry{11211, "memcache"},
    Entry{27017, "mongodb"},
};

static_assert(std::is_sorted(kTcpServices.begin(), kTcpServices.end(),
                             [](const Entry& a, const Entry& b) { return a.first < b.first; }));

}  // namespace

std::string_view tcpServiceName(std::uint16_t port) {
  const auto it = std::lower_bound(kTcpServices.begin(), kTcpServices.end(), port,
                                   [](const Entry& e, std::uint16_t p) { return e.first < p; });
  return it != kTcpServices.end() && it->first == port ? it->second : std::string_view();
}

std::string_view dscpName(int dscp) {
  switch (dscp) {
    case 0:
      return "CS0";
    case 1:
      return "LE";
    case 8:
      return "CS1";
    case 10:
      return "AF11";
    case 12:
      return "AF12";
    case 14:
      return "AF13";
    case 16:
      return "CS2";
    case 18:
      return "AF21";
    case 20:
      return "AF22";
    case 22:
      return "AF23";
    case 24:
      return "CS3";
    case 26:
      return "AF31";
    case 28:
      return "AF32";
    case 30:
      return "AF33";
    case 32:
      return "CS4";
    case 34:
      return "AF41";
    case 36:
      return "AF42";
    case 38:
      return "AF43";
    case 40:
      return "CS5";
    case 44:
      return "VOICE-ADMIT";
    case 46:
      return "EF";
    case 48:
      return "CS6";
    case 56:
      return "CS7";
    default:
      return {};
  }
}

std::string_view pcpName(int pcp) {
  // 802.1Q-2018 table I-2: priority 1 (background) ranks below 0 (best effort).
  static constexpr std::array<std::string_view, 8> kNames{"BE", "BK", "EE", "CA",
                                                          "VI", "VO", "IC", "NC"};
  return pcp >= 0 && pcp < 8 ? kNames[static_cast<std::size_t>(pcp)] : std::string_view();
}

}  // namespace netlens::net
