// SPDX-License-Identifier: MIT
#include "app/export/store_pcap_download.h"

#include <QFile>
#include <QThreadPool>

#include <algorithm>

#include "app/core/node_manager.h"
#include "shared/pcap/capture_merge.h"
#include "shared/pcap/pcap_writer.h"
#include "shared/protocol/operation.h"

namespace netlens::app::exporting {

/// The worker's side of a download. Touched only by tasks on the download's one-thread pool,
/// which run in the order they were queued.
struct StorePcapDownload::Writer {
  std::string path;
  std::vector<std::string> names;
  std::unique_ptr<pcap::CaptureMerger> merger;
  // Until every node's first page is in: the pages, their packets' sources and link types.
  std::vector<std::string> firstPages;
  std::vector<std::vector<pcap::MergeSource>> firstSources;
  std::vector<std::vector<std::uint32_t>> firstPacketSources;
  std::vector<std::uint32_t> linkTypes;
  std::vector<bool> hasLinkType;
  std::vector<bool> reported;
  std::vector<bool> done;

  Writer(std::string filePath, std::vector<std::string> nodeNames)
      : path(std::move(filePath)),
        names(std::move(nodeNames)),
        firstPages(names.size()),
        firstSources(names.size()),
        firstPacketSources(names.size()),
        linkTypes(names.size(), pcap::kLinkTypeEthernet),
        hasLinkType(names.size(), false),
        reported(names.size(), false),
        done(names.size(), false) {}

