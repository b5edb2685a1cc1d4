// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace netlens::node::cli {

/// A small streaming JSON writer: the caller opens and closes objects and arrays in order;
/// commas are placed automatically. Strings are escaped per RFC 8259. Not thread-safe.
///
/// Without a sink the text accumulates in str(). With a sink (e.g. stdout) it is written out
/// in blocks of about kBlockBytes as it grows, so that a report of a million connections
/// never holds its gigabyte of text, and flush() writes the rest; the writer does not own the
/// sink.
class JsonWriter {
 public:
  JsonWriter() = default;
  explicit JsonWriter(std::FILE* sink) : m_sink(sink) { m_out.reserve(kBlockBytes * 2); }
  ~JsonWriter() { flush(); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(std::uint64_t n);
  JsonWriter& value(std::int64_t n);
  JsonWriter& value(unsigned n) { return value(static_cast<std::uint64_t>(n)); }
  JsonWriter& value(int n) { return value(static_cast<std::int64_t>(n)); }
  JsonWriter& value(double d);
  JsonWriter& value(bool b);
  JsonWriter& null();
  /// isoTime(unixNs) as a string value, without building a std::string.
  JsonWriter& timeValue(std::int64_t unixNs);
  /// Raw text after the last value (e.g. the final newline).
  JsonWriter& raw(std::string_view text);

  /// The text so far (without a sink: all of it).
  const std::string& str() const { return m_out; }
  /// Moves the text out (without a sink: all of it).
  std::string take() { return std::move(m_out); }
  /// With a sink: writes out what is buffered. Without: nothing.
  void flush();

 private:
  static constexpr std::size_t kBlockBytes = 64 * 1024;
  void separate();
  void appendEscaped(std::string_view text);
  void afterValue() {
    m_needComma = true;
    if (m_sink != nullptr && m_out.size() >= kBlockBytes) flush();
  }
  std::string m_out;
  std::FILE* m_sink = nullptr;
  bool m_needComma = false;
  bool m_afterKey = false;
};

/// ISO-8601 UTC with microseconds, e.g. "2004-05-13T10:17:07.311224Z"; "" for 0.
std::string isoTime(std::int64_t unixNs);

}  // namespace netlens::node::cli
