// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace netlens::node::cli {

/// A small streaming JSON writer: the caller opens and closes objects and arrays in order;
/// commas are placed automatically. Strings are escaped per RFC 8259. Not thread-safe.
class JsonWriter {
 public:
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

  const std::string& str() const { return m_out; }

 private:
  void separate();
  std::string m_out;
  bool m_needComma = false;
  bool m_afterKey = false;
};

/// ISO-8601 UTC with microseconds, e.g. "2004-05-13T10:17:07.311224Z"; "" for 0.
std::string isoTime(std::int64_t unixNs);

}  // namespace netlens::node::cli
