// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
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
  /// Most instructions a program may have (the kernel's and libpcap's BPF_MAXINSNS).
  static constexpr std::size_t kMaxInstructions = 4096;
  /// A program sent as BPF bytecode in the text `tcpdump -ddd` prints: the instruction
  /// count, then per instruction "code jt jf k" (decimal), instructions separated by commas,
  /// semicolons or line ends ("4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0"). It runs as
  /// given, whatever the link type. Null with `*error` saying what is wrong when the text does
  /// not parse, the count does not match, the program is longer than kMaxInstructions, a jump
  /// leaves the program, or libpcap's validator refuses it (unknown opcode, division by
  /// zero, scratch memory index out of range, no final return).
  static std::unique_ptr<BpfFilter> fromBytecode(const std::string& text, std::string* error);
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
