// SPDX-License-Identifier: MIT
#include "app/core/protocol_metatypes.h"

#include "app/core/node_state.h"

namespace netlens::app::core {

void registerProtocolMetaTypes() {
  qRegisterMetaType<netlens::protocol::Hello>();
  qRegisterMetaType<netlens::protocol::HostsSnapshot>();
  qRegisterMetaType<netlens::protocol::HostsDelta>();
  qRegisterMetaType<netlens::protocol::GlobalStats>();
  qRegisterMetaType<netlens::protocol::ConnectionList>();
  qRegisterMetaType<netlens::protocol::SearchReply>();
  qRegisterMetaType<netlens::protocol::SearchSession>();
  qRegisterMetaType<netlens::app::core::NodeState>();
}

}  // namespace netlens::app::core
