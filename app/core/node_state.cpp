// SPDX-License-Identifier: MIT
#include "app/core/node_state.h"

#include <QCoreApplication>

namespace netlens::app::core {

QString nodeStateText(NodeState state) {
  switch (state) {
    case NodeState::Connecting:
      return QCoreApplication::translate("NodeState", "Connecting");
    case NodeState::Connected:
      return QCoreApplication::translate("NodeState", "Connected");
    case NodeState::NotAuthorised:
      return QCoreApplication::translate("NodeState", "Not authorised");
    case NodeState::Unreachable:
      return QCoreApplication::translate("NodeState", "Unreachable");
    case NodeState::ServerKeyMismatch:
      return QCoreApplication::translate("NodeState", "Server key mismatch");
    case NodeState::Failed:
      return QCoreApplication::translate("NodeState", "Failed");
  }
  return {};
}

QString analysesOffText(const QStringList& names) {
  if (names.isEmpty()) return {};
  QStringList labels;
  for (const QString& name : names) {
    if (name == QLatin1String("connections"))
      labels << QCoreApplication::translate("NodeState", "connections");
    else if (name == QLatin1String("layer7"))
      labels << QCoreApplication::translate("NodeState", "layer-7 protocols");
    else if (name == QLatin1String("peer-history"))
      labels << QCoreApplication::translate("NodeState", "peer history");
    else if (name == QLatin1String("qos"))
      labels << QCoreApplication::translate("NodeState", "QoS");
    else if (name == QLatin1String("tls-details"))
      labels << QCoreApplication::translate("NodeState", "TLS details");
    else
      labels << name;
  }
  return QCoreApplication::translate("NodeState", "Not analysed: %1")
      .arg(labels.join(QStringLiteral(", ")));
}

}  // namespace netlens::app::core
