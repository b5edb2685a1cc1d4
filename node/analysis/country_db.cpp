// SPDX-License-Identifier: MIT
#include "node/analysis/country_db.h"

#include <maxminddb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace netlens::node::analysis {

struct CountryDb::Db {
  MMDB_s mmdb{};
  bool opened = false;  // MMDB_open cleans up after itself when it fails: close only on success
  ~Db() {
    if (opened) MMDB_close(&mmdb);
  }
};

CountryDb::CountryDb() = default;
CountryDb::~CountryDb() = default;

bool CountryDb::open(const std::string& path, std::string* error) {
  m_db.reset();
  auto db = std::make_unique<Db>();
  errno = 0;
  const int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &db->mmdb);
  if (status != MMDB_SUCCESS) {
    if (error) {
      std::string why = MMDB_strerror(status);
      if ((status == MMDB_FILE_OPEN_ERROR || status == MMDB_IO_ERROR) && errno != 0)
        why += std::string(": ") + std::strerror(errno);
      *error = "cannot open the GeoIP database '" + path + "': " + why +
               " (give the path of a MaxMind DB file such as GeoLite2-Country.mmdb)";
    }
    return false;
  }
  db->opened = true;
  m_db = std::move(db);
  return true;
}

std::string CountryDb::databaseType() const {
  if (!m_db || m_db->mmdb.metadata.database_type == nullptr) return {};
  return m_db->mmdb.metadata.database_type;
}

namespace {

bool isoCodeAt(MMDB_entry_s* entry, const char* map, CountryCode& out) {
  MMDB_entry_data_s data{};
  if (MMDB_get_value(entry, &data, map, "iso_code", nullptr) != MMDB_SUCCESS) return false;
  // libmaxminddb strings are not NUL-terminated: the length is data_size.
  if (!data.has_data || data.type != MMDB_DATA_TYPE_UTF8_STRING || data.data_size != 2) {
    return false;
  }
  out = {data.utf8_string[0], data.utf8_string[1]};
  return true;
}

}  // namespace

CountryCode CountryDb::lookup(const net::IpAddress& ip) const {
  CountryCode code{};
  if (!m_db || !ip.isValid()) return code;
  sockaddr_storage storage{};
  if (ip.isV4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&storage);
    sin->sin_family = AF_INET;
    std::memcpy(&sin->sin_addr, ip.bytes.data(), 4);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&storage);
    sin6->sin6_family = AF_INET6;
    std::memcpy(&sin6->sin6_addr, ip.bytes.data(), 16);
  }
  int mmdbError = MMDB_SUCCESS;
  MMDB_lookup_result_s result =
      MMDB_lookup_sockaddr(&m_db->mmdb, reinterpret_cast<const sockaddr*>(&storage), &mmdbError);
  if (mmdbError != MMDB_SUCCESS || !result.found_entry) return code;
  if (!isoCodeAt(&result.entry, "country", code))
    isoCodeAt(&result.entry, "registered_country", code);
  return code;
}

}  // namespace netlens::node::analysis
