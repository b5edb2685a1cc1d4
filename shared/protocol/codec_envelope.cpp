// SPDX-License-Identifier: MIT
// The request and reply envelopes, error replies and the ErrorReply body (layouts in codec.h).
#include "shared/protocol/codec.h"

#include <string>
#include <string_view>
#include <utility>

#include "shared/protocol/codec_internal.h"

namespace netlens::protocol {

using namespace detail;

namespace {

/// Envelope keys. WIRE STABILITY: never rename; add new optional keys only.
constexpr std::string_view kKeyVersion = "v";
constexpr std::string_view kKeyId = "id";
constexpr std::string_view kKeyOperation = "op";
constexpr std::string_view kKeyParams = "p";
constexpr std::string_view kKeyBody = "body";
constexpr std::string_view kKeyError = "err";

/// [code, message]: the "err" value of a reply envelope and the ErrorReply body alike.
void packError(Packer& p, const ErrorReply& e) {
  p.pack_array(2);
  p.pack_uint16(static_cast<std::uint16_t>(e.code));
  packString(p, e.message);
}

ErrorReply unpackError(const msgpack::object& o) {
  const auto& a = asArray(o, "", 2);
  ErrorReply e;
  e.code = static_cast<ErrorCode>(asUnsigned<std::uint16_t>(a.ptr[0], "code"));
  e.message = asString(a.ptr[1], "message");
  return e;
}

/// The envelope map's fields we know, each found at most once.
struct EnvelopeFields {
  const msgpack::object* version = nullptr;
  const msgpack::object* id = nullptr;
  const msgpack::object* operation = nullptr;
  const msgpack::object* params = nullptr;
  const msgpack::object* body = nullptr;
  const msgpack::object* error = nullptr;
};

EnvelopeFields readEnvelope(const msgpack::object& o) {
  if (o.type != msgpack::type::MAP) failType("", "a map", o);
  EnvelopeFields f;
  const auto& m = o.via.map;
  for (std::uint32_t i = 0; i < m.size; ++i) {
    const std::string_view key = nested("key", [&] { return asBytes(m.ptr[i].key, ""); });
    const msgpack::object** slot = key == kKeyVersion     ? &f.version
                                   : key == kKeyId        ? &f.id
                                   : key == kKeyOperation ? &f.operation
                                   : key == kKeyParams    ? &f.params
                                   : key == kKeyBody      ? &f.body
                                   : key == kKeyError     ? &f.error
                                                          : nullptr;
    if (!slot) continue;  // unknown keys: added by a newer peer, ignored
    if (*slot) fail(std::string(key), "appears twice");
    *slot = &m.ptr[i].val;
  }
  return f;
}

/// The "v" field, which both envelopes require (not yet compared with ours).
std::uint32_t envelopeVersion(const EnvelopeFields& f) {
  if (!f.version) fail("v", "missing (protocol version)");
  return asUnsigned<std::uint32_t>(*f.version, "v");
}

/// The "op" field, which both envelopes require (not yet looked up in the registry).
std::string envelopeOperation(const EnvelopeFields& f) {
  if (!f.operation) fail("op", "missing (operation name)");
  return asString(*f.operation, "op");
}

void packEnvelopeHead(Packer& p, std::uint32_t entries, std::uint32_t version, std::uint64_t id,
                      std::string_view operation) {
  p.pack_map(entries);
  packString(p, kKeyVersion);
  p.pack_uint32(version);
  packString(p, kKeyId);
  p.pack_uint64(id);
  packString(p, kKeyOperation);
  packString(p, operation);
}

std::string versionMismatchText(std::uint32_t theirs) {
  return "protocol version " + std::to_string(theirs) + " is not supported (this side speaks " +
         std::to_string(kProtocolVersion) + "); install the same Netlens version on node and " +
         "console";
}

}  // namespace

// ---- public: envelope --------------------------------------------------------------------------

std::string encodeRequest(const Request& request) {
  return encodeWith(64 + request.operation.size(), [&](Packer& p) {
    packEnvelopeHead(p, 4, request.version, request.requestId, request.operation);
    packString(p, kKeyParams);
    p.pack_map(static_cast<std::uint32_t>(request.params.size()));
    for (const auto& [name, value] : request.params) {
      packString(p, name);
      packString(p, value);
    }
  });
}

Result<Request> decodeRequest(std::string_view bytes, ErrorCode* errorCodeOut,
                              std::uint64_t* requestIdOut) {
  ErrorCode code = ErrorCode::BadRequest;
  auto result = decodeWhole<Request>(bytes, "request", [&](const msgpack::object& o) {
    const EnvelopeFields f = readEnvelope(o);
    Request r;
    // The id is read first so that even a version or operation error can be matched.
    if (f.id) {
      r.requestId = asUint(*f.id, "id");
      if (requestIdOut) *requestIdOut = r.requestId;
    }
    r.version = envelopeVersion(f);
    if (r.version != kProtocolVersion) {
      code = ErrorCode::UnsupportedVersion;
      fail("", versionMismatchText(r.version));
    }
    if (!f.id) fail("id", "missing (request id)");
    r.operation = envelopeOperation(f);
    const OperationInfo* info = findOperation(r.operation);
    if (!info || info->sinceVersion > r.version) {
      code = ErrorCode::UnknownOperation;
      fail("", "unknown operation \"" + r.operation + "\"");
    }
    if (f.params) {
      if (f.params->type != msgpack::type::MAP) failType("p", "a map", *f.params);
      const auto& m = f.params->via.map;
      for (std::uint32_t i = 0; i < m.size; ++i) {
        std::string name = asString(m.ptr[i].key, "p");
        std::string value =
            nested(("p." + name).c_str(), [&] { return asString(m.ptr[i].val, ""); });
        if (!r.params.emplace(name, std::move(value)).second) fail("p." + name, "appears twice");
      }
    }
    return r;
  });
  if (!result.ok() && errorCodeOut) *errorCodeOut = code;
  return result;
}

std::string encodeReply(const Reply& reply) {
  return encodeWith(64 + reply.operation.size() + reply.body.size() +
                        (reply.error ? reply.error->message.size() : 0),
                    [&](Packer& p) {
                      packEnvelopeHead(p, 4, reply.version, reply.requestId, reply.operation);
                      if (reply.error) {
                        packString(p, kKeyError);
                        packError(p, *reply.error);
                      } else {
                        packString(p, kKeyBody);
                        packBin(p, reply.body.data(), reply.body.size());
                      }
                    });
}

Result<Reply> decodeReply(std::string_view bytes) {
  return decodeWhole<Reply>(bytes, "reply", [&](const msgpack::object& o) {
    const EnvelopeFields f = readEnvelope(o);
    Reply r;
    r.version = envelopeVersion(f);
    if (r.version != kProtocolVersion) fail("", versionMismatchText(r.version));
    if (!f.id) fail("id", "missing (request id)");
    r.requestId = asUint(*f.id, "id");
    r.operation = envelopeOperation(f);
    if (f.body && f.error) fail("", "has both a body and an error");
    if (f.error) {
      r.error = nested("err", [&] { return unpackError(*f.error); });
    } else if (f.body) {
      if (f.body->type != msgpack::type::BIN) failType("body", "binary data", *f.body);
      r.body.assign(f.body->via.bin.ptr, f.body->via.bin.size);
    } else {
      fail("", "has neither a body nor an error");
    }
    return r;
  });
}

Reply makeReply(const Request& request, std::string body) {
  Reply r;
  r.requestId = request.requestId;
  r.operation = request.operation;
  r.body = std::move(body);
  return r;
}

Reply makeErrorReply(std::uint64_t requestId, std::string_view operation, ErrorCode code,
                     std::string message) {
  Reply r;
  r.requestId = requestId;
  r.operation = std::string(operation);
  r.error = ErrorReply{code, std::move(message)};
  return r;
}

std::string_view errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::BadRequest:
      return "bad request";
    case ErrorCode::UnknownOperation:
      return "unknown operation";
    case ErrorCode::UnsupportedVersion:
      return "unsupported protocol version";
    case ErrorCode::NotAuthorised:
      return "not authorised";
    case ErrorCode::Internal:
      return "internal error";
    case ErrorCode::InvalidArgument:
      return "invalid argument";
  }
  return "unknown error";
}

// ---- public: the ErrorReply body ---------------------------------------------------------------

std::string encodeBody(const ErrorReply& value) {
  return encodeWith(16 + value.message.size(), [&](Packer& p) { packError(p, value); });
}

namespace detail {
template <>
inline constexpr BodyDecoder<ErrorReply> kBodyDecoder<ErrorReply>{"ErrorReply", unpackError};
}  // namespace detail

template Result<ErrorReply> decodeBody<ErrorReply>(std::string_view);

}  // namespace netlens::protocol
