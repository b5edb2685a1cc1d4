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

}  // namespace netlens::app::core
