// SPDX-License-Identifier: MIT
#pragma once

// The shared message structs travel between the I/O thread and the GUI thread in queued
// signals, so Qt's meta-type system must know them. Plain structs, copied by value.

#include <QMetaType>

#include "shared/protocol/messages.h"

Q_DECLARE_METATYPE(netlens::protocol::Hello)
Q_DECLARE_METATYPE(netlens::protocol::HostsSnapshot)
Q_DECLARE_METATYPE(netlens::protocol::HostsDelta)
Q_DECLARE_METATYPE(netlens::protocol::GlobalStats)
Q_DECLARE_METATYPE(netlens::protocol::ConnectionList)
Q_DECLARE_METATYPE(netlens::protocol::SearchReply)
Q_DECLARE_METATYPE(netlens::protocol::SearchSession)

namespace netlens::app::core {

/// Registers the types above for queued connections. Thread: any; idempotent.
void registerProtocolMetaTypes();

}  // namespace netlens::app::core
