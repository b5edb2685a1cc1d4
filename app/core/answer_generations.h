// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QString>

namespace netlens::app::core {

/// Which answer of a node is the newest, for answers decoded in the background: decodes run
/// in parallel on the pool, so an older answer may finish after a newer one. Every answer gets
/// a generation when it arrives (next()); its decoded result is applied only while isLatest()
/// holds for it. After remove(), no earlier generation of that node is the latest any more
/// (a node removed while its answer was decoding does not come back).
///
/// `channel` tells apart the kinds of answer a view asks each node for ("calls", "rtp", ...):
/// each kind has its own latest. Generations are unique over the tracker's life, so a node
/// added again never takes a stale generation for its own.
///
/// Thread: the thread that owns the view (the GUI thread).
class AnswerGenerations {
 public:
  /// A new generation for the node's answer of that kind, now its latest.
  quint64 next(const QString& nodeId, int channel) {
    const quint64 generation = ++m_last;
    m_latest[nodeId][channel] = generation;
    return generation;
  }

  /// True when the node is known and `generation` is its latest of that kind.
  bool isLatest(const QString& nodeId, int channel, quint64 generation) const {
    const auto node = m_latest.constFind(nodeId);
    if (node == m_latest.constEnd()) return false;
    const auto latest = node->constFind(channel);
    return latest != node->constEnd() && *latest == generation;
  }

  /// Forgets the node: results of its answers still decoding are stale.
  void remove(const QString& nodeId) { m_latest.remove(nodeId); }

 private:
  quint64 m_last = 0;
  QHash<QString, QHash<int, quint64>> m_latest;  ///< node id → kind → latest generation
};

}  // namespace netlens::app::core
