// SPDX-License-Identifier: MIT
#include "app/export/audio_download.h"

#include <QFile>
#include <QPointer>
#include <QThreadPool>

#include <algorithm>
#include <vector>

#include "app/core/node_manager.h"
#include "shared/audio/remote_audio.h"
#include "shared/protocol/operation.h"

namespace netlens::app::exporting {

/// The worker's side: touched only by tasks on the download's one-thread pool, in order.
struct AudioDownload::Worker {
  audio::RemoteAudio audio;
};

AudioDownload::AudioDownload(core::NodeManager* nodes, models::CaptureQuery query, QString nodeId,
                             AudioChoice choice, QObject* parent)
    : PcapDownload(std::move(query), QStringList{nodeId}, choice.fileName, parent),
      m_nodes(nodes),
      m_nodeId(std::move(nodeId)),
      m_choice(std::move(choice)),
      m_worker(new QThreadPool(this)),
      m_state(std::make_shared<Worker>()) {
  m_worker->setMaxThreadCount(1);
  m_params = this->query().params;
  m_params["max-bytes"] = std::to_string(protocol::kDefaultAudioPageBytes);
  if (m_nodes) {
    connect(m_nodes, &core::NodeManager::requestReplied, this, &AudioDownload::onReplied);
    connect(m_nodes, &core::NodeManager::requestFailed, this, &AudioDownload::onFailed);
    connect(m_nodes, &core::NodeManager::nodeRemoved, this, [this](const QString& id) {
      if (id == m_nodeId && isRunning() && !m_closing) fail(tr("the node was removed"));
    });
  }
}

AudioDownload::~AudioDownload() {
  m_worker->waitForDone();
}

void AudioDownload::setPageBytes(quint64 bytes) {
  m_params["max-bytes"] = std::to_string(
      std::clamp<quint64>(bytes, protocol::kMinAudioPageBytes, protocol::kMaxAudioPageBytes));
}

void AudioDownload::start() {
  const core::NodeInfo* info = m_nodes ? m_nodes->node(m_nodeId) : nullptr;
  setNodeNames({info && !info->name.isEmpty() ? info->name : m_nodeId});
  startClock();
  ask();
}

void AudioDownload::stop() {
  if (!isRunning() || m_closing) return;
  m_stopRequested = true;
  m_token = 0;  // a page in flight is dropped; one being decoded is written with the rest
  finishFile(DownloadState::Stopped);
}

void AudioDownload::ask() {
  m_token = core::NodeManager::nextRequestToken();
  if (!m_nodes || !m_nodes->request(m_nodeId, m_token, "audio", m_params)) {
    m_token = 0;
    fail(tr("the node is not connected"));
  }
}

void AudioDownload::onReplied(const QString& nodeId, quint64 token, const QByteArray& body) {
  if (nodeId != m_nodeId || token != m_token || token == 0 || m_closing) return;
  m_token = 0;
  ++m_pages;
  auto state = m_state;
  QPointer<AudioDownload> self(this);
  m_worker->start([state, body, self] {
    QString error;
    quint64 packets = 0;
    quint64 bytes = 0;
    quint64 estimated = 0;
    std::string resume;
    auto page = protocol::decodeBody<protocol::AudioChunk>(
        std::string_view(body.constData(), static_cast<std::size_t>(body.size())));
    std::string problem;
    if (!page) {
      error = tr("a bad page: %1").arg(QString::fromStdString(page.error()));
    } else if (!state->audio.addPage(*page, &problem)) {
      error = QString::fromStdString(problem);
    } else {
      resume = page->resume;
    }
    packets = state->audio.packets();
    bytes = state->audio.payloadBytes();
    estimated = state->audio.estimatedPackets();
    QMetaObject::invokeMethod(
        self,
        [self, error, packets, bytes, estimated, resume] {
          if (self) self->onPage(error, packets, bytes, estimated, resume);
        },
        Qt::QueuedConnection);
  });
}

void AudioDownload::onFailed(const QString& nodeId, quint64 token, const QString& reason) {
  if (nodeId != m_nodeId || token != m_token || token == 0 || m_closing) return;
  m_token = 0;
  fail(reason);
}

void AudioDownload::onPage(const QString& error, quint64 packets, quint64 bytes, quint64 estimated,
                           const std::string& resume) {
  if (m_closing || m_stopRequested) return;
  m_packets = packets;
  m_bytes = bytes;
  m_estimated = std::max(estimated, packets);
  if (!error.isEmpty()) return fail(error);
  report(m_packets, m_bytes, resume.empty() ? m_packets : m_estimated);
  if (resume.empty()) return finishFile(DownloadState::Done);
  // A node that answers with the same resume point again would keep the download asking.
  const auto previous = m_params.find("after");
  if (previous != m_params.end() && previous->second == resume)
    return fail(tr("the node sent the same page again"));
  m_params["after"] = resume;
  ask();
}

void AudioDownload::finishFile(DownloadState state) {
  m_closing = true;
  if (state == DownloadState::Stopped && m_packets == 0) {
    end(state, tr("stopped before any audio arrived: no file written"), 0, 0);
    return;
  }
  auto worker = m_state;
  const std::string path = QFile::encodeName(fileName()).toStdString();
  const bool mp3 = m_choice.mp3;
  const bool separate = m_choice.separate;
  QPointer<AudioDownload> self(this);
  m_worker->start([worker, path, mp3, separate, state, self] {
    std::vector<std::string> written;
    std::vector<std::string> messages;
    std::string error;
    const bool ok = worker->audio.write(path, mp3, separate, &written, &messages, &error);
    QStringList files;
    for (const auto& f : written) files << QFile::decodeName(f.c_str());
    QStringList notes;
    for (const auto& m : messages) notes << QString::fromStdString(m);
    const QString reason = QString::fromStdString(error);
    QMetaObject::invokeMethod(
        self,
        [self, ok, files, notes, reason, state] {
          if (!self) return;
          self->m_written = files;
          if (!ok) {
            self->end(DownloadState::Failed, reason, self->m_packets, self->m_bytes);
            return;
          }
          const QString note = state == DownloadState::Stopped
                                   ? tr("stopped: the audio of %n packet(s) kept", nullptr,
                                        static_cast<int>(self->m_packets))
                                   : notes.join(QStringLiteral("; "));
          self->end(state, note, self->m_packets, self->m_bytes);
        },
        Qt::QueuedConnection);
  });
}

void AudioDownload::fail(const QString& reason) {
  m_closing = true;
  end(DownloadState::Failed, reason, m_packets, m_bytes);
}

}  // namespace netlens::app::exporting
