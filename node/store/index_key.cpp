// SPDX-License-Identifier: MIT
#include "node/store/index_key.h"

#include <algorithm>

namespace netlens::node::store {

IndexKey IndexKey::ip(KeyKind kind, const net::IpAddress& address) {
  IndexKey k;
  k.kind = kind;
  const bool v4 = address.isV4();
  k.length = v4 ? 5 : 17;
  k.value[0] = v4 ? 4 : 6;
  std::copy_n(address.bytes.begin(), k.length - 1, k.value.begin() + 1);
  return k;
}

IndexKey IndexKey::mac(KeyKind kind, const net::MacAddress& address) {
  IndexKey k;
  k.kind = kind;
  k.length = 6;
  std::copy_n(address.bytes.begin(), 6, k.value.begin());
  return k;
}

IndexKey IndexKey::number(KeyKind kind, std::uint32_t value, std::uint8_t bytes) {
  IndexKey k;
  k.kind = kind;
  k.length = bytes;
  for (std::uint8_t i = 0; i < bytes; ++i)
    k.value[i] = static_cast<std::uint8_t>(value >> (8 * (bytes - 1 - i)));
  return k;
}

}  // namespace netlens::node::store
