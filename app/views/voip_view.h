// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QString>
#include <QWidget>

#include <functional>
#include <optional>
#include <vector>

#include "app/core/answer_generations.h"
#include "app/core/protocol_metatypes.h"
#include "app/export/audio_download.h"

class QLabel;
class QPlainTextEdit;
class QScrollArea;
class QTableView;
class QTimer;
class QToolButton;
class QAction;

namespace netlens::app::core {
class NodeManager;
}

namespace netlens::app::models {
class CallFilterProxy;
class CallTableModel;
class SummaryTableModel;
}  // namespace netlens::app::models

namespace netlens::app::exporting {
class CsvExportJob;
class DownloadManager;
class StorePcapDownload;
}  // namespace netlens::app::exporting

namespace netlens::app::views {

class RtpStreamCharts;
class SipLadderWidget;
class TablePanel;

/// The VoIP tab: the calls of every connected node (CallTableModel behind a filter bar,
/// sortable, CSV export), and for the selected call its SIP ladder diagram (clicking a message
/// shows its start line, CSeq and SDP beside it) and its RTP streams, with charts of jitter,
/// loss and MOS per second for the selected stream.
///
/// While visible it asks every connected node for "calls" and "rtp" every kPollIntervalMs
/// (a node is not asked again while an answer of it is outstanding). Answers are decoded on a
/// pool thread and applied on the GUI thread; a node's calls are shown with its latest streams.
/// Decodes may finish out of order: a result is applied only when its answer is the newest of
/// its kind from a node still known (see core::AnswerGenerations).
///
/// Save audio… (a call's context menu and detail, a stream's context menu) fetches the audio
/// from the node's packet store as an AudioDownload, and Download call PCAP… the call's SIP
/// and RTP packets as a store download; both appear in the Captures tab (DownloadManager).
///
/// Thread: GUI thread; never waits. Does not own `nodes` (may be null in tests, which call
/// applyCalls/applyStreams themselves) nor the download manager.
class VoipView : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kPollIntervalMs = 2000;

  explicit VoipView(core::NodeManager* nodes, QWidget* parent = nullptr);
  ~VoipView() override;

  models::CallTableModel* model() const { return m_model; }
  models::CallFilterProxy* proxy() const { return m_proxy; }
  QTableView* table() const;
  TablePanel* panel() const { return m_panel; }
  SipLadderWidget* ladder() const { return m_ladder; }
  QPlainTextEdit* messageDetail() const { return m_messageDetail; }
  models::SummaryTableModel* streamModel() const { return m_streamModel; }
  QTableView* streamTable() const { return m_streamTable; }
  RtpStreamCharts* charts() const { return m_charts; }

  /// A node's complete answers; each replaces what that node had.
  void applyCalls(const QString& nodeId, const protocol::CallList& list);
  void applyStreams(const QString& nodeId, const protocol::RtpStreamList& list);
  void removeNode(const QString& nodeId);
  /// The kinds of answer asked of each node.
  enum AnswerKind { CallsAnswer, StreamsAnswer };
  /// An answer of that kind arrived from the node: the generation its decoded result carries.
  quint64 answerArrived(const QString& nodeId, AnswerKind kind);
  /// A decoded answer: applied (as applyCalls/applyStreams) only when `generation` is still
  /// the node's newest of that kind and the node was not removed since.
  void applyCallsAnswer(const QString& nodeId, quint64 generation, const protocol::CallList& list);
  void applyStreamsAnswer(const QString& nodeId, quint64 generation,
                          const protocol::RtpStreamList& list);
  /// Shows the detail of the call in that row of the model (-1: none).
  void showCall(int modelRow);
  /// Shows the charts of the stream in that row of the stream model (-1: none).
  void showStream(int streamRow);
  /// Writes the filtered, sorted calls (visible columns) as CSV in the background.
  bool exportCsv(const QString& fileName);
  /// Asks every connected node now (the timer does it while visible).
  void poll();

