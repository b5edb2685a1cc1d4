// SPDX-License-Identifier: MIT
#include "node/demo/demo_scenario.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "node/demo/demo_traffic.h"
#include "node/demo/dns_messages.h"
#include "node/demo/http_messages.h"
#include "node/demo/tcp_session.h"
#include "node/demo/voip_call.h"

namespace netlens::node::demo {

namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kSecond = 1'000'000'000;

/// Router MAC: a Cisco HSRP virtual MAC, as most campus gateways show up.
constexpr net::MacAddress kRouterMac{{0x00, 0x00, 0x0c, 0x07, 0xac, 0x0a}};

constexpr std::array<std::array<std::uint8_t, 3>, 4> kClientOuis = {{
    {0xf8, 0xbc, 0x12},  // Dell
    {0x3c, 0x22, 0xfb},  // Apple
    {0x8c, 0x16, 0x45},  // Lenovo (LCFC)
    {0x3c, 0x52, 0x82},  // HP
}};

constexpr std::array<std::string_view, 4> kUserAgents = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.3.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.80",
};

net::IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  const std::uint8_t bytes[4] = {a, b, c, d};
  return net::IpAddress::fromV4(bytes);
}

net::IpAddress v6(std::string_view text) {
  return *net::IpAddress::parse(text);
}

net::MacAddress mac(const std::array<std::uint8_t, 3>& oui, std::uint32_t serial) {
  return {{oui[0], oui[1], oui[2], static_cast<std::uint8_t>(serial >> 16),
           static_cast<std::uint8_t>(serial >> 8), static_cast<std::uint8_t>(serial)}};
}

/// SLAAC interface identifier (modified EUI-64) of `m` appended to a /64 prefix.
net::IpAddress slaac(std::string_view prefix, const net::MacAddress& m) {
  net::IpAddress a = v6(prefix);
  const auto& b = m.bytes;
  const std::uint8_t id[8] = {
      static_cast<std::uint8_t>(b[0] ^ 0x02), b[1], b[2], 0xff, 0xfe, b[3], b[4], b[5]};
  std::copy(std::begin(id), std::end(id), a.bytes.begin() + 8);
  return a;
}

/// The gateway as the given local host sees it: x.y.z.1 on the host's VLAN.
DemoHost gatewayFor(const DemoHost& host) {
  DemoHost g{kRouterMac, host.ip, host.vlan, 64};
  g.ip.bytes[3] = 1;
  return g;
}

std::span<const std::uint8_t> bytesOf(const std::vector<std::uint8_t>& v) {
  return v;
}

}  // namespace

DemoScenario::DemoScenario(const DemoOptions& options)
    : m_start(options.startNs),
      m_end(options.startNs + static_cast<std::int64_t>(std::llround(options.seconds * 1e9))),
      m_random(options.seed ^ 0x4E65746C656E73ull) {  // "Netlens"
  buildNetwork();
}

DemoHost DemoScenario::server(std::uint8_t c, std::uint8_t d, std::uint8_t ttl) const {
  return {kRouterMac, v4(c == 100 ? 198 : 203, c == 100 ? 51 : 0, c, d), 0, ttl};
}

