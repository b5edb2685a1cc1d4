// SPDX-License-Identifier: MIT
#include "node/cli/json_writer.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace netlens::node::cli {

void JsonWriter::separate() {
  if (m_afterKey) {
    m_afterKey = false;
    return;
  }
  if (m_needComma) m_out += ',';
}

JsonWriter& JsonWriter::beginObject() {
  separate();
  m_out += '{';
  m_needComma = false;
  return *this;
}

JsonWriter& JsonWriter::endObject() {
  m_out += '}';
  m_needComma = true;
  return *this;
}

JsonWriter& JsonWriter::beginArray() {
  separate();
  m_out += '[';
  m_needComma = false;
  return *this;
}

JsonWriter& JsonWriter::endArray() {
  m_out += ']';
  m_needComma = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  value(name);
  m_out += ':';
  m_afterKey = true;
  m_needComma = false;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  separate();
  m_out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        m_out += "\\\"";
        break;
      case '\\':
        m_out += "\\\\";
        break;
      case '\n':
        m_out += "\\n";
        break;
      case '\r':
        m_out += "\\r";
        break;
      case '\t':
        m_out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          m_out += buf;
        } else {
          m_out += static_cast<char>(c);
        }
    }
  }
  m_out += '"';
  m_needComma = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::uint64_t n) {
  separate();
  m_out += std::to_string(n);
  m_needComma = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t n) {
  separate();
  m_out += std::to_string(n);
  m_needComma = true;
  return *this;
}

JsonWriter& JsonWriter::value(double d) {
  separate();
  if (!std::isfinite(d)) {
    m_out += "null";
  } else {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", d);
    m_out += buf;
  }
  m_needComma = true;
  return *this;
}

JsonWriter& JsonWriter::value(bool b) {
  separate();
  m_out += b ? "true" : "false";
  m_needComma = true;
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  m_out += "null";
  m_needComma = true;
  return *this;
}

std::string isoTime(std::int64_t unixNs) {
  if (unixNs == 0) return {};
  std::int64_t secs = unixNs / 1'000'000'000;
  std::int64_t rem = unixNs % 1'000'000'000;
  if (rem < 0) {
    rem += 1'000'000'000;
    secs -= 1;
  }
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(rem / 1000));
  return buf;
}

}  // namespace netlens::node::cli
