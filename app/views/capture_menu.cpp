// SPDX-License-Identifier: MIT
#include "app/views/capture_menu.h"

#include <QMenu>

#include <iterator>

namespace netlens::app::views {

models::CaptureQuery CaptureMenu::live(models::CaptureQuery query) {
  if (query.liveParams) {
    query.params = std::move(*query.liveParams);
    query.liveParams.reset();
    return query;
  }
  query.params.erase("from");
  query.params.erase("to");
  if (query.bpfSelectsAll) {
    // The other criteria are there for the store's index only (see CaptureQuery).
    for (auto it = query.params.begin(); it != query.params.end();)
      it = it->first == "bpf" ? std::next(it) : query.params.erase(it);
  }
  return query;
}

bool CaptureMenu::liveRunning(const LiveProbe& probe, const models::CaptureQuery& query) {
  return probe && !query.title.isEmpty() && probe(query.title);
}

QString CaptureMenu::liveLabel(bool running) {
  return running ? tr("Stop &live capture") : tr("&Live capture…");
}

void CaptureMenu::addActions(QMenu& menu, QObject* context, const models::CaptureQuery& query,
                             const LiveProbe& probe, Handler download, Handler live) {
  if (query.params.empty()) return;
  menu.addAction(tr("Download &PCAP…"), context,
                 [query, download = std::move(download)] { download(query); });
  const models::CaptureQuery liveQuery = CaptureMenu::live(query);
  // No live form (a running capture of the same title can still be stopped: by its title).
  if (liveQuery.params.empty() && !liveRunning(probe, liveQuery)) return;
  menu.addAction(liveLabel(liveRunning(probe, liveQuery)), context,
                 [liveQuery, live = std::move(live)] { live(liveQuery); });
}

}  // namespace netlens::app::views