  /// Opens the merge with one interface per node and feeds it the first pages. A node with
  /// no packet takes another's link type: it adds none, and classic pcap needs one type.
  bool open(std::string* error) {
    const auto any = std::find(hasLinkType.begin(), hasLinkType.end(), true);
    const std::uint32_t fallback =
        any == hasLinkType.end() ? pcap::kLinkTypeEthernet
                                 : linkTypes[static_cast<std::size_t>(any - hasLinkType.begin())];
    std::vector<pcap::MergeInput> inputs;
    for (std::size_t i = 0; i < names.size(); ++i) {
      // One interface per node and capture source ("node/eth0").
      inputs.push_back({names[i], "Netlens packet store of " + names[i],
                        hasLinkType[i] ? linkTypes[i] : fallback, pcap::kDefaultSnapLength, true});
    }
    pcap::MergeOptions options;
    options.format = pcap::formatForFileName(path);
    merger = std::make_unique<pcap::CaptureMerger>(path, options);
    if (!merger->open(std::move(inputs), error)) {
      merger.reset();
      return false;
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (!firstPages[i].empty() &&
          !merger->pushPcapBytes(i, firstPages[i], error, firstSources[i], firstPacketSources[i]))
        return false;
      std::string().swap(firstPages[i]);
      firstSources[i].clear();
      std::vector<std::uint32_t>().swap(firstPacketSources[i]);
      if (done[i] && !merger->finishInput(i, error)) return false;
    }
    return true;
  }
};

struct StorePcapDownload::PageOutcome {
  QString error;
  quint64 packets = 0;
  std::string resume;
  quint64 estimated = 0;
  std::vector<bool> wants;  ///< empty until the merge is open
  quint64 written = 0;
  quint64 bytes = 0;
  quint64 duplicates = 0;
};

namespace {

using Outcome = StorePcapDownload::PageOutcome;
using Writer = StorePcapDownload::Writer;

std::vector<pcap::MergeSource> mergeSources(const protocol::SearchReply& page) {
  std::vector<pcap::MergeSource> sources;
  sources.reserve(page.sources.size());
  for (const auto& s : page.sources) sources.push_back({s.name, s.linkType});
  return sources;
}

void fillCounters(const Writer& w, Outcome* out) {
  if (!w.merger) return;
  for (std::size_t i = 0; i < w.names.size(); ++i) out->wants.push_back(w.merger->wants(i));
  out->written = w.merger->counters().packetsWritten;
  out->bytes = w.merger->bytesWritten();
  out->duplicates = w.merger->counters().duplicatesDropped;
}

/// Decodes page `body` of node `i` and merges it. Runs on the worker.
Outcome acceptPage(Writer& w, std::size_t i, const QByteArray& body) {
  Outcome out;
  auto decoded = protocol::decodeBody<protocol::SearchReply>(
      std::string_view(body.constData(), static_cast<std::size_t>(body.size())));
  if (!decoded) {
    out.error =
        StorePcapDownload::tr("a bad page: %1").arg(QString::fromStdString(decoded.error()));
    return out;
  }
  protocol::SearchReply& page = *decoded;
  out.packets = page.packets;
  out.resume = page.resume;
  out.estimated = page.estimatedPackets;
  const bool done = page.resume.empty();
  std::string error;
  if (!w.merger) {
    w.reported[i] = true;
    w.done[i] = done;
    if (!page.pcap.empty()) {
      w.linkTypes[i] = page.linkType;
      w.hasLinkType[i] = true;
    }
    w.firstPages[i] = std::move(page.pcap);
    w.firstSources[i] = mergeSources(page);
    w.firstPacketSources[i] = std::move(page.packetSources);
    if (std::all_of(w.reported.begin(), w.reported.end(), [](bool r) { return r; }) &&
        !w.open(&error))
      out.error = QString::fromStdString(error);
  } else {
    if (!page.pcap.empty() && w.hasLinkType[i] && page.linkType != w.linkTypes[i]) {
      out.error = StorePcapDownload::tr(
          "the matching packets have several link types, which one file cannot hold: narrow "
          "the time range and download each part");
    } else if ((!page.pcap.empty() &&
                !w.merger->pushPcapBytes(i, page.pcap, &error, mergeSources(page),
                                         page.packetSources)) ||
               (done && !w.merger->finishInput(i, &error))) {
      out.error = QString::fromStdString(error);
    }
  }
  fillCounters(w, &out);
  return out;
}

/// Ends the file. `complete`: every page is in (finish); else keep what arrived (abandon),
/// or, when `keep` is false and nothing arrived, leave no file.
Outcome closeFile(Writer& w, bool complete, bool keep) {
  Outcome out;
  std::string error;
  if (!w.merger) {
    const bool anything = std::any_of(w.firstPages.begin(), w.firstPages.end(),
                                      [](const auto& p) { return !p.empty(); });
    if (!keep && !anything) return out;
    if (!w.open(&error)) {
      if (w.merger) w.merger->discard();
      out.error = QString::fromStdString(error);
      return out;
    }
  }
  const bool ok = complete ? w.merger->finish(&error) : w.merger->abandon(&error);
  if (!ok) {
    if (complete) w.merger->discard();
    out.error = QString::fromStdString(error);
  }
  fillCounters(w, &out);
  return out;
}

}  // namespace

StorePcapDownload::StorePcapDownload(core::NodeManager* nodes, models::CaptureQuery query,
                                     QStringList nodeIds, QString fileName, QObject* parent)
    : PcapDownload(std::move(query), std::move(nodeIds), std::move(fileName), parent),
      m_nodes(nodes),
      m_worker(new QThreadPool(this)) {
  m_worker->setMaxThreadCount(1);
  if (m_nodes) {
    connect(m_nodes, &core::NodeManager::requestReplied, this, &StorePcapDownload::onReplied);
    connect(m_nodes, &core::NodeManager::requestFailed, this, &StorePcapDownload::onFailed);
    connect(m_nodes, &core::NodeManager::nodeRemoved, this, [this](const QString& id) {
      for (const Feed& f : m_feeds) {
        if (f.id == id && !f.done && !m_closing)
          close(DownloadState::Failed, tr("%1: the node was removed").arg(f.name));
      }
    });
  }
}

StorePcapDownload::~StorePcapDownload() {
  if (isRunning() && !m_feeds.empty() && !m_closing) {
    m_closing = true;
    auto writer = m_writer;
    m_worker->start([writer] { closeFile(*writer, false, true); });
  }
  m_worker->waitForDone();
}

void StorePcapDownload::setPageBytes(quint64 bytes) {
  m_pageBytes =
      std::clamp<quint64>(bytes, protocol::kMinSearchChunkBytes, protocol::kMaxSearchChunkBytes);
}

quint64 StorePcapDownload::nodePackets(const QString& nodeId) const {
  for (const Feed& f : m_feeds)
    if (f.id == nodeId) return f.packets;
  return 0;
}

void StorePcapDownload::start() {
  if (!m_feeds.empty() || !isRunning()) return;
  m_params = query().params;
  if (auto it = m_params.find("limit"); it != m_params.end()) {
    m_limit = QString::fromStdString(it->second).toULongLong();
    m_params.erase(it);
  }
  m_params["mode"] = "packets";
  QStringList names;
  std::vector<std::string> writerNames;
  for (const QString& id : nodeIds()) {
    const core::NodeInfo* info = m_nodes ? m_nodes->node(id) : nullptr;
    Feed feed;
    feed.id = id;
    feed.name = info && !info->name.isEmpty() ? info->name : id;
    names << feed.name;
    writerNames.push_back(feed.name.toStdString());
    m_feeds.push_back(std::move(feed));
  }
  setNodeNames(names);
  m_wants.assign(m_feeds.size(), false);
  m_writer =
      std::make_shared<Writer>(QFile::encodeName(fileName()).toStdString(), std::move(writerNames));
  startClock();
  if (m_feeds.empty()) {
    close(DownloadState::Failed, tr("no node to download from"));
    return;
  }
  for (int i = 0; i < static_cast<int>(m_feeds.size()) && !m_closing; ++i) ask(i);
}

void StorePcapDownload::stop() {
  if (!isRunning() || m_closing) return;
  close(DownloadState::Stopped, QString());
}

int StorePcapDownload::feedOf(const QString& nodeId, quint64 token) const {
  for (std::size_t i = 0; i < m_feeds.size(); ++i)
    if (m_feeds[i].id == nodeId && m_feeds[i].token == token && token != 0)
      return static_cast<int>(i);
  return -1;
}

quint64 StorePcapDownload::received() const {
  quint64 total = 0;
  for (const Feed& f : m_feeds) total += f.packets;
  return total;
}

quint64 StorePcapDownload::expected() const {
  quint64 total = 0;
  for (const Feed& f : m_feeds) total += f.done ? f.packets : std::max(f.estimated, f.packets);
  return m_limit != 0 ? std::min(total, m_limit) : total;
}

void StorePcapDownload::ask(int i) {
  Feed& feed = m_feeds[static_cast<std::size_t>(i)];
  quint64 pageLimit = protocol::kMaxSearchPackets;
  if (m_limit != 0) {
    // Requests in flight may each fill their page; first pages (every node needs one) share
    // what is left.
    quint64 promised = received();
    quint64 firstPagesToAsk = 0;
    for (const Feed& f : m_feeds) {
      if (f.token != 0) promised += f.pageLimit;
      if (!f.answered && f.token == 0 && &f != &feed) ++firstPagesToAsk;
    }
    const quint64 left = m_limit > promised ? m_limit - promised : 0;
    if (feed.answered && left == 0) return;
    pageLimit = feed.answered ? std::min(pageLimit, left)
                              : std::clamp<quint64>(left / (firstPagesToAsk + 1), 1, pageLimit);
  }
  feed.pageLimit = pageLimit;
  protocol::Params params = m_params;
  params["chunk-bytes"] = std::to_string(m_pageBytes);
  params["limit"] = std::to_string(pageLimit);
  if (!feed.after.empty()) params["after"] = feed.after;
  feed.token = core::NodeManager::nextRequestToken();
  const std::string operation(protocol::operationName(protocol::OperationId::Search));
  if (!m_nodes || !m_nodes->request(feed.id, feed.token, operation, std::move(params)))
    close(DownloadState::Failed, tr("%1: unknown node").arg(feed.name));
}

void StorePcapDownload::onReplied(const QString& nodeId, quint64 token, const QByteArray& body) {
  const int i = feedOf(nodeId, token);
  if (i < 0 || m_closing) return;
  // The token stays set until the page is merged: the node is not asked again meanwhile.
  auto writer = m_writer;
  m_worker->start([this, writer, i, body] {
    auto outcome =
        std::make_shared<PageOutcome>(acceptPage(*writer, static_cast<std::size_t>(i), body));
    // The destructor waits for this task, so `this` is alive; a queued call still pending
    // when the download is deleted is dropped with it.
    QMetaObject::invokeMethod(
        this, [this, i, outcome] { onPage(i, *outcome); }, Qt::QueuedConnection);
  });
}

void StorePcapDownload::onFailed(const QString& nodeId, quint64 token, const QString& reason) {
  const int i = feedOf(nodeId, token);
  if (i < 0 || m_closing) return;
  close(DownloadState::Failed, tr("%1: %2").arg(m_feeds[static_cast<std::size_t>(i)].name, reason));
}

void StorePcapDownload::onPage(int i, const PageOutcome& outcome) {
  if (m_closing) return;
  Feed& feed = m_feeds[static_cast<std::size_t>(i)];
  feed.token = 0;
  if (!outcome.error.isEmpty()) {
    close(DownloadState::Failed, tr("%1: %2").arg(feed.name, outcome.error));
    return;
  }
  if (!outcome.resume.empty() && (outcome.resume == feed.after || outcome.packets == 0)) {
    close(
        DownloadState::Failed,
        tr("%1 sent a page that does not advance; stopped rather than ask forever").arg(feed.name));
    return;
  }
  ++m_pages;
  feed.answered = true;
  feed.estimated = feed.packets + outcome.estimated;
  feed.packets += outcome.packets;
  feed.after = outcome.resume;
  feed.done = outcome.resume.empty();
  if (!outcome.wants.empty()) m_wants = outcome.wants;
  m_written = outcome.written;
  m_fileBytes = outcome.bytes;
  m_duplicates = outcome.duplicates;
  report(m_written, m_fileBytes, expected());
  pump();
}

void StorePcapDownload::pump() {
  if (m_closing) return;
  if (m_limit != 0 && received() >= m_limit) {
    for (Feed& f : m_feeds) {
      if (!f.done && f.token == 0) {
        m_limitReached = true;
        f.done = true;
      }
    }
  }
  const auto busy = [](const Feed& f) { return f.token != 0; };
  const auto open = [](const Feed& f) { return !f.done; };
  if (std::none_of(m_feeds.begin(), m_feeds.end(), open) &&
      std::none_of(m_feeds.begin(), m_feeds.end(), busy)) {
    close(DownloadState::Done, QString());
    return;
  }
  // Before every first page is in, the merge is not open: wait.
  if (!std::all_of(m_feeds.begin(), m_feeds.end(), [](const Feed& f) { return f.answered; }))
    return;
  for (std::size_t i = 0; i < m_feeds.size() && !m_closing; ++i) {
    if (!m_feeds[i].done && !busy(m_feeds[i]) && m_wants[i]) ask(static_cast<int>(i));
  }
  // The merge always waits for some unfinished node; should it not say so, ask one anyway
  // rather than stall.
  if (!m_closing && std::none_of(m_feeds.begin(), m_feeds.end(), busy)) {
    auto next = std::find_if(m_feeds.begin(), m_feeds.end(), open);
    if (next != m_feeds.end()) ask(static_cast<int>(next - m_feeds.begin()));
  }
}

void StorePcapDownload::close(DownloadState state, const QString& reason) {
  if (m_closing) return;
  m_closing = true;
  for (Feed& f : m_feeds) f.token = 0;  // pages still to come are dropped
  auto writer = m_writer;
  const bool complete = state == DownloadState::Done;
  const bool keep = state != DownloadState::Failed;
  if (!writer) {
    end(state, reason, 0, 0);
    return;
  }
  m_worker->start([this, writer, state, reason, complete, keep] {
    auto outcome = std::make_shared<PageOutcome>(closeFile(*writer, complete, keep));
    QMetaObject::invokeMethod(
        this,
        [this, state, reason, outcome] {
          m_duplicates = outcome->duplicates;
          const quint64 kept = outcome->written;
          const int keptCount = static_cast<int>(std::min<quint64>(kept, INT32_MAX));
          if (!outcome->error.isEmpty()) {
            end(DownloadState::Failed, outcome->error, kept, outcome->bytes);
            return;
          }
          QStringList notes;
          switch (state) {
            case DownloadState::Done:
              if (m_limitReached) notes << tr("limit reached, more packets matched");
              break;
            case DownloadState::Stopped:
              notes << tr("stopped: %n packet(s) kept", nullptr, keptCount);
              break;
            case DownloadState::Failed:
              notes << reason;
              if (outcome->wants.empty() && kept == 0 && outcome->bytes == 0)
                notes << tr("no file written");
              else
                notes << tr("%n packet(s) kept", nullptr, keptCount);
              break;
            case DownloadState::Running:
              break;
          }
          if (m_duplicates != 0) {
            notes << tr("%n copy/copies seen by several nodes left out", nullptr,
                        static_cast<int>(std::min<quint64>(m_duplicates, INT32_MAX)));
          }
          end(state, notes.join(QStringLiteral("; ")), kept, outcome->bytes);
        },
        Qt::QueuedConnection);
  });
}

}  // namespace netlens::app::exporting
