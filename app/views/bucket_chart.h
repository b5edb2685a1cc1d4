// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include "shared/protocol/messages.h"

class QChart;
class QDateTimeAxis;
class QValueAxis;
class QXYSeries;

namespace netlens::app::views {

/// A chart for figures per time bucket: a time axis along the bottom, a value axis from 0 on
/// the left (labels in `valueFormat`, printf style), the legend below, thin margins.
QChart* makeBucketChart(QDateTimeAxis** time, QValueAxis** values, const QString& valueFormat);

/// Shows the buckets from `firstStart` to the end of the one starting at `lastStart` on
/// `axis`, with a label format that fits the bucket width.
void showBucketRange(QDateTimeAxis* axis, protocol::TimeNs firstStart, protocol::TimeNs lastStart,
                     protocol::TimeNs bucketNs);

/// Hovering a point of `series` (x: ms since the epoch) shows its time and value in a tooltip:
/// "2024-05-01 14:30:05" and "NAME: VALUE UNIT", the unit being `axis`'s title, the value with
/// `decimals` decimals. Leaving the point hides it.
void showValueOnHover(QXYSeries* series, QValueAxis* axis, int decimals = 1);

}  // namespace netlens::app::views
