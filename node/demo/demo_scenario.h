// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "node/demo/demo_frame.h"
#include "node/demo/demo_random.h"
#include "node/demo/frame_builder.h"
#include "node/demo/tcp_session.h"
#include "node/demo/tls_messages.h"

namespace netlens::node::demo {

struct DemoOptions;

/// The demo network and its day: builds the hosts and servers, schedules every activity
/// over the capture's duration and simulates it into a FrameBuilder. Use once per capture
/// through generateDemoFrames(); single-threaded.
class DemoScenario {
 public:
  explicit DemoScenario(const DemoOptions& options);

  /// All frames of the capture, sorted by time and cut to its end.
  std::vector<DemoFrame> generate();

 private:
  enum class SiteKind { Http, Https12, Https13, Mixed };
  struct Site {
    std::string name;
    std::string canonicalName;  // CNAME target, empty if none
    DemoHost v4;
    std::optional<DemoHost> v6;
    SiteKind kind = SiteKind::Http;
    std::int64_t rttNs = 20'000'000;
    std::int64_t segmentGapNs = 120'000;
    double weight = 1;
  };
  struct Client {
    DemoHost v4;
    std::optional<DemoHost> v6;
    std::string userAgent;
    std::uint16_t nextPort = 49152;
    double weight = 1;
  };

  void buildNetwork();
  /// A public server behind the router: server(100, d) is 198.51.100.d, any other `c`
  /// gives 203.0.113.d (both RFC 5737 documentation ranges).
  DemoHost server(std::uint8_t c, std::uint8_t d, std::uint8_t ttl) const;
  std::uint16_t ephemeralPort(Client& client);
  std::size_t pickClient(DemoRandom& r) const;
  std::size_t pickSite(DemoRandom& r) const;

  /// A DNS lookup of `name` by the client (A, and AAAA when dual-stack); returns when the
  /// answers are in. Skipped (returns t) while the client's cache entry is fresh.
  std::int64_t resolve(std::int64_t t, std::size_t clientIndex, const Site& site, DemoRandom& r);
  void dnsExchange(std::int64_t t, Client& client, bool overV6, const std::string& name,
                   std::uint16_t type, std::int64_t delayNs, DemoRandom& r, const Site* site);
  /// One visit of a site: lookup, one keep-alive connection with 1-4 requests, the close.
  void browse(std::int64_t t, std::size_t clientIndex, std::size_t siteIndex, DemoRandom r);
  void httpConnection(std::int64_t t, Client& client, bool overV6, const Site& site, DemoRandom r);
  void tlsConnection(std::int64_t t, Client& client, bool overV6, const Site& site,
                     TlsVersion version, DemoRandom r);
  void streamingSession(std::int64_t t, std::int64_t until, std::size_t clientIndex, DemoRandom r);
  /// The client's lookup of the slow mirror and a TCP connection to its port 80, open from
  /// `t` on; `t` becomes the time the handshake is done.
  TcpSession openToMirror(std::int64_t& t, std::size_t clientIndex, DemoRandom& r);
  void bigDownload(std::int64_t t, std::size_t clientIndex, DemoRandom r);
  /// An HTTP PUT of a backup to the slow mirror, whose small receive window limits it.
  void backupUpload(std::int64_t t, std::size_t clientIndex, DemoRandom r);
  void strayLookups(std::int64_t t, std::int64_t until, DemoRandom r);
  void neighbourDiscovery(std::int64_t t);
  void addressResolution(std::int64_t t, const DemoHost& asker, const DemoHost& target);
  void ping(std::int64_t t, const DemoHost& from, const DemoHost& to, int count, std::int64_t rttNs,
            std::uint16_t identifier);
  void voipCall(DemoRandom r);

  std::int64_t m_start;
  std::int64_t m_end;
  DemoRandom m_random;
  FrameBuilder m_out;
  DemoHost m_router;      // 192.168.10.1, the gateway of every local network
  DemoHost m_routerV6;    // fe80::1 on the same interface
  DemoHost m_resolver;    // 198.51.100.53
  DemoHost m_resolverV6;  // 2001:db8:53::53
  DemoHost m_phone;       // on the voice VLAN
  DemoHost m_pbx;
  DemoHost m_media;
  std::vector<Client> m_clients;
  std::vector<Site> m_sites;
  std::map<std::pair<std::size_t, std::string>, std::int64_t> m_dnsCacheUntil;
};

}  // namespace netlens::node::demo
