// SPDX-License-Identifier: MIT
#include "node/analysis/oui_vendors.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unordered_map>

namespace netlens::node::analysis {

namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

/// Value of a string of hex digits (at most 15 of them), or -1.
std::int64_t hexValue(std::string_view s) {
  if (s.empty() || s.size() > 15) return -1;
  std::int64_t v = 0;
  for (const char c : s) {
    int d = 0;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else {
      return -1;
    }
    v = v << 4 | d;
  }
  return v;
}

/// The first token of `line` (up to a blank) and what follows it, left-trimmed.
void splitToken(std::string_view line, std::string_view& token, std::string_view& rest) {
  std::size_t end = 0;
  while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
  token = line.substr(0, end);
  rest = trimmed(line.substr(end));
}

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

/// Reads records of comma-separated values (RFC 4180): quoted fields may hold commas, line
/// breaks and doubled quotes; records end with CRLF, LF or CR outside quotes.
class CsvReader {
 public:
  static constexpr std::size_t kFields = 3;  // Registry, Assignment, Organization Name

  explicit CsvReader(std::string_view text) : m_text(text) {}

  /// The first kFields fields of the next record (more are read and dropped); false at the end.
  bool next(std::array<std::string, kFields>& fields) {
    if (m_pos >= m_text.size()) return false;
    for (std::string& f : fields) f.clear();
    for (std::size_t index = 0;; ++index) {
      std::string* field = index < kFields ? &fields[index] : &m_dropped;
      field->clear();
      if (m_pos < m_text.size() && m_text[m_pos] == '"') {
        ++m_pos;
        while (m_pos < m_text.size()) {
          const char c = m_text[m_pos++];
          if (c != '"') {
            field->push_back(c);
          } else if (m_pos < m_text.size() && m_text[m_pos] == '"') {
            field->push_back('"');
            ++m_pos;
          } else {
            break;
          }
        }
        // Anything between a closing quote and the separator is not part of the field.
        while (m_pos < m_text.size() && m_text[m_pos] != ',' && m_text[m_pos] != '\n' &&
               m_text[m_pos] != '\r') {
          ++m_pos;
        }
      } else {
        while (m_pos < m_text.size() && m_text[m_pos] != ',' && m_text[m_pos] != '\n' &&
               m_text[m_pos] != '\r') {
          field->push_back(m_text[m_pos++]);
        }
      }
      if (m_pos >= m_text.size()) return true;
      if (m_text[m_pos] == ',') {
        ++m_pos;
        continue;
      }
      if (m_text[m_pos] == '\r') ++m_pos;
      if (m_pos < m_text.size() && m_text[m_pos] == '\n') ++m_pos;
      return true;
    }
  }

 private:
  std::string_view m_text;
  std::size_t m_pos = 0;
  std::string m_dropped;
};

}  // namespace

/// Adds entries to a table, sharing one copy of each distinct organisation name.
struct OuiVendors::Loader {
  OuiVendors& table;
  /// Views into table.m_names. Its capacity is reserved for the whole text up front (every
  /// name added is shorter than the text it comes from), so the views stay valid.
  std::unordered_map<std::string_view, std::uint32_t> names;
  std::size_t added = 0;

  Loader(OuiVendors& t, std::size_t textSize) : table(t) {
    table.m_names.reserve(table.m_names.size() + textSize);
    for (const auto& entries : table.m_entries) {
      for (const Entry& e : entries) {
        names.emplace(std::string_view(table.m_names.data() + e.nameOffset, e.nameLength),
                      e.nameOffset);
      }
    }
  }

  void add(std::uint64_t key, int bits, std::string_view organization) {
    organization = trimmed(organization);
    if (organization.empty() || organization.size() > 0xffff) return;
    std::uint32_t offset = 0;
    if (const auto it = names.find(organization); it != names.end()) {
      offset = it->second;
    } else {
      offset = static_cast<std::uint32_t>(table.m_names.size());
      table.m_names.append(organization);
      names.emplace(std::string_view(table.m_names.data() + offset, organization.size()), offset);
    }
    for (std::size_t i = 0; i < 3; ++i) {
      if (kPrefixBits[i] == bits) {
        table.m_entries[i].push_back(
            {key, offset, static_cast<std::uint16_t>(organization.size())});
        ++added;
      }
    }
  }

