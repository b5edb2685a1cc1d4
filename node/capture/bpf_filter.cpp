// SPDX-License-Identifier: MIT
#include "node/capture/bpf_filter.h"

#include <pcap/pcap.h>

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

BpfFilter::~BpfFilter() = default;

bool BpfFilter::matches(const std::uint8_t* data, std::uint32_t capturedLength,
                        std::uint32_t wireLength) const {
  pcap_pkthdr header{};
  header.caplen = capturedLength;
  header.len = wireLength;
  return pcap_offline_filter(&m_program->program, &header, data) != 0;
}

}  // namespace netlens::node::capture
