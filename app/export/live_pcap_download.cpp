// SPDX-License-Identifier: MIT
#include "app/export/live_pcap_download.h"

#include <QFile>
#include <QThreadPool>
#include <QTimer>

#include <algorithm>

#include "app/core/node_manager.h"
#include "shared/pcap/capture_merge.h"
#include "shared/pcap/pcap_writer.h"
#include "shared/protocol/operation.h"

namespace netlens::app::exporting {

/// The worker's side of a live download. Touched only by tasks on the download's one-thread
/// pool, which run in the order they were queued.
struct LivePcapDownload::Writer {
  std::string path;
  std::vector<std::string> names;
  std::vector<std::uint32_t> linkTypes;
  std::vector<bool> known;  ///< the node's capture answered with its link type (or failed)
  /// Chunks that arrived before every link type was known (the file's interfaces need them).
  std::vector<std::vector<std::string>> pending;
  std::unique_ptr<pcap::CaptureMerger> merger;

  Writer(std::string filePath, std::vector<std::string> nodeNames)
      : path(std::move(filePath)),
        names(std::move(nodeNames)),
        linkTypes(names.size(), pcap::kLinkTypeEthernet),
        known(names.size(), false),
        pending(names.size()) {}

  /// Opens the merge with one interface per node once every link type is known, or at the
  /// end (`force`) with Ethernet for nodes that never said.
  bool openWhenReady(bool force, std::string* error) {
    if (merger) return true;
    if (!force && !std::all_of(known.begin(), known.end(), [](bool k) { return k; })) return true;
    std::vector<pcap::MergeInput> inputs;
    for (std::size_t i = 0; i < names.size(); ++i) {
      inputs.push_back({names[i], "Netlens live capture of " + names[i], linkTypes[i],
                        pcap::kDefaultSnapLength});
    }
    pcap::MergeOptions options;
    options.format = pcap::formatForFileName(path);
    merger = std::make_unique<pcap::CaptureMerger>(path, options);
    if (!merger->open(std::move(inputs), error)) {
      merger.reset();
      return false;
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
      for (const std::string& chunk : pending[i])
        if (!merger->pushPcapBytes(i, chunk, error)) return false;
      pending[i].clear();
    }
    return true;
  }

