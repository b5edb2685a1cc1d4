// SPDX-License-Identifier: MIT
#pragma once

#include <QChartView>
#include <vector>

#include "shared/protocol/messages.h"

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace netlens::stats {
struct NewConnectionBucket;
}

namespace netlens::app::views {

/// New TCP connections of an address (or group) over time, as client and as server, split
/// into valid (the server answered the SYN) and invalid (no answer, or a reset): a port scan
/// or a dead service shows as a rise of the invalid lines. One point per bucket with a SYN,
/// in the middle of the bucket.
class NewConnectionsChart : public QChartView {
  Q_OBJECT
 public:
  explicit NewConnectionsChart(QWidget* parent = nullptr);

  void setBuckets(const std::vector<stats::NewConnectionBucket>& buckets,
                  protocol::TimeNs bucketNs);
  void retranslate();

  /// The line of one role and kind, for tests.
  QLineSeries* series(bool asServer, bool valid) const {
    return m_series[(asServer ? 2 : 0) + (valid ? 0 : 1)];
  }

 private:
  QLineSeries* m_series[4] = {};  ///< valid/invalid as client, valid/invalid as server
  QDateTimeAxis* m_timeAxis = nullptr;
  QValueAxis* m_countAxis = nullptr;
};

}  // namespace netlens::app::views