void DemoScenario::buildNetwork() {
  m_router = {kRouterMac, v4(192, 168, 10, 1), 0, 64};
  m_routerV6 = {kRouterMac, v6("fe80::1"), 0, 255};
  m_resolver = server(100, 53, 58);
  m_resolverV6 = {kRouterMac, v6("2001:db8:53::53"), 0, 58};
  m_phone = {mac({0x80, 0x5e, 0xc0}, 0x3a1f02), v4(10, 20, 0, 15), 20, 64};  // Yealink
  m_pbx = server(113, 50, 55);
  m_media = server(113, 51, 55);

  // 18 clients on the untagged office LAN (three dual-stack), three on the lab VLAN 10,
  // one on the voice VLAN 20. Windows hosts send with TTL 128.
  for (std::uint32_t i = 0; i < 22; ++i) {
    Client c;
    const std::uint32_t vendor = i % kClientOuis.size();
    c.v4.mac = mac(kClientOuis[vendor], 0x10a000 + i * 0x0137);
    if (i < 18) {
      c.v4.ip = v4(192, 168, 10, static_cast<std::uint8_t>(21 + i));
    } else if (i < 21) {
      c.v4.ip = v4(10, 10, 0, static_cast<std::uint8_t>(11 + i - 18));
      c.v4.vlan = 10;
    } else {
      c.v4.ip = v4(10, 20, 0, 21);
      c.v4.vlan = 20;
    }
    const auto agent = (i * 7 + 3) % kUserAgents.size();
    c.userAgent = std::string(kUserAgents[agent]);
    c.v4.ttl = (agent == 0 || agent == 3) ? 128 : 64;
    if (i == 0 || i == 4 || i == 9) {
      c.v6 = DemoHost{c.v4.mac, slaac("2001:db8:10::", c.v4.mac), 0, c.v4.ttl};
    }
    c.nextPort = static_cast<std::uint16_t>(49152 + m_random.below(12000));
    c.weight = 1.0 / std::pow(static_cast<double>(i + 1), 0.6);
    m_clients.push_back(std::move(c));
  }

  auto site = [&](std::string name, DemoHost host, std::optional<DemoHost> host6, SiteKind kind,
                  std::int64_t rttMs, double weight) {
    Site s;
    s.name = std::move(name);
    s.v4 = host;
    s.v6 = host6;
    s.kind = kind;
    s.rttNs = rttMs * kMs;
    s.weight = weight;
    m_sites.push_back(std::move(s));
  };
  auto host6 = [](std::string_view text, std::uint8_t ttl) {
    return DemoHost{kRouterMac, v6(text), 0, ttl};
  };
  site("www.example.com", server(100, 10, 54), host6("2001:db8:100::10", 54), SiteKind::Mixed, 18,
       5);
  site("shop.example.com", server(100, 20, 53), std::nullopt, SiteKind::Https12, 22, 2);
  site("api.example.net", server(100, 30, 50), host6("2001:db8:100::30", 50), SiteKind::Https13, 35,
       4);
  site("news.example.org", server(113, 40, 47), std::nullopt, SiteKind::Http, 45, 3);
  site("static.example.org", server(113, 80, 59), host6("2001:db8:cd::80", 59), SiteKind::Https13,
       8, 4);
  m_sites.back().canonicalName = "edge1.cdn.example.net";
  m_sites.back().segmentGapNs = 60'000;
  site("mail.example.com", server(100, 25, 56), std::nullopt, SiteKind::Https12, 15, 2);
  site("files.example.net", server(113, 90, 49), std::nullopt, SiteKind::Http, 60, 1);
  m_sites.back().segmentGapNs = 900'000;  // a slow mirror: downloads take seconds
}

std::uint16_t DemoScenario::ephemeralPort(Client& client) {
  const std::uint16_t port = client.nextPort;
  client.nextPort = client.nextPort >= 65000 ? 49152 : client.nextPort + 1;
  return port;
}

std::size_t DemoScenario::pickClient(DemoRandom& r) const {
  double total = 0;
  for (const auto& c : m_clients) total += c.weight;
  double x = r.unit() * total;
  for (std::size_t i = 0; i < m_clients.size(); ++i) {
    x -= m_clients[i].weight;
    if (x < 0) return i;
  }
  return m_clients.size() - 1;
}

std::size_t DemoScenario::pickSite(DemoRandom& r) const {
  double total = 0;
  for (const auto& s : m_sites) total += s.weight;
  double x = r.unit() * total;
  for (std::size_t i = 0; i < m_sites.size(); ++i) {
    x -= m_sites[i].weight;
    if (x < 0) return i;
  }
  return m_sites.size() - 1;
}

void DemoScenario::dnsExchange(std::int64_t t, Client& client, bool overV6, const std::string& name,
                               std::uint16_t type, std::int64_t delayNs, DemoRandom& r,
                               const Site* site) {
  const DemoHost& from = overV6 ? *client.v6 : client.v4;
  const DemoHost& resolver = overV6 ? m_resolverV6 : m_resolver;
  const std::uint16_t port = ephemeralPort(client);
  const auto id = static_cast<std::uint16_t>(r.next());
  m_out.udp(t, from, port, resolver, 53, bytesOf(dnsQuery(id, name, type)));
  DnsAnswer answer;
  if (site != nullptr) {
    answer.addresses.push_back(site->v4.ip);
    if (site->v6) answer.addresses.push_back(site->v6->ip);
    answer.canonicalName = site->canonicalName;
    answer.ttl = static_cast<std::uint32_t>(60 + r.below(240));
  } else {
    answer.isNxDomain = true;
  }
  m_out.udp(t + delayNs, resolver, 53, from, port, bytesOf(dnsResponse(id, name, type, answer)));
}

