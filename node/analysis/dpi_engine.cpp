// SPDX-License-Identifier: MIT
#include "node/analysis/dpi_engine.h"

#include <cstring>
#include <limits>

// nDPI's headers define `struct ip` and friends in the global namespace; keep them here.
#include <ndpi/ndpi_api.h>

namespace netlens::node::analysis {

DpiEngine::DpiEngine() {
  m_module = ndpi_init_detection_module(ndpi_no_prefs);
  if (m_module == nullptr) return;
  NDPI_PROTOCOL_BITMASK all;
  NDPI_BITMASK_SET_ALL(all);
  ndpi_set_protocol_detection_bitmask2(m_module, &all);
  ndpi_finalize_initialization(m_module);
}

DpiEngine::~DpiEngine() {
  if (m_module != nullptr) ndpi_exit_detection_module(m_module);
}

void DpiEngine::process(Flow& flow, const std::uint8_t* ipHeader, std::uint32_t length,
                        protocol::TimeNs ts, bool hasPayload, bool closing) {
  if (flow.done || m_module == nullptr) return;
  if (flow.state == nullptr) {
    if (!hasPayload || ipHeader == nullptr) return;  // scans and handshakes cost nothing
    flow.state = static_cast<ndpi_flow_struct*>(ndpi_flow_malloc(SIZEOF_FLOW_STRUCT));
    if (flow.state == nullptr) return;
    std::memset(flow.state, 0, SIZEOF_FLOW_STRUCT);
    ++m_active;
  }
  if (ipHeader != nullptr && length != 0) {
    const auto len = static_cast<unsigned short>(
        std::min<std::uint32_t>(length, std::numeric_limits<unsigned short>::max()));
    const ndpi_protocol p = ndpi_detection_process_packet(m_module, flow.state, ipHeader, len,
                                                          static_cast<u_int64_t>(ts / 1'000'000));
    flow.result = AppProtocol{p.master_protocol, p.app_protocol};
  }
  ++flow.packets;
  const bool found =
      flow.result.isKnown() && ndpi_extra_dissection_possible(m_module, flow.state) == 0;
  if (found || closing || flow.packets >= kMaxPackets) finish(flow);
}

void DpiEngine::finish(Flow& flow) {
  if (flow.done) return;
  flow.done = true;
  if (flow.state == nullptr || m_module == nullptr) return;
  if (!flow.result.isKnown()) {
    std::uint8_t guessed = 0;
    const ndpi_protocol p = ndpi_detection_giveup(m_module, flow.state, 1, &guessed);
    flow.result = AppProtocol{p.master_protocol, p.app_protocol};
  }
  ndpi_free_flow(flow.state);
  flow.state = nullptr;
  --m_active;
}

void DpiEngine::release(Flow& flow) {
  if (flow.state != nullptr) {
    ndpi_free_flow(flow.state);
    flow.state = nullptr;
    --m_active;
  }
}

std::string DpiEngine::name(AppProtocol protocol) const {
  if (!protocol.isKnown() || m_module == nullptr) return {};
  ndpi_protocol p{};
  p.master_protocol = protocol.master;
  p.app_protocol = protocol.app;
  char buf[64];
  const char* n = ndpi_protocol2name(m_module, p, buf, sizeof(buf));
  return n != nullptr ? std::string(n) : std::string();
}

}  // namespace netlens::node::analysis
