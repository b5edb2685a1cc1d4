// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/net/ip_address.h"

namespace netlens::node::analysis {

/// What a MAC address says about its maker.
struct MacVendor {
  /// The registered organisation, empty when none is registered for the address.
  std::string_view organization;
  std::uint8_t prefixBits = 0;  ///< 24 (MA-L), 28 (MA-M) or 36 (MA-S, IAB); 0 when none
  /// U/L bit set: the address was not taken from an IEEE block (randomised "private"
  /// addresses of phones and laptops, virtual machines, DECnet).
  bool isLocallyAdministered = false;
  bool isMulticast = false;  ///< I/G bit set: a group address (broadcast included)
  bool isBroadcast = false;  ///< ff:ff:ff:ff:ff:ff
};

/// MAC address → vendor organisation, from the IEEE registration authority's public listings
/// as Debian's `ieee-data` package ships them: MA-L (`oui`, 24-bit prefixes), MA-M (`mam`,
/// 28-bit), MA-S (`oui36`, 36-bit) and the older IAB (`iab`, 36-bit), each in the `.txt`
/// layout or the `.csv` one (detected from the content). The longest registered prefix wins.
///
/// Decisions: a group address is looked up as it is (two odd "Private" assignments have the
/// I/G bit set), then with its I/G bit cleared (01:00:0c:cc:cc:cc is Cisco's); a locally
/// administered address is looked up too, because 18 of the oldest MA-L blocks have the U/L bit set
/// (DEC's AA-00-04 of DECnet among them) and a randomised address falls into one of them with a
/// chance of about 4 in a million — otherwise it has no vendor and label() says "locally
/// administered". Of assignments listed twice (the registry has a few) the first in the file
/// counts.
///
/// Kept compact: sorted arrays of 16-byte entries and one shared pool of distinct names: about
/// 1.4 MB for the ~46 500 entries of the four Debian lists, which load in 30–100 ms (measured on
/// a busy 2-core machine; reading the files is about half of it).
///
/// Thread: load on one thread; lookups are const and may then run on any number of threads.
class OuiVendors {
 public:
  /// Where Debian's ieee-data package puts the listings.
  static constexpr std::string_view kDefaultFolder = "/usr/share/ieee-data";

  /// Replaces the table with the listings found in `folder`: oui (required), mam, oui36 and
  /// iab, each `NAME.txt`, or `NAME.csv` when there is no `.txt`. False when the MA-L list
  /// cannot be read or holds no entry: then `warning` says which file and why, and lookups
  /// find what the other lists hold (usually nothing). Never throws.
  bool loadFolder(const std::string& folder, std::string* warning);
  /// Adds one listing file (either layout). False with `warning` set when it cannot be read
  /// or holds no entry.
  bool loadFile(const std::string& path, std::string* warning);
  /// Adds the entries of a listing's text (either layout); returns how many were added.
  std::size_t loadText(std::string_view text);

  MacVendor lookup(const net::MacAddress& mac) const;
  /// Text for reports: the organisation, else "broadcast", "multicast", "locally
  /// administered" or "" (unknown).
  static std::string_view label(const MacVendor& vendor);

  /// Entries (assignments) in the table.
  std::size_t size() const {
    return m_entries[0].size() + m_entries[1].size() + m_entries[2].size();
  }
  std::size_t memoryUsed() const;
  void clear();

 private:
  struct Entry {
    std::uint64_t key = 0;  ///< the prefix's value (prefixBits wide)
    std::uint32_t nameOffset = 0;
    std::uint16_t nameLength = 0;
  };
  static constexpr std::uint8_t kPrefixBits[3] = {36, 28, 24};  ///< longest first
  struct Loader;                                                // the parsers, in the .cpp

  std::vector<Entry> m_entries[3];  ///< per kPrefixBits, sorted by key after each load
  std::string m_names;              ///< distinct organisation names back to back
};

}  // namespace netlens::node::analysis
