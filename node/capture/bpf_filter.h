// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace netlens::node::capture {

/// A BPF filter expression compiled by libpcap for one link type, run on single packets
/// (pcap_offline_filter), e.g. over packets read back from the packet store.
///
/// Thread: one compiled filter may be run by one thread at a time.
class BpfFilter {
 public:
  /// Compiles `expression` for `linkType` (LINKTYPE_* value); null with libpcap's message in
  /// `*error` when it does not compile.
  static std::unique_ptr<BpfFilter> compile(const std::string& expression, int linkType,
                                            std::string* error);
  ~BpfFilter();
  BpfFilter(const BpfFilter&) = delete;
  BpfFilter& operator=(const BpfFilter&) = delete;

  /// True when the packet (captured bytes, wire length) passes the filter.
  bool matches(const std::uint8_t* data, std::uint32_t capturedLength,
               std::uint32_t wireLength) const;

 private:
  BpfFilter() = default;
  struct Program;
  std::unique_ptr<Program> m_program;
};

}  // namespace netlens::node::capture
