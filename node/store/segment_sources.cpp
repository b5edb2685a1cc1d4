// SPDX-License-Identifier: MIT
#include "node/store/segment_sources.h"

#include <fstream>

#include "shared/transport/keys.h"

namespace netlens::node::store {

std::string SegmentSources::pathFor(const std::string& pcapPath) {
  const std::string_view pcap = ".pcap";
  if (pcapPath.size() >= pcap.size() &&
      pcapPath.compare(pcapPath.size() - pcap.size(), pcap.size(), pcap) == 0)
    return pcapPath.substr(0, pcapPath.size() - pcap.size()) + ".src";
  return pcapPath + ".src";
}

std::string SegmentSources::cleanName(std::string_view name) {
  std::string out(name.substr(0, std::min(name.size(), kMaxName)));
  for (char& c : out)
    if (c == '\n' || c == '\r') c = '?';
  return out;
}

protocol::Status SegmentSources::save(const std::string& path,
                                      const std::vector<std::string>& names) {
  std::string text(kMagic);
  text += '\n';
  for (const auto& name : names) {
    text += cleanName(name);
    text += '\n';
  }
  return transport::writePrivateFile(path, text);
}

std::vector<std::string> SegmentSources::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line) || line != kMagic) return {};
  std::vector<std::string> names;
  while (names.size() < kMaxSources && std::getline(in, line)) names.push_back(cleanName(line));
  return names;
}

}  // namespace netlens::node::store