  /// (parent, is a call, what is saved, suggested file stem) → what to write, or nothing
  /// when cancelled. The default asks with SaveAudioDialog and a file dialog.
  using AudioChooser = std::function<std::optional<exporting::AudioChoice>(
      QWidget*, bool, const QString&, const QString&)>;
  /// Where the downloads go (Save audio…, Download call PCAP…); null disables them.
  void setDownloads(exporting::DownloadManager* downloads);
  void setAudioChooser(AudioChooser chooser) { m_audioChooser = std::move(chooser); }
  /// Page size of the audio downloads started from now on (0: the default; tests use small).
  void setAudioPageBytes(quint64 bytes) { m_audioPageBytes = bytes; }
  /// Saves the audio of the call in that row of the model, or of the stream in that row of
  /// the stream model (the shown call's). Null when there is no such row or no downloads.
  exporting::AudioDownload* saveCallAudio(int modelRow, const exporting::AudioChoice& choice);
  exporting::AudioDownload* saveStreamAudio(int streamRow, const exporting::AudioChoice& choice);
  /// Downloads the SIP and RTP packets of the call in that row of the model into `fileName`.
  exporting::StorePcapDownload* downloadCallPcap(int modelRow, const QString& fileName);
  QAction* saveCallAudioAction() const { return m_saveCallAudioAction; }
  QAction* callPcapAction() const { return m_callPcapAction; }
  QAction* saveStreamAudioAction() const { return m_saveStreamAudioAction; }

 public slots:
  void exportCsvInteractively();
  /// The shown call's (the current row's) audio, asking what to write.
  void saveCallAudioInteractively();
  /// The current stream's audio, asking what to write.
  void saveStreamAudioInteractively();
  /// The shown call's packets, asking for a file.
  void downloadCallPcapInteractively();

 signals:
  void statusMessage(const QString& text, int timeoutMs);

 protected:
  void showEvent(QShowEvent* event) override;
  void hideEvent(QHideEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  struct Pending {
    quint64 calls = 0;
    quint64 rtp = 0;
  };
  QWidget* buildDetail();
  void retranslateUi();
  void refreshNode(const QString& nodeId);
  void refreshDetail();
  void showMessage(int message);
  QString nodeName(const QString& nodeId) const;
  void onReplied(const QString& nodeId, quint64 token, const QByteArray& body);
  void onFailed(const QString& nodeId, quint64 token, const QString& reason);
  exporting::AudioDownload* startAudio(const QString& nodeId, models::CaptureQuery query,
                                       const exporting::AudioChoice& choice);
  void updateActions();

  core::NodeManager* m_nodes;
  exporting::DownloadManager* m_downloads = nullptr;
  AudioChooser m_audioChooser;
  quint64 m_audioPageBytes = 0;
  QAction* m_saveCallAudioAction = nullptr;
  QAction* m_callPcapAction = nullptr;
  QAction* m_saveStreamAudioAction = nullptr;
  QToolButton* m_saveCallAudioButton = nullptr;
  QToolButton* m_callPcapButton = nullptr;
  models::CallTableModel* m_model = nullptr;
  models::CallFilterProxy* m_proxy = nullptr;
  exporting::CsvExportJob* m_exportJob = nullptr;
  TablePanel* m_panel = nullptr;
  QAction* m_exportAction = nullptr;
  QToolButton* m_exportButton = nullptr;
  QLabel* m_callTitle = nullptr;
  QScrollArea* m_ladderArea = nullptr;
  SipLadderWidget* m_ladder = nullptr;
  QPlainTextEdit* m_messageDetail = nullptr;
  QLabel* m_streamsTitle = nullptr;
  models::SummaryTableModel* m_streamModel = nullptr;
  QTableView* m_streamTable = nullptr;
  RtpStreamCharts* m_charts = nullptr;
  QTimer* m_timer = nullptr;

  QHash<QString, protocol::CallList> m_calls;         ///< node id → its last "calls"
  QHash<QString, protocol::RtpStreamList> m_streams;  ///< node id → its last "rtp"
  QHash<QString, Pending> m_pending;                  ///< node id → outstanding tokens
  core::AnswerGenerations m_answers;                  ///< the newest answer of each node
  QString m_shownNode;                                ///< the call in the detail
  std::string m_shownCall;
  std::vector<protocol::RtpStreamRecord> m_shownStreams;  ///< in the stream model's order
};

}  // namespace netlens::app::views
