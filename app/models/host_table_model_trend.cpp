// SPDX-License-Identifier: MIT
// The Trend column of HostTableModel: each row's bit rate, sampled by the console.
#include <QTimer>

#include <algorithm>

#include "app/models/host_row.h"
#include "app/models/host_table_model.h"

namespace netlens::app::models {

void HostTableModel::setTrendInterval(int milliseconds) {
  if (!m_trendTimer) {
    m_trendTimer = std::make_unique<QTimer>();
    connect(m_trendTimer.get(), &QTimer::timeout, this, &HostTableModel::sampleTrends);
  }
  m_trendTimer->stop();
  if (milliseconds > 0) m_trendTimer->start(milliseconds);
}

void HostTableModel::sampleTrends() {
  // Rows that begin to have traffic get a ring; rows already holding one take a sample
  // whatever their rate, and give it back once every sample is zero again. The cost is one
  // pass over the rows plus the rows with a ring.
  for (const auto& row : rows()) {
    if (row->record.bitsPerSecond > 0 && !isStale(*row)) m_trends.try_emplace(row->key);
  }
  // Sorted by the trend, the rows whose mean moved: those with a ring before or after.
  const bool sortedByTrend = m_sortKeyColumn == Trend;
  std::vector<int> moved;
  for (auto it = m_trends.begin(); it != m_trends.end();) {
    const Row* row = findRow(it->first);
    if (sortedByTrend && row != nullptr) moved.push_back(row->row);
    TrendRing& ring = it->second;
    // A stale row keeps its node's last rate; its traffic is unknown, not constant.
    ring.values[static_cast<std::size_t>(ring.next)] =
        row != nullptr && !isStale(*row) ? static_cast<float>(row->record.bitsPerSecond) : 0.0f;
    ring.next = (ring.next + 1) % kTrendSamples;
    const bool quiet =
        std::all_of(ring.values.begin(), ring.values.end(), [](float v) { return v == 0.0f; });
    if (row == nullptr || quiet) {
      it = m_trends.erase(it);
    } else {
      ++it;
    }
  }
  if (sortedByTrend && m_sortKeys.size() == rows().size()) {
    // Their keys change range by range as the proxy re-sorts each announced range.
    emitRowsChanged(moved, Trend, Trend, {TrendRole, RawRole}, [this](int first, int last) {
      for (int r = first; r <= last; ++r)
        m_sortKeys[static_cast<std::size_t>(r)] = sortKey(rowAt(r), Trend);
    });
  } else if (sortedByTrend) {
    m_sortKeys.clear();  // not all built yet: built anew when the proxy asks
    if (rowCount() > 0)
      emit dataChanged(index(0, Trend), index(rowCount() - 1, Trend), {TrendRole, RawRole});
  }
  emit trendsSampled();
}

double HostTableModel::trendMean(const RowKey& key) const {
  auto it = m_trends.find(key);
  if (it == m_trends.end()) return 0;
  double sum = 0;
  for (float v : it->second.values) sum += v;
  return sum / kTrendSamples;
}

QList<float> HostTableModel::trendOf(const RowKey& key) const {
  auto it = m_trends.find(key);
  if (it == m_trends.end()) return {};
  const TrendRing& ring = it->second;
  QList<float> samples;
  samples.reserve(kTrendSamples);
  for (int i = 0; i < kTrendSamples; ++i)
    samples.append(ring.values[static_cast<std::size_t>((ring.next + i) % kTrendSamples)]);
  return samples;
}

}  // namespace netlens::app::models
