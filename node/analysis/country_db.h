// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "shared/net/ip_address.h"

namespace netlens::node::analysis {

/// A country as an ISO 3166-1 alpha-2 code ("GB"), empty when unknown. Fixed size so that it
/// can sit in a table entry without an allocation.
using CountryCode = std::array<char, 2>;

inline std::string countryText(const CountryCode& code) {
  return code[0] == 0 ? std::string() : std::string(code.data(), 2);
}

/// IP address → country, from a MaxMind DB file (GeoLite2-Country, GeoIP2-Country or City,
/// or any database with the same `country` map) read with libmaxminddb, memory-mapped.
///
/// Decision: the country is the database's `country.iso_code`, else its
/// `registered_country.iso_code` (anycast ranges and some allocations have only the second):
/// a network engineer would rather see where the block is registered than nothing.
/// Addresses not in the database (private, loopback, …) have no country.
///
/// Thread: open on one thread; lookups are const and may then run on any number of threads.
class CountryDb {
 public:
  CountryDb();
  ~CountryDb();
  CountryDb(const CountryDb&) = delete;
  CountryDb& operator=(const CountryDb&) = delete;

  /// Opens `path`, replacing a database opened before. False when it cannot be opened or is
  /// not a MaxMind DB: then `error` says which file, why, and what to do, and lookups find
  /// nothing. Never throws.
  bool open(const std::string& path, std::string* error);
  bool isOpen() const { return m_db != nullptr; }
  /// The database's type as it names itself (e.g. "GeoLite2-Country"), "" when none is open.
  std::string databaseType() const;

  /// The country of `ip`, empty when unknown or no database is open.
  CountryCode lookup(const net::IpAddress& ip) const;

 private:
  struct Db;
  std::unique_ptr<Db> m_db;
};

}  // namespace netlens::node::analysis
