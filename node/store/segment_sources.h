// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "node/store/segment_index.h"
#include "shared/protocol/result.h"

namespace netlens::node::store {

/// The capture sources of one segment: `NNNNNNNNNN.src` beside its pcap file, a text file
/// (mode 0600) whose first line is kMagic and each further line one source's name (an
/// interface, or a file's name without its folder), in the order the segment first met them:
/// a source's number in the segment is its line. All of a segment's sources share its link
/// type. The file is written when a segment starts and again when a new source appears in it
/// (rarely: the sources are the node's), so it survives a crash; which packet came from which
/// source is in the segment's index (KeyKind::Source, the first source not posted).
/// A segment without the file (stored before sources were recorded) has one unnamed source.
/// Thread: plain functions.
struct SegmentSources {
  static constexpr std::string_view kMagic = "netlens-segment-sources 1";
  /// Longer names are cut; line ends in a name become '?'.
  static constexpr std::size_t kMaxName = 255;
  static constexpr std::size_t kMaxSources = 0xffff;

  /// The file beside the segment `pcapPath` ("….pcap" → "….src").
  static std::string pathFor(const std::string& pcapPath);
  /// A source's name as it is kept (cut, line ends replaced).
  static std::string cleanName(std::string_view name);
  static protocol::Status save(const std::string& path, const std::vector<std::string>& names);
  /// The names, or none when the file is missing or not ours (the segment then has one
  /// unnamed source).
  static std::vector<std::string> load(const std::string& path);

  /// The source number of each of `numbers` (packet numbers of one segment, ascending) from
  /// the index's Source postings, for a segment of `sources` sources; false when the index is
  /// damaged. Index: SegmentIndexReader or an in-memory view with find().
  template <typename Index>
  static bool numbersOf(Index& index, std::size_t sources,
                        const std::vector<std::uint32_t>& numbers,
                        std::vector<std::uint16_t>* out) {
    out->assign(numbers.size(), 0);
    std::vector<std::uint32_t> list;
    for (std::size_t s = 1; s < sources && s <= kMaxSources; ++s) {
      if (!index.find(IndexKey::number(KeyKind::Source, static_cast<std::uint32_t>(s), 2), &list))
        return false;
      // Both ascending: one walk.
      std::size_t j = 0;
      for (std::size_t i = 0; i < numbers.size() && j < list.size(); ++i) {
        while (j < list.size() && list[j] < numbers[i]) ++j;
        if (j < list.size() && list[j] == numbers[i]) (*out)[i] = static_cast<std::uint16_t>(s);
      }
    }
    return true;
  }
};

}  // namespace netlens::node::store
