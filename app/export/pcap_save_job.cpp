// SPDX-License-Identifier: MIT
#include "app/export/pcap_save_job.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QThreadPool>

#include <memory>

#include "app/core/node_manager.h"
#include "app/core/search_runner.h"

namespace netlens::app::exporting {

PcapSaveJob::PcapSaveJob(core::NodeManager* nodes, QObject* parent)
    : QObject(parent),
      m_nodes(nodes),
      m_runner(new core::SearchRunner(nodes, this)),
      m_writers(new QThreadPool(this)) {
  m_writers->setMaxThreadCount(1);
  connect(m_runner, &core::SearchRunner::nodeAnswered, this, &PcapSaveJob::onAnswered);
  connect(m_runner, &core::SearchRunner::nodeFailed, this, &PcapSaveJob::onNodeFailed);
}

PcapSaveJob::~PcapSaveJob() {
  ++m_generation;
  m_writers->waitForDone();
}

QString PcapSaveJob::fileNameFor(const QString& chosen, const QString& nodeName, int nodeCount) {
  if (nodeCount <= 1) return chosen;
  const QFileInfo info(chosen);
  QString node = nodeName;
  node.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
  const QString suffix = info.suffix().isEmpty() ? QStringLiteral("pcap") : info.suffix();
  return info.dir().filePath(info.completeBaseName() + QLatin1Char('-') + node + QLatin1Char('.') +
                             suffix);
}

bool PcapSaveJob::start(const QStringList& nodeIds, protocol::Params params,
                        const QString& fileName) {
  if (m_running || nodeIds.isEmpty()) return false;
  m_running = true;
  m_total = static_cast<int>(nodeIds.size());
  m_done = 0;
  m_writing = 0;
  m_fileName = fileName;
  params["mode"] = "packets";
  emit progressChanged(tr("Saving: asking %n node(s)…", nullptr, m_total));
  m_runner->start(nodeIds, params);
  return true;
}

void PcapSaveJob::stop() {
  if (!m_running) return;
  m_runner->stop();
  ++m_generation;  // files being written are finished, but no longer reported
  m_running = false;
  emit progressChanged(tr("Saving stopped."));
  emit finished(true);
}

QString PcapSaveJob::nodeName(const QString& nodeId) const {
  const core::NodeInfo* info = m_nodes ? m_nodes->node(nodeId) : nullptr;
  return info ? info->name : nodeId;
}

void PcapSaveJob::onAnswered(const QString& nodeId, const protocol::SearchReply& reply) {
  if (reply.pcap.empty()) {
    onNodeFailed(nodeId, tr("No packet matched; no file written."));
    return;
  }
  const QString fileName = fileNameFor(m_fileName, nodeName(nodeId), m_total);
  auto bytes = std::make_shared<std::string>(reply.pcap);
  const quint64 packets = reply.packets;
  const bool truncated = reply.truncated;
  const quint64 generation = m_generation;
  ++m_writing;
  emit progressChanged(tr("Saving: writing %1…").arg(QFileInfo(fileName).fileName()));
  m_writers->start([this, nodeId, fileName, bytes, packets, truncated, generation] {
    QSaveFile file(fileName);
    QString error;
    if (!file.open(QIODevice::WriteOnly)) {
      error = file.errorString();
    } else if (file.write(bytes->data(), static_cast<qint64>(bytes->size())) !=
               static_cast<qint64>(bytes->size())) {
      error = file.errorString();
      file.cancelWriting();
    } else if (!file.commit()) {
      error = file.errorString();
    }
    // The destructor waits for this task, so `this` is alive; the queued call is dropped
    // with the job if it is deleted before it runs.
    QMetaObject::invokeMethod(
        this,
        [this, nodeId, fileName, packets, truncated, generation, error] {
          if (generation != m_generation) return;
          --m_writing;
          ++m_done;
          if (error.isEmpty())
            emit nodeSaved(nodeId, fileName, packets, truncated);
          else
            emit nodeFailed(nodeId, tr("%1 could not be written: %2").arg(fileName, error));
          settle();
        },
        Qt::QueuedConnection);
  });
}

void PcapSaveJob::onNodeFailed(const QString& nodeId, const QString& reason) {
  ++m_done;
  emit nodeFailed(nodeId, reason);
  settle();
}

void PcapSaveJob::settle() {
  if (!m_running) return;
  if (m_done < m_total) {
    emit progressChanged(tr("Saving: %1 of %n node(s) done", nullptr, m_total).arg(m_done));
    return;
  }
  m_running = false;
  emit progressChanged(tr("Saved."));
  emit finished(false);
}

}  // namespace netlens::app::exporting
