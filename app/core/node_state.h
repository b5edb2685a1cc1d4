// SPDX-License-Identifier: MIT
#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

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

/// "Not analysed: layer-7 protocols, TLS details" for the analyses a node announced it runs
/// without (Hello::analysesOff; names it does not know are shown as they are), "" for none.
/// Thread: GUI.
QString analysesOffText(const QStringList& names);

}  // namespace netlens::app::core

Q_DECLARE_METATYPE(netlens::app::core::NodeState)
