// SPDX-License-Identifier: MIT
#include "node/demo/http_messages.h"

#include <array>
#include <cstdio>

namespace netlens::node::demo {

namespace {

constexpr std::array<std::string_view, 12> kWords = {"network", "latency", "packet",  "capture",
                                                     "router",  "switch",  "traffic", "analysis",
                                                     "report",  "server",  "client",  "session"};

std::string_view reasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 304:
      return "Not Modified";
    case 404:
      return "Not Found";
    default:
      return "Internal Server Error";
  }
}

void append(std::vector<std::uint8_t>& v, std::string_view s) {
  v.insert(v.end(), s.begin(), s.end());
}

}  // namespace

std::string httpDate(std::int64_t timestampNs) {
  static constexpr std::array<const char*, 7> kDays = {"Thu", "Fri", "Sat", "Sun",
                                                       "Mon", "Tue", "Wed"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::int64_t seconds = timestampNs / 1'000'000'000;
  const std::int64_t days = seconds / 86400;
  const std::int64_t secondOfDay = seconds % 86400;
  // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted).
  const std::int64_t z = days + 719468;
  const std::int64_t era = z / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  char text[40];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[days % 7],
                static_cast<int>(day), kMonths[month - 1], static_cast<int>(year),
                static_cast<int>(secondOfDay / 3600), static_cast<int>(secondOfDay / 60 % 60),
                static_cast<int>(secondOfDay % 60));
  return text;
}

std::vector<std::uint8_t> httpRequest(std::string_view method, std::string_view host,
                                      std::string_view path, std::string_view userAgent,
                                      std::string_view contentType, std::string_view body) {
  std::string r;
  r.reserve(256 + body.size());
  r.append(method).append(" ").append(path).append(" HTTP/1.1\r\n");
  r.append("Host: ").append(host).append("\r\n");
  r.append("User-Agent: ").append(userAgent).append("\r\n");
  r.append("Accept: */*\r\nAccept-Language: en-GB,en;q=0.8\r\nConnection: keep-alive\r\n");
  if (!body.empty()) {
    r.append("Content-Type: ").append(contentType).append("\r\n");
    r.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  r.append("\r\n").append(body);
  return {r.begin(), r.end()};
}

std::vector<std::uint8_t> httpResponse(int status, std::string_view contentType,
                                       std::int64_t timestampNs,
                                       const std::vector<std::uint8_t>& body) {
  std::string h = "HTTP/1.1 " + std::to_string(status) + " ";
  h.append(reasonPhrase(status)).append("\r\n");
  h.append("Date: ").append(httpDate(timestampNs)).append("\r\n");
  h.append("Server: nginx/1.24.0\r\n");
  if (!contentType.empty()) h.append("Content-Type: ").append(contentType).append("\r\n");
  h.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  h.append("Connection: keep-alive\r\n\r\n");
  std::vector<std::uint8_t> v(h.begin(), h.end());
  v.insert(v.end(), body.begin(), body.end());
  return v;
}

std::vector<std::uint8_t> httpBody(std::string_view contentType, std::size_t approxBytes,
                                   DemoRandom& random) {
  std::vector<std::uint8_t> v;
  v.reserve(approxBytes + 128);
  if (contentType.starts_with("application/json")) {
    append(v, "{\"items\":[");
    for (int id = 1; v.size() + 64 < approxBytes || id == 1; ++id) {
      if (id > 1) append(v, ",");
      const auto& word = kWords[random.below(kWords.size())];
      append(v, "{\"id\":" + std::to_string(id) + ",\"name\":\"" + std::string(word) + "-" +
                    std::to_string(id) + "\",\"value\":" + std::to_string(random.below(100000)) +
                    "}");
    }
    append(v, "],\"status\":\"ok\"}");
  } else if (contentType.starts_with("text/")) {
    append(v, "<!DOCTYPE html>\n<html><head><title>Example</title></head><body>\n");
    while (v.size() + 16 < approxBytes) {
      append(v, "<p>");
      for (int w = 0; w < 12; ++w) {
        append(v, kWords[random.below(kWords.size())]);
        append(v, " ");
      }
      append(v, "</p>\n");
    }
    append(v, "</body></html>\n");
  } else {
    v.resize(approxBytes);
    for (auto& b : v) b = static_cast<std::uint8_t>(random.next() >> 24);
  }
  return v;
}

}  // namespace netlens::node::demo
