// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QString>

#include <functional>

#include "app/models/capture_query.h"

class QMenu;
class QObject;

namespace netlens::app::views {

/// The capture entries a row's context menu (or a detail page's buttons) offers for the
/// packets of one item: "Download PCAP…" (what the nodes' rings hold of it) and "Live
/// capture…", which reads "Stop live capture" while a live capture of the same title runs.
///
/// Every view that offers them has a live probe (set by the main window from the Captures
/// list) and emits its downloads and live captures as CaptureQuery signals.
/// Thread: GUI thread.
class CaptureMenu {
  Q_DECLARE_TR_FUNCTIONS(CaptureMenu)

 public:
  /// Whether a live capture of this title runs now.
  using LiveProbe = std::function<bool(const QString& title)>;
  using Handler = std::function<void(const models::CaptureQuery& query)>;

  /// `query` as a live capture: it runs from now on, so the item's past activity (the
  /// download's time range) is no range for it; a query whose BPF selects all keeps only that;
  /// a query with its own liveParams sends those (empty params: no live form).
  static models::CaptureQuery live(models::CaptureQuery query);
  /// Whether the live capture of `query` runs, as `probe` says (false without a probe).
  static bool liveRunning(const LiveProbe& probe, const models::CaptureQuery& query);
  /// The label of the live action: "Live capture…" or "Stop live capture".
  static QString liveLabel(bool running);

  /// Adds Download PCAP… (calling `download` with `query`) and Live capture… / Stop live
  /// capture (calling `live` with live(query), unless that is empty) to `menu`. Nothing when
  /// `query` is empty.
  static void addActions(QMenu& menu, QObject* context, const models::CaptureQuery& query,
                         const LiveProbe& probe, Handler download, Handler live);
};

}  // namespace netlens::app::views
