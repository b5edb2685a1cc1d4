// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

#include <memory>
#include <string>

#include "app/export/pcap_download.h"
#include "shared/protocol/codec.h"

class QThreadPool;

namespace netlens::app::core {
class NodeManager;
}

namespace netlens::app::exporting {

/// What Save audio… writes: the format and, for a call, stereo or one file per stream.
struct AudioChoice {
  QString fileName;
  bool mp3 = true;
  bool separate = false;  ///< a call: one mono file per stream (NAME-0x<ssrc>.EXT)
};

/// A call's or a stream's audio from one node: paged "audio" requests (one page in flight;
/// the next is asked for once the previous one is decoded), each page decoded and fed to the
/// stream assemblers on a worker thread of the download's own (audio::RemoteAudio, the code
/// of the command line), and at the end the files written there under a temporary name and
/// renamed when complete.
///
/// Progress: RTP packets and payload bytes received against the node's estimate. Stop: no
/// further page is asked for and the audio that arrived is written ("stopped: …"). A refusal
/// (a node without a packet store, an unknown call), a lost node or a file that cannot be
/// written fail the download with the reason, and leave no file.
///
/// Thread: GUI thread; never waits for the network or the disk. The destructor waits for the
/// worker. Does not own `nodes`.
class AudioDownload : public PcapDownload {
  Q_OBJECT

 public:
  /// `query.params` are the "audio" parameters ("call" or "ssrc" with "src"/"dst").
  AudioDownload(core::NodeManager* nodes, models::CaptureQuery query, QString nodeId,
                AudioChoice choice, QObject* parent = nullptr);
  ~AudioDownload() override;

  DownloadSource source() const override { return DownloadSource::Audio; }
  void start() override;
  void stop() override;

  /// Page size asked of the node ("max-bytes"), clamped to what the protocol takes.
  void setPageBytes(quint64 bytes);
  int pagesReceived() const { return m_pages; }
  /// The files written (after the end; several with AudioChoice::separate).
  QStringList writtenFiles() const { return m_written; }

  struct Worker;  ///< the worker's side (in the .cpp)

 private:
  void ask();
  void onReplied(const QString& nodeId, quint64 token, const QByteArray& body);
  void onFailed(const QString& nodeId, quint64 token, const QString& reason);
  void onPage(const QString& error, quint64 packets, quint64 bytes, quint64 estimated,
              const std::string& resume);
  /// Writes what arrived (worker) and ends in `state` (Done or Stopped).
  void finishFile(DownloadState state);
  void fail(const QString& reason);

  core::NodeManager* m_nodes;
  QString m_nodeId;
  AudioChoice m_choice;
  QThreadPool* m_worker;  ///< one thread; owned
  std::shared_ptr<Worker> m_state;
  protocol::Params m_params;
  quint64 m_token = 0;
  bool m_closing = false;
  bool m_stopRequested = false;
  int m_pages = 0;
  quint64 m_packets = 0;
  quint64 m_bytes = 0;
  quint64 m_estimated = 0;
  QStringList m_written;
};

}  // namespace netlens::app::exporting