  /// Sorts each array by prefix; of equal prefixes the first added stays.
  void finish() {
    for (auto& entries : table.m_entries) {
      std::stable_sort(entries.begin(), entries.end(),
                       [](const Entry& a, const Entry& b) { return a.key < b.key; });
      entries.erase(std::unique(entries.begin(), entries.end(),
                                [](const Entry& a, const Entry& b) { return a.key == b.key; }),
                    entries.end());
      entries.shrink_to_fit();
    }
    table.m_names.shrink_to_fit();
  }

  /// The `.txt` layout: an "XX-XX-XX (hex) Organisation" line, then a "(base 16)" line with
  /// the MA-L assignment "XXXXXX" or, for MA-M/MA-S/IAB, the range of the last 24 bits
  /// ("900000-9FFFFF" is a 28-bit prefix, "F2F000-F2FFFF" a 36-bit one), then the address.
  void loadTxt(std::string_view text) {
    std::int64_t oui = -1;  // of the last "(hex)" line, until its "(base 16)" line
    std::string_view organization;
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view line = text.substr(pos, end - pos);
      pos = end + 1;
      if (line.empty() || line[0] == ' ' || line[0] == '\t') continue;  // address lines
      std::string_view token;
      std::string_view rest;
      splitToken(line, token, rest);
      if (startsWith(rest, "(hex)")) {
        oui = -1;
        if (token.size() == 8 && token[2] == '-' && token[5] == '-') {
          const std::int64_t a = hexValue(token.substr(0, 2));
          const std::int64_t b = hexValue(token.substr(3, 2));
          const std::int64_t c = hexValue(token.substr(6, 2));
          if (a >= 0 && b >= 0 && c >= 0) oui = a << 16 | b << 8 | c;
        }
        organization = trimmed(rest.substr(5));
        continue;
      }
      if (!startsWith(rest, "(base 16)") || oui < 0) continue;
      const std::uint64_t prefix = static_cast<std::uint64_t>(oui);
      oui = -1;
      const std::string_view own = trimmed(rest.substr(9));
      const std::string_view name = own.empty() ? organization : own;
      if (token.size() == 6) {
        if (hexValue(token) == static_cast<std::int64_t>(prefix)) add(prefix, 24, name);
      } else if (token.size() == 13 && token[6] == '-') {
        const std::int64_t low = hexValue(token.substr(0, 6));
        const std::int64_t high = hexValue(token.substr(7, 6));
        if (low < 0 || high < low) continue;
        const std::int64_t span = high - low + 1;
        if (span == (1 << 20) && (low & 0xfffff) == 0) {
          add(prefix << 4 | static_cast<std::uint64_t>(low) >> 20, 28, name);
        } else if (span == (1 << 12) && (low & 0xfff) == 0) {
          add(prefix << 12 | static_cast<std::uint64_t>(low) >> 12, 36, name);
        }
      }
    }
  }

  /// The `.csv` layout: "Registry,Assignment,Organization Name,Organization Address" with
  /// the assignment as 6, 7 or 9 hex digits (24, 28, 36 bits).
  void loadCsv(std::string_view text) {
    CsvReader reader(text);
    std::array<std::string, CsvReader::kFields> fields;
    while (reader.next(fields)) {
      const std::string& assignment = fields[1];
      const int bits = static_cast<int>(assignment.size()) * 4;
      if (bits != 24 && bits != 28 && bits != 36) continue;  // the header, blank lines
      const std::int64_t key = hexValue(assignment);
      if (key < 0) continue;
      add(static_cast<std::uint64_t>(key), bits, fields[2]);
    }
  }
};

std::size_t OuiVendors::loadText(std::string_view text) {
  if (startsWith(text, "\xef\xbb\xbf")) text.remove_prefix(3);  // UTF-8 byte order mark
  Loader loader(*this, text.size());
  if (startsWith(text, "Registry,Assignment")) {
    loader.loadCsv(text);
  } else {
    loader.loadTxt(text);
  }
  loader.finish();
  return loader.added;
}

