// SPDX-License-Identifier: MIT
#include "node/analysis/sdp_media_registry.h"

#include <algorithm>

namespace netlens::node::analysis {

void SdpMediaRegistry::announce(const net::IpAddress& address, std::uint16_t port,
                                MediaEndpoint endpoint) {
  std::lock_guard lock(m_mutex);
  m_endpoints[{address, port}] = std::move(endpoint);
  if (m_endpoints.size() > kMaxEndpoints) {
    // Rare (only past the bound): a linear scan for the oldest is cheaper than an index.
    auto oldest = std::min_element(m_endpoints.begin(), m_endpoints.end(), [](auto& a, auto& b) {
      return a.second.announced < b.second.announced;
    });
    m_endpoints.erase(oldest);
  }
  m_count.store(m_endpoints.size(), std::memory_order_relaxed);
}

bool SdpMediaRegistry::find(const net::IpAddress& address, std::uint16_t port,
                            MediaEndpoint* out) const {
  if (isEmpty()) return false;
  std::lock_guard lock(m_mutex);
  const auto it = m_endpoints.find({address, port});
  if (it == m_endpoints.end()) return false;
  if (out != nullptr) *out = it->second;
  return true;
}

}  // namespace netlens::node::analysis