std::int64_t DemoScenario::resolve(std::int64_t t, std::size_t clientIndex, const Site& site,
                                   DemoRandom& r) {
  auto& cachedUntil = m_dnsCacheUntil[{clientIndex, site.name}];
  if (cachedUntil > t) return t;
  // The resolver's own cache: the first lookup of a name in the capture recurses.
  auto& resolverCache = m_dnsCacheUntil[{m_clients.size(), site.name}];
  const bool isCold = resolverCache <= t;
  const std::int64_t delay = isCold ? r.between(40 * kMs, 150 * kMs) : r.between(6 * kMs, 25 * kMs);
  resolverCache = t + 300 * kSecond;
  cachedUntil = t + r.between(60, 300) * kSecond;

  Client& client = m_clients[clientIndex];
  const bool overV6 = client.v6.has_value() && r.chance(0.5);
  dnsExchange(t, client, overV6, site.name, kDnsTypeA, delay, r, &site);
  std::int64_t done = t + delay;
  if (client.v6) {
    const std::int64_t t6 = t + r.between(50'000, 400'000);
    const std::int64_t delay6 = delay + r.between(0, 3 * kMs);
    dnsExchange(t6, client, overV6, site.name, kDnsTypeAaaa, delay6, r, &site);
    done = std::max(done, t6 + delay6);
  }
  return done + r.between(100'000, 800'000);
}

void DemoScenario::browse(std::int64_t t, std::size_t clientIndex, std::size_t siteIndex,
                          DemoRandom r) {
  Client& client = m_clients[clientIndex];
  const Site& site = m_sites[siteIndex];
  t = resolve(t, clientIndex, site, r);
  const bool overV6 = client.v6.has_value() && site.v6.has_value() && r.chance(0.75);
  switch (site.kind) {
    case SiteKind::Http:
      httpConnection(t, client, overV6, site, r.fork(1));
      break;
    case SiteKind::Https12:
      tlsConnection(t, client, overV6, site, TlsVersion::Tls12, r.fork(2));
      break;
    case SiteKind::Https13:
      tlsConnection(t, client, overV6, site, TlsVersion::Tls13, r.fork(3));
      break;
    case SiteKind::Mixed:
      if (r.chance(0.35)) {
        httpConnection(t, client, overV6, site, r.fork(4));
      } else {
        tlsConnection(t, client, overV6, site, TlsVersion::Tls13, r.fork(5));
      }
      break;
  }
}

namespace {

struct HttpObject {
  std::string path;
  std::string contentType;
  std::size_t size;
  int status;
};

HttpObject pickObject(DemoRandom& r, int requestIndex) {
  const auto n = std::to_string(r.between(100, 999));
  if (requestIndex > 0 && r.chance(0.12)) return {"/favicon.ico", "text/html", 0, 404};
  if (r.chance(0.06)) return {"/old/page-" + n + ".html", "text/html", 0, 404};
  switch (r.below(4)) {
    case 0:
      return {"/", "text/html", static_cast<std::size_t>(r.between(4000, 60000)), 200};
    case 1:
      return {"/articles/2024/03/story-" + n + ".html", "text/html",
              static_cast<std::size_t>(r.between(8000, 90000)), 200};
    case 2:
      return {"/api/v1/items?page=" + std::to_string(r.between(1, 9)), "application/json",
              static_cast<std::size_t>(r.between(300, 6000)), 200};
    default:
      return {"/media/asset-" + n + ".bin", "application/octet-stream",
              static_cast<std::size_t>(r.between(10000, 300000)), 200};
  }
}

std::optional<std::size_t> maybeLoss(std::size_t bytes, DemoRandom& r) {
  const std::size_t segments = bytes / 1460;
  if (segments < 8 || !r.chance(0.12)) return std::nullopt;
  return static_cast<std::size_t>(r.between(2, static_cast<std::int64_t>(segments) - 2));
}

}  // namespace

