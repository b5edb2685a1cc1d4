// SPDX-License-Identifier: MIT
#include "node/cli/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>

namespace netlens::node::cli {

namespace {

bool needsEscape(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\';
}

/// Writes isoTime's text into `buf` (at least kIsoTimeBytes); returns its length.
constexpr std::size_t kIsoTimeBytes = 48;
std::size_t formatIsoTime(std::int64_t unixNs, char* buf) {
  if (unixNs == 0) return 0;
  std::int64_t secs = unixNs / 1'000'000'000;
  std::int64_t rem = unixNs % 1'000'000'000;
  if (rem < 0) {
    rem += 1'000'000'000;
    secs -= 1;
  }
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  const int n = std::snprintf(buf, kIsoTimeBytes, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                              tm.tm_sec, static_cast<int>(rem / 1000));
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

}  // namespace

void JsonWriter::separate() {
  if (m_afterKey) {
    m_afterKey = false;
    return;
  }
  if (m_needComma) m_out += ',';
}

void JsonWriter::flush() {
  if (m_sink == nullptr || m_out.empty()) return;
  std::fwrite(m_out.data(), 1, m_out.size(), m_sink);
  m_out.clear();
}

JsonWriter& JsonWriter::beginObject() {
  separate();
  m_out += '{';
  m_needComma = false;
  return *this;
}

JsonWriter& JsonWriter::endObject() {
  m_out += '}';
  afterValue();
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
  afterValue();
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  appendEscaped(name);
  m_out += ':';
  m_afterKey = true;
  m_needComma = false;
  return *this;
}

void JsonWriter::appendEscaped(std::string_view text) {
  m_out += '"';
  // Runs without special characters (nearly all text) are appended whole.
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!needsEscape(c)) continue;
    m_out.append(text.data() + start, i - start);
    start = i + 1;
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
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        m_out += buf;
      }
    }
  }
  m_out.append(text.data() + start, text.size() - start);
  m_out += '"';
}

JsonWriter& JsonWriter::value(std::string_view text) {
  separate();
  appendEscaped(text);
  afterValue();
  return *this;
}

JsonWriter& JsonWriter::value(std::uint64_t n) {
  separate();
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  m_out.append(buf, r.ptr);
  afterValue();
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t n) {
  separate();
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  m_out.append(buf, r.ptr);
  afterValue();
  return *this;
}

JsonWriter& JsonWriter::value(double d) {
  separate();
  if (!std::isfinite(d)) {
    m_out += "null";
  } else {
    char buf[32];
    const int n = std::snprintf(buf, sizeof buf, "%.3f", d);
    // Beyond 1e28 the text does not fit: snprintf truncates it, as before.
    m_out.append(buf, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof buf - 1));
  }
  afterValue();
  return *this;
}

JsonWriter& JsonWriter::value(bool b) {
  separate();
  m_out += b ? "true" : "false";
  afterValue();
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  m_out += "null";
  afterValue();
  return *this;
}

JsonWriter& JsonWriter::timeValue(std::int64_t unixNs) {
  char buf[kIsoTimeBytes];
  return value(std::string_view(buf, formatIsoTime(unixNs, buf)));
}

JsonWriter& JsonWriter::raw(std::string_view text) {
  m_out += text;
  return *this;
}

std::string isoTime(std::int64_t unixNs) {
  char buf[kIsoTimeBytes];
  return std::string(buf, formatIsoTime(unixNs, buf));
}

}  // namespace netlens::node::cli
