// SPDX-License-Identifier: MIT
#include "app/export/pcap_save_job.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThreadPool>

#include <memory>

#include "app/core/node_manager.h"
#include "app/core/search_runner.h"
#include "shared/pcap/capture_merge.h"
#include "shared/pcap/pcap_writer.h"

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

bool PcapSaveJob::start(const QStringList& nodeIds, protocol::Params params,
                        const QString& fileName) {
  if (m_running || nodeIds.isEmpty()) return false;
  m_running = true;
  m_total = static_cast<int>(nodeIds.size());
  m_done = 0;
  m_writing = 0;
  m_fileName = fileName;
  m_answers.clear();
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
    onNodeFailed(nodeId, tr("No packet matched; nothing to save."));
    return;
  }
  m_answers.push_back(
      {nodeId, nodeName(nodeId), reply.linkType, reply.packets, reply.truncated, reply.pcap});
  ++m_done;
  settle();
}

void PcapSaveJob::writeMerged() {
  auto answers = std::make_shared<std::vector<Answer>>(std::move(m_answers));
  m_answers.clear();
  const QString fileName = m_fileName;
  const quint64 generation = m_generation;
  ++m_writing;
  emit progressChanged(tr("Saving: writing %1…").arg(QFileInfo(fileName).fileName()));
  m_writers->start([this, answers, fileName, generation] {
    pcap::MergeOptions options;
    options.format = pcap::formatForFileName(QFile::encodeName(fileName).toStdString());
    std::vector<pcap::MergeInput> inputs;
    for (const Answer& a : *answers) {
      inputs.push_back({a.nodeName.toStdString(), "Netlens search on " + a.nodeName.toStdString(),
                        a.linkType, pcap::kDefaultSnapLength});
    }
    pcap::CaptureMerger merger(QFile::encodeName(fileName).toStdString(), options);
    std::string error;
    bool ok = merger.open(std::move(inputs), &error);
    std::vector<std::string_view> files;
    for (const Answer& a : *answers) files.emplace_back(a.pcap);
    ok = ok && merger.pushPcapFiles(files, &error);
    if (ok) {
      ok = merger.finish(&error);
    } else {
      merger.discard();  // a file that lacks a node's packets must not look complete
    }
    const quint64 copies = merger.counters().duplicatesDropped;
    const quint64 written = merger.counters().packetsWritten;
    const QString reason = QString::fromStdString(error);
    // The destructor waits for this task, so `this` is alive; the queued call is dropped
    // with the job if it is deleted before it runs.
    QMetaObject::invokeMethod(
        this,
        [this, answers, fileName, generation, ok, reason, copies, written] {
          if (generation != m_generation) return;
          --m_writing;
          for (const Answer& a : *answers) {
            if (ok)
              emit nodeSaved(a.nodeId, fileName, a.packets, a.truncated);
            else
              emit nodeFailed(a.nodeId, tr("%1 could not be written: %2").arg(fileName, reason));
          }
          m_running = false;
          emit progressChanged(
              ok ? tr("Saved %n packet(s) to %1", nullptr, static_cast<int>(written))
                           .arg(QFileInfo(fileName).fileName()) +
                       (copies == 0 ? QString()
                                    : tr(" (%n copy/copies seen by several nodes left out)",
                                         nullptr, static_cast<int>(copies)))
                 : tr("Saving failed: %1").arg(reason));
          emit finished(false);
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
  if (m_answers.empty()) {  // no node had a packet
    m_running = false;
    emit progressChanged(tr("Nothing saved: no packet matched."));
    emit finished(false);
    return;
  }
  writeMerged();
}

}  // namespace netlens::app::exporting