void DemoScenario::httpConnection(std::int64_t t, Client& client, bool overV6, const Site& site,
                                  DemoRandom r) {
  TcpSessionParams params{overV6 ? *client.v6 : client.v4,
                          ephemeralPort(client),
                          overV6 ? *site.v6 : site.v4,
                          80,
                          site.rttNs,
                          site.segmentGapNs};
  TcpSession tcp(m_out, r.fork(1), params);
  t = tcp.open(t, r.chance(0.03));
  const int requests = 1 + static_cast<int>(r.below(4));
  for (int i = 0; i < requests; ++i) {
    const HttpObject object = pickObject(r, i);
    const bool isPost = object.contentType == "application/json" && r.chance(0.3);
    const std::string form = "name=demo&action=save&id=" + std::to_string(r.below(10000));
    const auto request = isPost ? httpRequest("POST", site.name, "/api/v1/items", client.userAgent,
                                              "application/x-www-form-urlencoded", form)
                                : httpRequest("GET", site.name, object.path, client.userAgent);
    t = tcp.clientSends(t + r.between(100'000, 2 * kMs), request, r.chance(0.03));
    t += r.between(1 * kMs, 40 * kMs);  // server think time
    std::vector<std::uint8_t> body;
    if (object.status == 404) {
      const std::string page =
          "<html><head><title>404 Not Found</title></head><body><h1>404 "
          "Not Found</h1><hr><center>nginx</center></body></html>\n";
      body.assign(page.begin(), page.end());
    } else {
      body = httpBody(object.contentType, object.size, r);
    }
    const auto status = isPost ? 201 : object.status;
    const auto response = httpResponse(status, object.contentType, t, body);
    t = tcp.serverSends(t, response, maybeLoss(response.size(), r));
    t += r.between(50 * kMs, 1500 * kMs);  // the user reads, the browser fetches the next
  }
  const double closing = r.unit();
  if (closing < 0.70) {
    tcp.close(t, true);
  } else if (closing < 0.85) {
    tcp.close(t + 5 * kSecond, false);  // nginx keepalive_timeout
  } else if (closing < 0.95) {
    tcp.reset(t);
  }  // else: left open past the end of the capture
}

void DemoScenario::tlsConnection(std::int64_t t, Client& client, bool overV6, const Site& site,
                                 TlsVersion version, DemoRandom r) {
  TcpSessionParams params{overV6 ? *client.v6 : client.v4,
                          ephemeralPort(client),
                          overV6 ? *site.v6 : site.v4,
                          443,
                          site.rttNs,
                          site.segmentGapNs};
  TcpSession tcp(m_out, r.fork(1), params);
  t = tcp.open(t, r.chance(0.03));
  const auto handshake =
      tlsHandshake(version, site.name, version == TlsVersion::Tls13 ? "h2" : "http/1.1", r);
  t = tcp.clientSends(t, handshake.clientHello);
  t += r.between(500'000, 5 * kMs);
  t = tcp.serverSends(t, handshake.serverFlight);
  const int requests = 1 + static_cast<int>(r.below(5));
  for (int i = 0; i < requests; ++i) {
    auto request = tlsApplicationData(version, static_cast<std::size_t>(r.between(250, 1400)), r);
    if (i == 0)
      request.insert(request.begin(), handshake.clientFinish.begin(), handshake.clientFinish.end());
    t = tcp.clientSends(t + r.between(200'000, 3 * kMs), request, r.chance(0.02));
    t += r.between(2 * kMs, 60 * kMs);
    const auto response =
        tlsApplicationData(version, static_cast<std::size_t>(r.between(800, 160000)), r);
    t = tcp.serverSends(t, response, maybeLoss(response.size(), r));
    t += r.between(80 * kMs, 2500 * kMs);
  }
  if (r.chance(0.85)) {
    t = tcp.clientSends(t, tlsCloseNotify(version, r));
    tcp.close(t - tcp.rttNs() + r.between(50'000, 500'000), true);
  } else {
    tcp.reset(t);
  }
}

void DemoScenario::streamingSession(std::int64_t t, std::int64_t until, std::size_t clientIndex,
                                    DemoRandom r) {
  // A video player on a CDN: one TLS 1.3 connection fetching a media segment every ~2 s.
  const Site& site = m_sites[4];
  t = resolve(t, clientIndex, site, r);
  Client& client = m_clients[clientIndex];
  TcpSessionParams params{client.v4,  ephemeralPort(client), site.v4, 443,
                          site.rttNs, site.segmentGapNs};
  TcpSession tcp(m_out, r.fork(1), params);
  t = tcp.open(t);
  const auto handshake = tlsHandshake(TlsVersion::Tls13, site.name, "h2", r);
  t = tcp.clientSends(t, handshake.clientHello);
  t = tcp.serverSends(t + r.between(kMs, 3 * kMs), handshake.serverFlight);
  std::int64_t next = t + r.between(kMs, 5 * kMs);
  bool first = true;
  while (next < until - kSecond) {
    auto request = tlsApplicationData(TlsVersion::Tls13, 420, r);
    if (first) {
      request.insert(request.begin(), handshake.clientFinish.begin(), handshake.clientFinish.end());
    }
    first = false;
    t = tcp.clientSends(next, request);
    const auto segment = tlsApplicationData(
        TlsVersion::Tls13, static_cast<std::size_t>(r.between(120'000, 380'000)), r);
    t = tcp.serverSends(t + r.between(kMs, 8 * kMs), segment, maybeLoss(segment.size(), r));
    next = std::max(next + r.between(1800 * kMs, 2200 * kMs), t + 100 * kMs);
  }
  t = tcp.clientSends(std::max(t, next), tlsCloseNotify(TlsVersion::Tls13, r));
  tcp.close(t - tcp.rttNs() + r.between(50'000, 500'000), true);
}

TcpSession DemoScenario::openToMirror(std::int64_t& t, std::size_t clientIndex, DemoRandom& r) {
  const Site& site = m_sites[6];
  t = resolve(t, clientIndex, site, r);
  Client& client = m_clients[clientIndex];
  TcpSessionParams params{client.v4,  ephemeralPort(client), site.v4, 80,
                          site.rttNs, site.segmentGapNs};
  TcpSession tcp(m_out, r.fork(1), params);
  t = tcp.open(t);
  return tcp;
}

void DemoScenario::bigDownload(std::int64_t t, std::size_t clientIndex, DemoRandom r) {
  TcpSession tcp = openToMirror(t, clientIndex, r);
  const Site& site = m_sites[6];
  const Client& client = m_clients[clientIndex];
  const auto request =
      httpRequest("GET", site.name, "/releases/dataset-2024.03.tar.xz", client.userAgent);
  t = tcp.clientSends(t, request) + 3 * kMs;
  const double seconds = static_cast<double>(m_end - m_start) / 1e9;
  const auto size = static_cast<std::size_t>(std::clamp(seconds * 60'000.0, 20'000.0, 3.5e6));
  const auto body = httpBody("application/octet-stream", size, r);
  const auto response = httpResponse(200, "application/octet-stream", t, body);
  // One lost segment well inside the transfer: duplicate ACKs, then a fast retransmission.
  t = tcp.serverSends(t, response, response.size() / 1460 / 3);
  tcp.close(t + r.between(kMs, 10 * kMs), true);
}

void DemoScenario::backupUpload(std::int64_t t, std::size_t clientIndex, DemoRandom r) {
  TcpSession tcp = openToMirror(t, clientIndex, r);
  const Site& site = m_sites[6];
  const Client& client = m_clients[clientIndex];
  const double seconds = static_cast<double>(m_end - m_start) / 1e9;
  const auto size = static_cast<std::size_t>(std::clamp(seconds * 6'000.0, 40'000.0, 600'000.0));
  const auto body = httpBody("application/octet-stream", size, r);
  const auto request = httpRequest(
      "PUT", site.name, "/incoming/laptop-backup.tar", client.userAgent, "application/x-tar",
      std::string_view(reinterpret_cast<const char*>(body.data()), body.size()));
  // 16 KiB of receive buffer, read every 25-40 ms: the upload stalls on the window.
  t = tcp.clientSendsIntoSmallWindow(t, request, 16 * 1024, r.between(25 * kMs, 40 * kMs));
  const auto response = httpResponse(201, "text/plain", t, {'s', 't', 'o', 'r', 'e', 'd', '\n'});
  t = tcp.serverSends(t + r.between(kMs, 4 * kMs), response);
  tcp.close(t + r.between(kMs, 10 * kMs), true);
}

void DemoScenario::strayLookups(std::int64_t t, std::int64_t until, DemoRandom r) {
  // Background name lookups nobody connects to: proxy auto-discovery (NXDOMAIN),
  // typos, telemetry.
  static constexpr std::array<std::string_view, 4> kMissing = {
      "wpad.corp.example", "intranet.corp.example", "wwww.example.com", "printer3.corp.example"};
  Site telemetry;
  telemetry.name = "telemetry.example.net";
  telemetry.v4 = server(113, 77, 50);
  while (true) {
    t += static_cast<std::int64_t>(r.exponential(3.0) * 1e9);
    if (t >= until) break;
    Client& client = m_clients[pickClient(r)];
    const bool isMissing = r.chance(0.6);
    const std::string name =
        isMissing ? std::string(kMissing[r.below(kMissing.size())]) : telemetry.name;
    dnsExchange(t, client, false, name, kDnsTypeA, r.between(5 * kMs, 60 * kMs), r,
                isMissing ? nullptr : &telemetry);
  }
}

void DemoScenario::neighbourDiscovery(std::int64_t t) {
  // Each dual-stack client looks up the router's link-local address before using IPv6.
  for (const auto& client : m_clients) {
    if (!client.v6) continue;
    DemoHost linkLocal = *client.v6;
    linkLocal.ip = slaac("fe80::", client.v6->mac);
    std::vector<std::uint8_t> solicit = {0, 0, 0, 0};
    solicit.insert(solicit.end(), m_routerV6.ip.bytes.begin(), m_routerV6.ip.bytes.end());
    solicit.insert(solicit.end(), {1, 1});  // source link-layer address option
    solicit.insert(solicit.end(), client.v6->mac.bytes.begin(), client.v6->mac.bytes.end());
    // Solicited-node multicast group of fe80::1 and its MAC.
    const net::IpAddress group = v6("ff02::1:ff00:1");
    const net::MacAddress groupMac{{0x33, 0x33, 0xff, 0x00, 0x00, 0x01}};
    m_out.icmpv6(t, linkLocal, group, groupMac, 135, 0, solicit, 255);

    std::vector<std::uint8_t> advert = {0xe0, 0, 0, 0};  // router, solicited, override
    advert.insert(advert.end(), m_routerV6.ip.bytes.begin(), m_routerV6.ip.bytes.end());
    advert.insert(advert.end(), {2, 1});  // target link-layer address option
    advert.insert(advert.end(), kRouterMac.bytes.begin(), kRouterMac.bytes.end());
    m_out.icmpv6(t + 400'000, m_routerV6, linkLocal.ip, client.v6->mac, 136, 0, advert, 255);
    t += 170 * kMs;
  }
}

void DemoScenario::addressResolution(std::int64_t t, const DemoHost& asker,
                                     const DemoHost& target) {
  m_out.arp(t, asker, target, false);
  m_out.arp(t + 350'000, target, asker, true);
}

void DemoScenario::ping(std::int64_t t, const DemoHost& from, const DemoHost& to, int count,
                        std::int64_t rttNs, std::uint16_t identifier) {
  for (int seq = 1; seq <= count; ++seq, t += kSecond) {
    // Linux ping's 56 data bytes: the send time (struct timeval), then 0x10, 0x11, ...
    std::vector<std::uint8_t> data(56);
    const std::int64_t sec = t / kSecond;
    const std::int64_t usec = t % kSecond / 1000;
    for (int i = 0; i < 8; ++i) data[i] = static_cast<std::uint8_t>(sec >> (8 * i));
    for (int i = 0; i < 8; ++i) data[8 + i] = static_cast<std::uint8_t>(usec >> (8 * i));
    for (int i = 16; i < 56; ++i) data[i] = static_cast<std::uint8_t>(i);
    m_out.icmpEcho(t, from, to, false, identifier, static_cast<std::uint16_t>(seq), data);
    m_out.icmpEcho(t + rttNs + seq * 37'000, to, from, true, identifier,
                   static_cast<std::uint16_t>(seq), data);
  }
}

void DemoScenario::voipCall(DemoRandom r) {
  const std::int64_t duration = m_end - m_start;
  VoipCallParams p;
  p.phone = m_phone;
  p.pbx = m_pbx;
  p.media = m_media;
  p.rttNs = 24 * kMs;
  p.registerAtNs = m_start + std::min<std::int64_t>(800 * kMs, duration / 20) + r.between(0, kMs);
  p.inviteAtNs = m_start + duration / 8 + r.between(0, 50 * kMs);
  p.ringNs = std::min<std::int64_t>(r.between(2500 * kMs, 4000 * kMs), duration / 10);
  p.talkNs = std::max<std::int64_t>(duration * 6 / 10 - p.ringNs, kSecond / 2);
  p.phoneRtpPort = static_cast<std::uint16_t>(2 * r.between(5000, 9999));  // even, as RTP wants

  // The phone finds its gateway and the PBX's address first.
  const std::int64_t t = p.registerAtNs - std::min<std::int64_t>(200 * kMs, duration / 50);
  addressResolution(t, m_phone, gatewayFor(m_phone));
  Client phoneAsClient;
  phoneAsClient.v4 = m_phone;
  phoneAsClient.nextPort = 51000;
  Site pbx;
  pbx.name = "sip.example.com";
  pbx.v4 = m_pbx;
  dnsExchange(t + kMs, phoneAsClient, false, pbx.name, kDnsTypeA, 18 * kMs, r, &pbx);

  VoipCall call(m_out, r.fork(7), p);
  call.generate();
}

std::vector<DemoFrame> DemoScenario::generate() {
  const std::int64_t duration = m_end - m_start;
  if (duration <= 0) return {};
  DemoRandom r = m_random;

  // Scheduled events get a random offset so that nothing sits on a round timestamp.
  auto at = [&](std::int64_t offset) { return m_start + offset + r.between(0, 9 * kMs); };
  addressResolution(at(20 * kMs), m_clients[2].v4, gatewayFor(m_clients[2].v4));
  addressResolution(at(duration / 2), m_router, m_clients[12].v4);
  addressResolution(at(duration * 3 / 4), gatewayFor(m_clients[19].v4), m_clients[19].v4);
  neighbourDiscovery(at(60 * kMs));
  voipCall(r.fork(1));

  const Site& www = m_sites[0];
  ping(at(duration / 4), m_clients[5].v4, www.v4, 5, www.rttNs, 0x1a2b);
  ping(at(duration * 3 / 5), *m_clients[4].v6, *www.v6, 4, www.rttNs + 2 * kMs, 0x0c41);

  streamingSession(m_start + duration / 12, m_end, 18, r.fork(2));
  bigDownload(m_start + duration * 7 / 20, 7, r.fork(3));
  strayLookups(m_start, m_end, r.fork(4));

  // Page visits as a Poisson process over the whole capture, so a replay is busy throughout.
  DemoRandom visits = r.fork(5);
  std::int64_t t = m_start + 100 * kMs;
  for (std::uint64_t i = 0;; ++i) {
    t += static_cast<std::int64_t>(visits.exponential(0.3) * 1e9);
    if (t >= m_end - 200 * kMs) break;
    const std::size_t client = pickClient(visits);
    const std::size_t site = pickSite(visits);
    browse(t, client, site, visits.fork(i));
  }

  backupUpload(m_start + duration * 11 / 20, 11, r.fork(6));

  auto frames = m_out.takeFrames();
  std::stable_sort(frames.begin(), frames.end(), [](const DemoFrame& a, const DemoFrame& b) {
    return a.timestampNs < b.timestampNs;
  });
  const auto end = std::find_if(frames.begin(), frames.end(),
                                [&](const DemoFrame& f) { return f.timestampNs >= m_end; });
  frames.erase(end, frames.end());
  return frames;
}

}  // namespace netlens::node::demo