  bool anythingPending() const {
    return std::any_of(pending.begin(), pending.end(), [](const auto& p) { return !p.empty(); });
  }
};

struct LivePcapDownload::ChunkOutcome {
  QString error;
  quint64 packets = 0;  ///< the node's counters after this chunk
  quint64 dropped = 0;
  quint64 written = 0;
  quint64 bytes = 0;
  bool fileOpen = false;
};

namespace {

using Outcome = LivePcapDownload::ChunkOutcome;
using Writer = LivePcapDownload::Writer;

void fillCounters(const Writer& w, Outcome* out) {
  if (!w.merger) return;
  out->fileOpen = true;
  out->written = w.merger->counters().packetsWritten;
  out->bytes = w.merger->bytesWritten();
}

/// Decodes a "live-fetch" or "live-stop" reply of node `i` and merges its packets. Runs on
/// the worker.
Outcome acceptChunk(Writer& w, std::size_t i, const QByteArray& body, bool last) {
  Outcome out;
  auto decoded = protocol::decodeBody<protocol::LiveChunk>(
      std::string_view(body.constData(), static_cast<std::size_t>(body.size())));
  if (!decoded) {
    out.error =
        LivePcapDownload::tr("a bad chunk: %1").arg(QString::fromStdString(decoded.error()));
    return out;
  }
  protocol::LiveChunk& chunk = *decoded;
  out.packets = chunk.packets;
  out.dropped = chunk.dropped;
  std::string error;
  if (!chunk.pcap.empty()) {
    if (chunk.linkType != w.linkTypes[i]) {
      out.error = LivePcapDownload::tr("a chunk of another link type than the capture's");
    } else if (!w.merger) {
      w.pending[i].push_back(std::move(chunk.pcap));
    } else if (!w.merger->pushPcapBytes(i, chunk.pcap, &error)) {
      out.error = QString::fromStdString(error);
    }
  }
  if (out.error.isEmpty() && last && w.merger && !w.merger->finishInput(i, &error))
    out.error = QString::fromStdString(error);
  fillCounters(w, &out);
  return out;
}

/// Ends the file: `complete` finishes it, else what arrived is kept under the final name; no
/// file is left when nothing arrived and `keepEmpty` is false.
Outcome closeFile(Writer& w, bool complete, bool keepEmpty) {
  Outcome out;
  std::string error;
  if (!w.merger) {
    if (!keepEmpty && !w.anythingPending()) return out;
    if (!w.openWhenReady(true, &error)) {
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

LivePcapDownload::LivePcapDownload(core::NodeManager* nodes, models::CaptureQuery query,
                                   QStringList nodeIds, QString fileName, QObject* parent)
    : PcapDownload(std::move(query), std::move(nodeIds), std::move(fileName), parent),
      m_nodes(nodes),
      m_worker(new QThreadPool(this)),
      m_poll(new QTimer(this)) {
  m_worker->setMaxThreadCount(1);
  m_poll->setInterval(kPollMs);
  connect(m_poll, &QTimer::timeout, this, &LivePcapDownload::poll);
  if (m_nodes) {
    connect(m_nodes, &core::NodeManager::requestReplied, this, &LivePcapDownload::onReplied);
    connect(m_nodes, &core::NodeManager::requestFailed, this, &LivePcapDownload::onFailed);
    connect(m_nodes, &core::NodeManager::nodeRemoved, this, [this](const QString& id) {
      for (Feed& f : m_feeds) {
        if (f.id != id || f.phase == Phase::Stopped) continue;
        f.phase = Phase::Stopped;
        f.token = 0;
        fail(tr("%1: the node was removed").arg(f.name));
      }
    });
  }
}

LivePcapDownload::~LivePcapDownload() {
  if (isRunning() && !m_closing && m_writer) {
    // Nobody will read the answers: the nodes stop the captures; the file keeps what came.
    for (Feed& f : m_feeds) {
      if (f.captureId != 0 && f.phase != Phase::Stopped && m_nodes) {
        m_nodes->request(f.id, core::NodeManager::nextRequestToken(),
                         std::string(protocol::operationName(protocol::OperationId::LiveStop)),
                         {{"id", std::to_string(f.captureId)}});
      }
    }
    m_closing = true;
    auto writer = m_writer;
    m_worker->start([writer] { closeFile(*writer, false, false); });
  }
  m_worker->waitForDone();
}

protocol::TimeNs LivePcapDownload::startPacketTime(const QString& nodeId) const {
  for (const Feed& f : m_feeds)
    if (f.id == nodeId) return f.startPacketTime;
  return 0;
}

quint64 LivePcapDownload::captureId(const QString& nodeId) const {
  for (const Feed& f : m_feeds)
    if (f.id == nodeId) return f.captureId;
  return 0;
}

quint64 LivePcapDownload::nodePackets() const {
  quint64 total = 0;
  for (const Feed& f : m_feeds) total += f.packets;
  return total;
}

bool LivePcapDownload::isCapturing() const {
  return isRunning() && !m_stopping && !m_feeds.empty() &&
         std::all_of(m_feeds.begin(), m_feeds.end(),
                     [](const Feed& f) { return f.phase == Phase::Running; });
}

void LivePcapDownload::start() {
  if (!m_feeds.empty() || !isRunning()) return;
  m_params = query().params;
  // A live capture has no time range and runs until stopped.
  for (const char* key : {"from", "to", "limit", "mode"}) m_params.erase(key);
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
  m_writer =
      std::make_shared<Writer>(QFile::encodeName(fileName()).toStdString(), std::move(writerNames));
  startClock();
  if (m_feeds.empty()) {
    close(DownloadState::Failed, tr("no node to capture from"));
    return;
  }
  for (Feed& f : m_feeds) {
    if (m_closing || !m_failure.isEmpty()) break;
    send(f, protocol::OperationId::LiveStart);
  }
}

void LivePcapDownload::stop() {
  if (!isRunning() || m_stopping || m_closing) return;
  m_stopping = true;
  stopFeeds();
  maybeFinish();
}

void LivePcapDownload::send(Feed& feed, protocol::OperationId operation) {
  protocol::Params params;
  if (operation == protocol::OperationId::LiveStart)
    params = m_params;
  else
    params["id"] = std::to_string(feed.captureId);
  feed.token = core::NodeManager::nextRequestToken();
  if (!m_nodes ||
      !m_nodes->request(feed.id, feed.token, std::string(protocol::operationName(operation)),
                        std::move(params))) {
    feed.token = 0;
    feed.phase = Phase::Stopped;
    fail(tr("%1: unknown node").arg(feed.name));
  }
}

int LivePcapDownload::feedOf(const QString& nodeId, quint64 token) const {
  for (std::size_t i = 0; i < m_feeds.size(); ++i)
    if (m_feeds[i].id == nodeId && m_feeds[i].token == token && token != 0)
      return static_cast<int>(i);
  return -1;
}

void LivePcapDownload::poll() {
  if (m_stopping || m_closing) return;
  for (Feed& f : m_feeds) {
    if (f.phase == Phase::Running && f.token == 0) send(f, protocol::OperationId::LiveFetch);
    if (m_stopping) return;
  }
}

void LivePcapDownload::onReplied(const QString& nodeId, quint64 token, const QByteArray& body) {
  const int i = feedOf(nodeId, token);
  if (i < 0 || m_closing) return;
  Feed& feed = m_feeds[static_cast<std::size_t>(i)];
  if (feed.phase == Phase::Starting) {
    onStarted(feed, body);
    return;
  }
  // The token stays set until the chunk is merged: the node is not asked again meanwhile.
  const bool last = feed.phase == Phase::Stopping;
  auto writer = m_writer;
  m_worker->start([this, writer, i, body, last] {
    auto outcome = std::make_shared<ChunkOutcome>(
        acceptChunk(*writer, static_cast<std::size_t>(i), body, last));
    // The destructor waits for this task, so `this` is alive; a queued call still pending
    // when the download is deleted is dropped with it.
    QMetaObject::invokeMethod(
        this, [this, i, last, outcome] { onChunk(i, last, *outcome); }, Qt::QueuedConnection);
  });
}

void LivePcapDownload::onStarted(Feed& feed, const QByteArray& body) {
  feed.token = 0;
  auto started = protocol::decodeBody<protocol::LiveCapture>(
      std::string_view(body.constData(), static_cast<std::size_t>(body.size())));
  if (!started) {
    feed.phase = Phase::Stopped;
    fail(tr("%1: a bad answer to the start: %2")
             .arg(feed.name, QString::fromStdString(started.error())));
    return;
  }
  feed.captureId = started->id;
  feed.startPacketTime = started->startPacketTime;
  feed.linkType = started->linkType;
  feed.phase = Phase::Running;
  const std::size_t input = static_cast<std::size_t>(&feed - m_feeds.data());
  const std::uint32_t linkType = started->linkType;
  auto writer = m_writer;
  m_worker->start([writer, input, linkType] {
    writer->linkTypes[input] = linkType;
    writer->known[input] = true;
    std::string error;
    // Chunks come only after this task (fetches follow the start), so nothing is pending.
    writer->openWhenReady(false, &error);
  });
  if (m_stopping) {
    feed.phase = Phase::Stopping;
    send(feed, protocol::OperationId::LiveStop);
    return;
  }
  if (isCapturing()) {
    poll();
    m_poll->start();
  }
}

void LivePcapDownload::onFailed(const QString& nodeId, quint64 token, const QString& reason) {
  const int i = feedOf(nodeId, token);
  if (i < 0 || m_closing) return;
  Feed& feed = m_feeds[static_cast<std::size_t>(i)];
  feed.token = 0;
  feed.phase = Phase::Stopped;
  fail(tr("%1: %2").arg(feed.name, reason));
}

void LivePcapDownload::onChunk(int i, bool last, const ChunkOutcome& outcome) {
  if (m_closing) return;
  Feed& feed = m_feeds[static_cast<std::size_t>(i)];
  feed.token = 0;
  if (!outcome.error.isEmpty()) {
    feed.phase = Phase::Stopped;
    fail(tr("%1: %2").arg(feed.name, outcome.error));
    return;
  }
  feed.packets = std::max(feed.packets, outcome.packets);
  feed.dropped = std::max(feed.dropped, outcome.dropped);
  if (outcome.fileOpen) {
    m_written = outcome.written;
    m_fileBytes = outcome.bytes;
  }
  quint64 dropped = 0;
  for (const Feed& f : m_feeds) dropped += f.dropped;
  setDropped(dropped);
  report(m_written, m_fileBytes, 0);
  if (last) {
    feed.phase = Phase::Stopped;
  } else if (m_stopping && feed.phase == Phase::Running) {
    // Stop came while this fetch was in flight.
    feed.phase = Phase::Stopping;
    send(feed, protocol::OperationId::LiveStop);
  }
  maybeFinish();
}

void LivePcapDownload::stopFeeds() {
  m_poll->stop();
  for (Feed& f : m_feeds) {
    // A feed still starting or fetching is stopped when that answer comes.
    if (f.phase == Phase::Running && f.token == 0) {
      f.phase = Phase::Stopping;
      send(f, protocol::OperationId::LiveStop);
    }
  }
}

void LivePcapDownload::fail(const QString& reason) {
  if (m_closing) return;
  if (m_failure.isEmpty()) m_failure = reason;
  m_stopping = true;
  stopFeeds();
  maybeFinish();
}

void LivePcapDownload::maybeFinish() {
  if (m_closing || !m_stopping) return;
  const bool settled = std::all_of(m_feeds.begin(), m_feeds.end(), [](const Feed& f) {
    return f.phase == Phase::Stopped || (f.phase == Phase::Starting && f.token == 0);
  });
  if (!settled) return;
  if (m_failure.isEmpty())
    close(DownloadState::Stopped, QString());
  else
    close(DownloadState::Failed, m_failure);
}

void LivePcapDownload::close(DownloadState state, const QString& reason) {
  if (m_closing) return;
  m_closing = true;
  m_poll->stop();
  for (Feed& f : m_feeds) f.token = 0;  // answers still to come are dropped
  auto writer = m_writer;
  if (!writer) {
    end(state, reason, 0, 0);
    return;
  }
  const bool complete = state == DownloadState::Stopped;
  m_worker->start([this, writer, state, reason, complete] {
    auto outcome = std::make_shared<ChunkOutcome>(closeFile(*writer, complete, complete));
    QMetaObject::invokeMethod(
        this,
        [this, state, reason, outcome] {
          const quint64 kept = outcome->written;
          const int keptCount = static_cast<int>(std::min<quint64>(kept, INT32_MAX));
          if (!outcome->error.isEmpty()) {
            end(DownloadState::Failed, outcome->error, kept, outcome->bytes);
            return;
          }
          QStringList notes;
          if (state == DownloadState::Stopped) {
            notes << tr("stopped: %n packet(s) kept", nullptr, keptCount);
          } else {
            notes << reason;
            if (!outcome->fileOpen)
              notes << tr("no file written");
            else
              notes << tr("%n packet(s) kept", nullptr, keptCount);
          }
          if (progress().dropped != 0) {
            notes << tr("%n packet(s) dropped by the nodes' full buffers", nullptr,
                        static_cast<int>(std::min<quint64>(progress().dropped, INT32_MAX)));
          }
          end(state, notes.join(QStringLiteral("; ")), kept, outcome->bytes);
        },
        Qt::QueuedConnection);
  });
}

}  // namespace netlens::app::exporting
