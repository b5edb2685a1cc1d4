// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "node/demo/demo_random.h"

namespace netlens::node::demo {

/// An HTTP/1.1 request with Host, User-Agent, Accept headers and keep-alive; with a body
/// (POST) it also carries Content-Type and Content-Length.
std::vector<std::uint8_t> httpRequest(std::string_view method, std::string_view host,
                                      std::string_view path, std::string_view userAgent,
                                      std::string_view contentType = {},
                                      std::string_view body = {});

/// An HTTP/1.1 response: status line, Date (from `timestampNs`), Server, Content-Type,
/// Content-Length of `body`, then the body.
std::vector<std::uint8_t> httpResponse(int status, std::string_view contentType,
                                       std::int64_t timestampNs,
                                       const std::vector<std::uint8_t>& body);

/// A body of about `approxBytes` that a dissector accepts for `contentType`: an HTML page,
/// a syntactically valid JSON document, or opaque bytes for application/octet-stream.
std::vector<std::uint8_t> httpBody(std::string_view contentType, std::size_t approxBytes,
                                   DemoRandom& random);

/// IMF-fixdate of a Unix time in nanoseconds ("Thu, 14 Mar 2024 09:00:00 GMT").
std::string httpDate(std::int64_t timestampNs);

}  // namespace netlens::node::demo
