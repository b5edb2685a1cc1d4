// SPDX-License-Identifier: MIT
#pragma once

// Building blocks shared by the codec translation units (codec_*.cpp): packing primitives,
// the DecodeError machinery with its checked readers, and decodeWhole. Internal: only
// shared/protocol/codec_*.cpp include this header, so msgpack stays inside the protocol
// layer and Qt code never sees it. The wire layouts are documented in codec.h.

#include <cstdint>
#include <exception>
#include <limits>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <msgpack/object.hpp>
#include <msgpack/pack.hpp>
#include <msgpack/unpack.hpp>

#include "shared/protocol/codec.h"

namespace netlens::protocol::detail {

// ---- encoding ------------------------------------------------------------------------------

/// msgpack::packer stream appending to a std::string.
class StringWriter {
 public:
  explicit StringWriter(std::string& out) : m_out(out) {}
  void write(const char* data, std::size_t size) { m_out.append(data, size); }

 private:
  std::string& m_out;
};

using Packer = msgpack::packer<StringWriter>;

inline void packString(Packer& p, std::string_view s) {
  p.pack_str(static_cast<std::uint32_t>(s.size()));
  p.pack_str_body(s.data(), static_cast<std::uint32_t>(s.size()));
}

inline void packBin(Packer& p, const void* data, std::size_t size) {
  p.pack_bin(static_cast<std::uint32_t>(size));
  p.pack_bin_body(static_cast<const char*>(data), static_cast<std::uint32_t>(size));
}

inline void packBool(Packer& p, bool value) {
  if (value)
    p.pack_true();
  else
    p.pack_false();
}

inline void packIp(Packer& p, const net::IpAddress& ip) {
  const std::size_t size = ip.isV4() ? 4 : ip.isV6() ? 16 : 0;
  packBin(p, ip.bytes.data(), size);
}

/// The first ten fields of an RTP stream as the "rtp" record and the "audio" answer both
/// send them: SSRC, the 5-tuple's addresses and ports, payload type, payload types, codec,
/// clock rate, packets. `Stream` is RtpStreamRecord or AudioStream.
template <typename Stream>
void packRtpStreamHead(Packer& p, const Stream& s) {
  p.pack_uint32(s.ssrc);
  packIp(p, s.srcIp);
  p.pack_uint16(s.srcPort);
  packIp(p, s.dstIp);
  p.pack_uint16(s.dstPort);
  p.pack_uint8(s.payloadType);
  packBin(p, s.payloadTypes.data(), s.payloadTypes.size());
  packString(p, s.codec);
  p.pack_uint32(s.clockRate);
  p.pack_uint64(s.packets);
}

/// Packs `list` as an array, each element with `packOne(p, element)`.
template <class T, class Fn>
void packList(Packer& p, const std::vector<T>& list, Fn&& packOne) {
  p.pack_array(static_cast<std::uint32_t>(list.size()));
  for (const auto& item : list) packOne(p, item);
}

inline void packStrings(Packer& p, const std::vector<std::string>& list) {
  packList(p, list, packString);
}

inline void packU16List(Packer& p, const std::vector<std::uint16_t>& list) {
  packList(p, list, [](Packer& out, std::uint16_t v) { out.pack_uint16(v); });
}

/// Runs `fn(packer)` on a fresh buffer of `reserve` bytes and returns the bytes.
template <class Fn>
std::string encodeWith(std::size_t reserve, Fn&& fn) {
  std::string out;
  out.reserve(reserve);
  StringWriter writer(out);
  Packer packer(writer);
  fn(packer);
  return out;
}

// ---- decoding ------------------------------------------------------------------------------

/// Thrown inside the codec only; every public entry point catches it (and msgpack's own
/// exceptions) in decodeWhole and turns it into a Result error.
struct DecodeError {
  std::string path;  // e.g. "hosts[3].ip"
  std::string what;
};

[[noreturn]] inline void fail(std::string path, std::string what) {
  throw DecodeError{std::move(path), std::move(what)};
}

inline void prefixPath(DecodeError& e, std::string_view prefix) {
  if (e.path.empty())
    e.path = std::string(prefix);
  else if (e.path.front() == '[')
    e.path = std::string(prefix) + e.path;
  else
    e.path = std::string(prefix) + "." + e.path;
}

inline std::string_view typeName(msgpack::type::object_type t) {
  switch (t) {
    case msgpack::type::NIL:
      return "nil";
    case msgpack::type::BOOLEAN:
      return "a boolean";
    case msgpack::type::POSITIVE_INTEGER:
      return "an unsigned integer";
    case msgpack::type::NEGATIVE_INTEGER:
      return "a negative integer";
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64:
      return "a float";
    case msgpack::type::STR:
      return "a string";
    case msgpack::type::BIN:
      return "binary data";
    case msgpack::type::ARRAY:
      return "an array";
    case msgpack::type::MAP:
      return "a map";
    case msgpack::type::EXT:
      return "an extension value";
  }
  return "an unknown type";
}

[[noreturn]] inline void failType(const char* field, std::string_view expected,
                                  const msgpack::object& o) {
  fail(field, "expected " + std::string(expected) + ", got " + std::string(typeName(o.type)));
}

inline const msgpack::object_array& asArray(const msgpack::object& o, const char* field,
                                            std::uint32_t minSize = 0) {
  if (o.type != msgpack::type::ARRAY) failType(field, "an array", o);
  if (o.via.array.size < minSize)
    fail(field, "expected at least " + std::to_string(minSize) + " elements, got " +
                    std::to_string(o.via.array.size));
  return o.via.array;
}

inline std::uint64_t asUint(const msgpack::object& o, const char* field) {
  if (o.type != msgpack::type::POSITIVE_INTEGER) failType(field, "an unsigned integer", o);
  return o.via.u64;
}

template <class T>
T asUnsigned(const msgpack::object& o, const char* field) {
  const std::uint64_t v = asUint(o, field);
  if (v > std::numeric_limits<T>::max())
    fail(field, std::to_string(v) + " is out of range (maximum " +
                    std::to_string(std::numeric_limits<T>::max()) + ")");
  return static_cast<T>(v);
}

inline std::int64_t asInt(const msgpack::object& o, const char* field) {
  if (o.type == msgpack::type::NEGATIVE_INTEGER) return o.via.i64;
  if (o.type != msgpack::type::POSITIVE_INTEGER) failType(field, "an integer", o);
  if (o.via.u64 > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    fail(field, std::to_string(o.via.u64) + " is out of range for a signed 64-bit integer");
  return static_cast<std::int64_t>(o.via.u64);
}

inline int asInt32(const msgpack::object& o, const char* field) {
  const std::int64_t v = asInt(o, field);
  if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max())
    fail(field, std::to_string(v) + " is out of range for a 32-bit integer");
  return static_cast<int>(v);
}

inline double asDouble(const msgpack::object& o, const char* field) {
  switch (o.type) {
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64:
      return o.via.f64;
    case msgpack::type::POSITIVE_INTEGER:
      return static_cast<double>(o.via.u64);
    case msgpack::type::NEGATIVE_INTEGER:
      return static_cast<double>(o.via.i64);
    default:
      failType(field, "a number", o);
  }
}

inline bool asBool(const msgpack::object& o, const char* field) {
  if (o.type != msgpack::type::BOOLEAN) failType(field, "a boolean", o);
  return o.via.boolean;
}

/// STR or BIN, as raw bytes (msgpack-cxx does not validate UTF-8; neither do we: text is
/// displayed, never interpreted).
inline std::string_view asBytes(const msgpack::object& o, const char* field) {
  if (o.type == msgpack::type::STR) return {o.via.str.ptr, o.via.str.size};
  if (o.type == msgpack::type::BIN) return {o.via.bin.ptr, o.via.bin.size};
  failType(field, "a string", o);
}

inline std::string asString(const msgpack::object& o, const char* field) {
  return std::string(asBytes(o, field));
}

inline net::IpAddress asIp(const msgpack::object& o, const char* field) {
  if (o.type != msgpack::type::BIN) failType(field, "binary data (4 or 16 bytes)", o);
  const auto* p = reinterpret_cast<const std::uint8_t*>(o.via.bin.ptr);
  switch (o.via.bin.size) {
    case 0:
      return {};
    case 4:
      return net::IpAddress::fromV4(p);
    case 16:
      return net::IpAddress::fromV6(p);
    default:
      fail(field, "expected 4 or 16 bytes, got " + std::to_string(o.via.bin.size));
  }
}

/// Decodes each element of an array with `fn(element)`, adding "[i]" to error paths.
template <class T, class Fn>
std::vector<T> decodeList(const msgpack::object& o, const char* field, Fn&& fn) {
  const auto& a = asArray(o, field);
  std::vector<T> out;
  out.reserve(a.size);
  for (std::uint32_t i = 0; i < a.size; ++i) {
    try {
      out.push_back(fn(a.ptr[i]));
    } catch (DecodeError& e) {
      prefixPath(e, "[" + std::to_string(i) + "]");
      prefixPath(e, field);
      throw;
    }
  }
  return out;
}

/// An array of strings (packStrings' counterpart).
inline std::vector<std::string> asStrings(const msgpack::object& o, const char* field) {
  return decodeList<std::string>(o, field,
                                 [](const msgpack::object& v) { return asString(v, ""); });
}

/// Runs `fn` and prefixes the path of any error with `field` (for nested structs).
template <class Fn>
auto nested(const char* field, Fn&& fn) {
  try {
    return fn();
  } catch (DecodeError& e) {
    prefixPath(e, field);
    throw;
  }
}

/// Strings and binary data reference the caller's buffer instead of being copied into the
/// zone: the object tree never outlives the decode call.
inline bool referenceStrings(msgpack::type::object_type, std::size_t, void*) {
  return true;
}

/// Parses exactly one msgpack object covering all of `bytes` and hands it to `fn`; every
/// failure — truncation, trailing bytes, limits, type errors — becomes a Result error whose
/// text starts with `what`.
template <class T, class Fn>
Result<T> decodeWhole(std::string_view bytes, std::string_view what, Fn&& fn) {
  if (bytes.empty()) return Result<T>::failure(std::string(what) + ": empty message");
  try {
    // Every array element takes at least one byte and every map entry two, so limits derived
    // from the buffer size reject length claims that cannot be true before memory is
    // reserved for them (a 10-byte message cannot claim a 4-billion-element array).
    const std::size_t n = bytes.size();
    const msgpack::unpack_limit limits(n, n / 2, n, n, n, 64);
    std::size_t offset = 0;
    msgpack::object_handle handle =
        msgpack::unpack(bytes.data(), n, offset, referenceStrings, nullptr, limits);
    if (offset != n)
      return Result<T>::failure(std::string(what) + ": " + std::to_string(n - offset) +
                                " unexpected bytes after the message");
    return Result<T>(fn(handle.get()));
  } catch (const DecodeError& e) {
    std::string text(what);
    if (!e.path.empty()) text += (e.path.front() == '[' ? "" : ".") + e.path;
    return Result<T>::failure(text + ": " + e.what);
  } catch (const msgpack::insufficient_bytes&) {
    return Result<T>::failure(std::string(what) + ": truncated message (" +
                              std::to_string(bytes.size()) + " bytes)");
  } catch (const msgpack::depth_size_overflow&) {
    return Result<T>::failure(std::string(what) + ": nested too deeply");
  } catch (const msgpack::size_overflow&) {
    return Result<T>::failure(std::string(what) +
                              ": a length field is larger than the message itself");
  } catch (const msgpack::parse_error&) {
    return Result<T>::failure(std::string(what) + ": not valid msgpack");
  } catch (const std::bad_alloc&) {
    return Result<T>::failure(std::string(what) + ": too large to decode");
  } catch (const std::exception& e) {
    return Result<T>::failure(std::string(what) + ": not valid msgpack (" + e.what() + ")");
  }
}

// ---- bodies --------------------------------------------------------------------------------

/// How decodeBody<T> decodes body T: the name its error texts start with and the function that
/// unpacks it (throwing DecodeError). Specialised in the codec file that owns T, beside the
/// explicit instantiation of decodeBody<T>.
template <class T>
struct BodyDecoder {
  std::string_view name;
  T (*unpack)(const msgpack::object&) = nullptr;
};

template <class T>
inline constexpr BodyDecoder<T> kBodyDecoder{};

}  // namespace netlens::protocol::detail

namespace netlens::protocol {

template <class T>
Result<T> decodeBody(std::string_view bytes) {
  constexpr detail::BodyDecoder<T> decoder = detail::kBodyDecoder<T>;
  static_assert(decoder.unpack != nullptr, "kBodyDecoder<T> is not specialised for this body");
  return detail::decodeWhole<T>(bytes, decoder.name, decoder.unpack);
}

}  // namespace netlens::protocol