bool OuiVendors::loadFile(const std::string& path, std::string* warning) {
  auto fail = [&](const std::string& why) {
    if (warning != nullptr) *warning = "MAC vendor list " + path + ": " + why;
    return false;
  };
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  const std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "rb"));
  if (!file) return fail(std::strerror(errno));
  std::string text;
  if (std::fseek(file.get(), 0, SEEK_END) == 0) {
    const long size = std::ftell(file.get());
    if (size > 0) text.reserve(static_cast<std::size_t>(size));
    std::rewind(file.get());
  }
  char buffer[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) != 0) text.append(buffer, n);
  if (std::ferror(file.get()) != 0) return fail("read error");
  if (loadText(text) == 0) return fail("no assignment found (not an IEEE listing?)");
  return true;
}

bool OuiVendors::loadFolder(const std::string& folder, std::string* warning) {
  clear();
  bool loadedMaL = false;
  std::string problem;
  for (const char* list : {"oui", "mam", "oui36", "iab"}) {
    const std::string base = folder + "/" + list;
    std::string why;
    bool ok = false;
    if (std::FILE* f = std::fopen((base + ".txt").c_str(), "rb")) {
      std::fclose(f);
      ok = loadFile(base + ".txt", &why);
    } else {
      const std::string txtError = std::strerror(errno);
      ok = loadFile(base + ".csv", &why);
      if (!ok) {
        why = "MAC vendor list ";
        why.append(base).append(".txt: ").append(txtError).append(" (and no usable .csv)");
      }
    }
    // The others are optional: older copies of the data lack some of them.
    if (std::string_view(list) == "oui") {
      loadedMaL = ok;
      if (!ok) problem = why;
    }
  }
  if (!loadedMaL && warning != nullptr) {
    *warning = problem +
               "; MAC addresses are shown without vendor names (the listings come with "
               "Debian's ieee-data package)";
  }
  return loadedMaL;
}

MacVendor OuiVendors::lookup(const net::MacAddress& mac) const {
  MacVendor v;
  std::uint64_t value = 0;
  for (const std::uint8_t b : mac.bytes) value = value << 8 | b;
  v.isMulticast = (mac.bytes[0] & 0x01) != 0;
  v.isLocallyAdministered = (mac.bytes[0] & 0x02) != 0;
  v.isBroadcast = value == 0xffffffffffffull;
  if (v.isBroadcast) return v;
  // A group address belongs to the block of its individual form (01:00:0c:… is Cisco's). Two
  // "Private" assignments of the listing have the I/G bit set themselves: they are tried first.
  const std::uint64_t individual = value & ~(std::uint64_t{1} << 40);
  for (const std::uint64_t candidate : {value, individual}) {
    for (std::size_t i = 0; i < 3; ++i) {
      const std::uint64_t key = candidate >> (48 - kPrefixBits[i]);
      const auto& entries = m_entries[i];
      const auto it = std::lower_bound(entries.begin(), entries.end(), key,
                                       [](const Entry& e, std::uint64_t k) { return e.key < k; });
      if (it != entries.end() && it->key == key) {
        v.organization = std::string_view(m_names.data() + it->nameOffset, it->nameLength);
        v.prefixBits = kPrefixBits[i];
        return v;
      }
    }
    if (!v.isMulticast) break;
  }
  return v;
}

std::string_view OuiVendors::label(const MacVendor& vendor) {
  if (!vendor.organization.empty()) return vendor.organization;
  if (vendor.isBroadcast) return "broadcast";
  if (vendor.isMulticast) return "multicast";
  if (vendor.isLocallyAdministered) return "locally administered";
  return {};
}

std::size_t OuiVendors::memoryUsed() const {
  std::size_t n = m_names.capacity();
  for (const auto& entries : m_entries) n += entries.capacity() * sizeof(Entry);
  return n;
}

void OuiVendors::clear() {
  for (auto& entries : m_entries) std::vector<Entry>().swap(entries);
  std::string().swap(m_names);
}

}  // namespace netlens::node::analysis
