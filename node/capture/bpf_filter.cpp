// SPDX-License-Identifier: MIT
#include "node/capture/bpf_filter.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

namespace netlens::node::capture {

struct BpfFilter::Program {
  bpf_program program{};
  ~Program() { pcap_freecode(&program); }
};

std::unique_ptr<BpfFilter> BpfFilter::compile(const std::string& expression, int linkType,
                                              std::string* error) {
  pcap_t* dead = pcap_open_dead(linkType, 262144);
  if (!dead) {
    *error = "cannot compile filter \"" + expression + "\": out of memory";
    return nullptr;
  }
  auto filter = std::unique_ptr<BpfFilter>(new BpfFilter);
  filter->m_program = std::make_unique<Program>();
  const bool ok = pcap_compile(dead, &filter->m_program->program, expression.c_str(), 1,
                               PCAP_NETMASK_UNKNOWN) == 0;
  if (!ok) {
    *error = "bad filter \"" + expression + "\": " + pcap_geterr(dead);
    filter->m_program.reset();  // nothing to free
    filter.reset();
  }
  pcap_close(dead);
  return filter;
}

namespace {

/// The instruction groups of `text`: pieces between commas, semicolons and line ends.
std::vector<std::string_view> groupsOf(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ',' || text[i] == ';' || text[i] == '\n') {
      std::string_view g = text.substr(start, i - start);
      while (!g.empty() && (g.front() == ' ' || g.front() == '\t' || g.front() == '\r'))
        g.remove_prefix(1);
      while (!g.empty() && (g.back() == ' ' || g.back() == '\t' || g.back() == '\r'))
        g.remove_suffix(1);
      if (!g.empty()) out.push_back(g);
      start = i + 1;
    }
  }
  return out;
}

/// The whitespace-separated decimal numbers of `group`; false when one is not a number.
bool numbersOf(std::string_view group, std::vector<std::uint64_t>& out) {
  out.clear();
  std::size_t i = 0;
  while (i < group.size()) {
    while (i < group.size() && (group[i] == ' ' || group[i] == '\t')) ++i;
    if (i == group.size()) break;
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(group.data() + i, group.data() + group.size(), v);
    if (ec != std::errc() || v > UINT32_MAX) return false;
    i = static_cast<std::size_t>(end - group.data());
    if (i < group.size() && group[i] != ' ' && group[i] != '\t') return false;
    out.push_back(v);
  }
  return true;
}

/// Every opcode libpcap's interpreter runs. It aborts the process on any other, and its
/// validator lets some through (a MISC or RET variant), so programs are checked against this
/// list first.
bool isKnownOpcode(std::uint16_t code) {
  static constexpr std::uint16_t kKnown[] = {
      0x06, 0x16,                                                        // ret k, ret a
      0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x80, 0x00, 0x60,              // ld
      0x81, 0xb1, 0x01, 0x61,                                            // ldx
      0x02, 0x03,                                                        // st, stx
      0x05, 0x15, 0x25, 0x35, 0x45, 0x1d, 0x2d, 0x3d, 0x4d,              // jumps
      0x04, 0x14, 0x24, 0x34, 0x94, 0x54, 0x44, 0xa4, 0x64, 0x74,        // alu k
      0x0c, 0x1c, 0x2c, 0x3c, 0x9c, 0x5c, 0x4c, 0xac, 0x6c, 0x7c, 0x84,  // alu x, neg
      0x07, 0x87,                                                        // tax, txa
  };
  return std::find(std::begin(kKnown), std::end(kKnown), code) != std::end(kKnown);
}

}  // namespace

std::unique_ptr<BpfFilter> BpfFilter::fromBytecode(const std::string& text, std::string* error) {
  const auto groups = groupsOf(text);
  std::vector<std::uint64_t> n;
  if (groups.empty() || !numbersOf(groups[0], n) || n.size() != 1) {
    *error =
        "BPF bytecode must start with the number of instructions, as tcpdump -ddd prints "
        "it (e.g. \"4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0\")";
    return nullptr;
  }
  const std::uint64_t count = n[0];
  if (count == 0 || count > kMaxInstructions) {
    *error = "BPF bytecode of " + std::to_string(count) + " instructions: a program has 1 to " +
             std::to_string(kMaxInstructions);
    return nullptr;
  }
  if (groups.size() - 1 != count) {
    *error = "BPF bytecode says " + std::to_string(count) + " instructions but has " +
             std::to_string(groups.size() - 1);
    return nullptr;
  }
  std::vector<bpf_insn> insns(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (!numbersOf(groups[i + 1], n) || n.size() != 4 || n[0] > 0xffff || n[1] > 255 ||
        n[2] > 255) {
      *error = "BPF instruction " + std::to_string(i) + " (\"" + std::string(groups[i + 1]) +
               "\") is not \"code jt jf k\" (code up to 65535, jt and jf up to 255)";
      return nullptr;
    }
    insns[i] = {static_cast<std::uint16_t>(n[0]), static_cast<std::uint8_t>(n[1]),
                static_cast<std::uint8_t>(n[2]), static_cast<std::uint32_t>(n[3])};
    if (!isKnownOpcode(insns[i].code)) {
      *error = "BPF instruction " + std::to_string(i) + " has an unknown opcode (" +
               std::to_string(insns[i].code) + ")";
      return nullptr;
    }
    // Jumps are checked here to name the instruction; the validator checks the rest.
    if (BPF_CLASS(insns[i].code) == BPF_JMP) {
      const bool always = BPF_OP(insns[i].code) == BPF_JA;
      const std::uint64_t far =
          always ? std::uint64_t{insns[i].k} : std::max<std::uint64_t>(insns[i].jt, insns[i].jf);
      if (i + 1 + far >= count) {
        *error = "BPF instruction " + std::to_string(i) + " jumps to instruction " +
                 std::to_string(i + 1 + far) + ", beyond the program's end (" +
                 std::to_string(count) + " instructions)";
        return nullptr;
      }
    }
  }
  if (bpf_validate(insns.data(), static_cast<int>(count)) == 0) {
    *error =
        "BPF bytecode refused by libpcap's validator: a division by zero, a scratch memory "
        "index out of range, or no return at the end";
    return nullptr;
  }
  auto filter = std::unique_ptr<BpfFilter>(new BpfFilter);
  filter->m_program = std::make_unique<Program>();
  // pcap_freecode() releases the instructions with free().
  auto* copy = static_cast<bpf_insn*>(std::malloc(sizeof(bpf_insn) * count));
  if (copy == nullptr) {
    *error = "BPF bytecode: out of memory";
    return nullptr;
  }
  std::memcpy(copy, insns.data(), sizeof(bpf_insn) * count);
  filter->m_program->program.bf_len = static_cast<u_int>(count);
  filter->m_program->program.bf_insns = copy;
  return filter;
}

BpfFilter::~BpfFilter() = default;

bool BpfFilter::matches(const std::uint8_t* data, std::uint32_t capturedLength,
                        std::uint32_t wireLength) const {
  pcap_pkthdr header{};
  header.caplen = capturedLength;
  header.len = wireLength;
  return pcap_offline_filter(&m_program->program, &header, data) != 0;
}

}  // namespace netlens::node::capture
