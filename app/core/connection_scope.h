// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace netlens::app::core {

/// Which connections to ask a node for: all (no parameter), those of one address (parameter
/// "ip") or those with an address in one IP group (parameter "group").
struct ConnectionScope {
  QString param;  ///< "ip", "group", or empty for all
  QString value;

  static ConnectionScope address(const QString& ip) {
    return {ip.isEmpty() ? QString() : QStringLiteral("ip"), ip};
  }
  static ConnectionScope group(const QString& name) { return {QStringLiteral("group"), name}; }
  bool isAll() const { return param.isEmpty(); }
};

}  // namespace netlens::app::core
