// SPDX-License-Identifier: MIT
#pragma once

#include <QMetaType>
#include <QString>

namespace netlens::app::core {

/// What the console knows about its link to one node.
enum class NodeState {
  Connecting,         ///< first attempt, or waiting for a reconnect
  Connected,          ///< hello answered, snapshot and deltas flowing
  NotAuthorised,      ///< the node refused the console key (authorise it on the node)
  Unreachable,        ///< no TCP connection
  ServerKeyMismatch,  ///< something answers, but not with the key of the connection string
  Failed,             ///< the node answered with something unusable (bad reply, version)
};

/// Short translated name of a state ("Connected", "Not authorised", ...). Thread: GUI.
QString nodeStateText(NodeState state);

}  // namespace netlens::app::core

Q_DECLARE_METATYPE(netlens::app::core::NodeState)
