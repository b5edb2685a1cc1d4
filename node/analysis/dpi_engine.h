// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

#include "shared/protocol/messages.h"

struct ndpi_detection_module_struct;
struct ndpi_flow_struct;

namespace netlens::node::analysis {

/// The application protocol of a flow as nDPI names it: master (e.g. TLS) and application
/// (e.g. YouTube) protocol ids; 0/0 is unknown.
struct AppProtocol {
  std::uint16_t master = 0;
  std::uint16_t app = 0;
  bool isKnown() const { return master != 0 || app != 0; }
};

/// One worker's nDPI detection module. nDPI keeps a flow state of about 700 bytes while it
/// detects; DpiEngine lets a connection hold that state only from its first payload packet
/// until detection ends (found, nothing more to dissect, given up after kMaxPackets packets,
/// or the connection closed), then frees it, keeping only the 4-byte AppProtocol.
///
/// Thread: one engine per worker; every call from that worker, except name(), which only
/// reads tables fixed at start-up and may be called while the worker is held still.
class DpiEngine {
 public:
  /// Packets fed to nDPI per flow before it has to decide.
  static constexpr std::uint8_t kMaxPackets = 32;

  DpiEngine();
  ~DpiEngine();
  DpiEngine(const DpiEngine&) = delete;
  DpiEngine& operator=(const DpiEngine&) = delete;

  /// Per-connection detection state: null until the first payload packet, null again when
  /// done. Owned by the engine's caller; release() it when the connection goes.
  struct Flow {
    ndpi_flow_struct* state = nullptr;
    AppProtocol result;
    std::uint8_t packets = 0;
    bool done = false;
  };

  /// Feeds one packet of a connection: `ipHeader` .. `ipHeader + length` is the captured
  /// innermost IP packet. `hasPayload` starts detection; `closing` (FIN/RST) ends it.
  void process(Flow& flow, const std::uint8_t* ipHeader, std::uint32_t length, protocol::TimeNs ts,
               bool hasPayload, bool closing);
  /// Ends detection now (guessing from ports when nothing was found) and frees the state.
  void finish(Flow& flow);
  /// Frees the state without a verdict (connection evicted).
  void release(Flow& flow);

  /// "TLS.YouTube", "DNS", ... ; "" for unknown.
  std::string name(AppProtocol protocol) const;
  /// Flows holding nDPI state now, for the memory report.
  std::size_t activeFlows() const { return m_active; }

 private:
  ndpi_detection_module_struct* m_module = nullptr;
  std::size_t m_active = 0;
};

}  // namespace netlens::node::analysis
