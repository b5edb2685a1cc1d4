// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QString>

#include "shared/protocol/messages.h"

namespace netlens::app::models {

/// A packet time (ns since the epoch) as the CSV exports write it: ISO 8601 in UTC with the
/// nanoseconds kept ("2024-05-01T14:30:05.123456789Z", so that times within one second stay
/// apart); "" for 0 (never).
inline QString csvTime(protocol::TimeNs t) {
  if (t == 0) return {};
  const QDateTime utc = QDateTime::fromSecsSinceEpoch(t / 1'000'000'000, Qt::UTC);
  return utc.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) +
         QStringLiteral(".%1Z").arg(t % 1'000'000'000, 9, 10, QLatin1Char('0'));
}

}  // namespace netlens::app::models
