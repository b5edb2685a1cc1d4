// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <memory>

#include "app/export/store_pcap_download.h"
#include "app/models/search_query.h"
#include "shared/protocol/codec.h"
#include "shared/protocol/messages.h"

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;
class QThreadPool;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace netlens::app::core {
class NodeManager;
class SearchRunner;
}  // namespace netlens::app::core

namespace netlens::app::models {
class PacketListModel;
class SearchSessionFilterProxy;
class SearchSessionModel;
struct PacketList;
}  // namespace netlens::app::models

namespace netlens::app::exporting {
class CsvExportJob;
class DownloadManager;
class LivePcapDownload;
}  // namespace netlens::app::exporting

namespace netlens::app::views {

class TablePanel;

/// The Search tab: a form with every criterion of the nodes' packet-store search, the nodes
/// to ask, the sessions they found (one table over all nodes, sortable, filterable, CSV),
/// and for a selected session its packets — a list with a tcpdump-like summary, the
/// decoded layers and the bytes. *Save as PCAP…* downloads the search's packets from the
/// checked nodes into one file, through the DownloadManager (so it shows in Captures).
///
/// The form is checked on the console first (one red line per problem); a node's error
/// shows beside that node in the node list. Searches run on the nodes' I/O threads and
/// answers are decoded off the GUI thread; Stop drops whatever is still to come.
///
/// Thread: GUI thread. Does not own `nodes`.
class SearchView : public QWidget {
  Q_OBJECT

 public:
  /// `downloads`: where Save as PCAP starts its downloads; null for a manager of its own.
  explicit SearchView(core::NodeManager* nodes, exporting::DownloadManager* downloads = nullptr,
                      QWidget* parent = nullptr);
  ~SearchView() override;

  /// The form as filled in.
  models::SearchForm form() const;
  /// Checks the form and, when it is valid, searches the checked nodes. False (with the
  /// problems shown) when the form is invalid or no node is checked.
  bool startSearch();
  /// The Stop button: ends the running search, a running packet request and a pcap save.
  /// The sessions the nodes' pages held so far stay in the table, marked "stopped"; packets
  /// still to come are dropped.
  void stop();
  bool isSearching() const;
  /// Checks or unchecks a node in the node list (false for an unknown node).
  bool setNodeChecked(const QString& nodeId, bool checked);
  /// Sets the time range to the last `seconds` before the newest packet the checked nodes
  /// hold (the current time when none says); 0 clears it (all times).
  void setQuickRange(qint64 seconds);

  /// Asks the session's node for the packets of session `proxyRow` (of the sessions
  /// proxy); false for a row that does not exist.
  bool openSessionPackets(int proxyRow);
  /// Writes the sessions table as CSV (as shown: filtered, sorted, visible columns).
  bool exportCsv(const QString& fileName);
  /// Downloads the packets of the current form's search on the checked nodes into one file
  /// (pcapng, or classic pcap for a ".pcap" name). False when the form is invalid, no node
  /// is checked or a save of this tab runs.
  bool savePcap(const QString& fileName);
  /// The live capture of the current form's criteria (without its time range), as the Live
  /// capture… button starts it; false with the reasons under the form when the form is
  /// invalid, no node is checked or it has criteria a live capture cannot take (payload).
  bool liveQuery(models::CaptureQuery* query, QStringList* problems) const;
  /// Starts the live capture of the form's criteria on the checked nodes into `fileName`,
  /// or stops it when one of that query runs; false when the form cannot be captured live.
  bool toggleLiveCapture(const QString& fileName);
  QPushButton* liveButton() const { return m_liveButton; }
  /// Live capture… or Stop live capture, as the Captures list says now.
  void updateLiveButton();
  /// Asks for a file and downloads the packets of the session in proxy row `proxyRow` from
  /// its node (both directions of its 5-tuple, over its time span); null for a row that does
  /// not exist or when the file choice is cancelled. The sessions table's context menu.
  exporting::StorePcapDownload* downloadSession(int proxyRow);
  /// The live capture of the session in proxy row `proxyRow`: both directions of its 5-tuple
  /// (untagged or behind one VLAN tag) from now on. The search's other criteria — payload
  /// above all — are not part of it. Empty params for a row that does not exist.
  models::CaptureQuery sessionLiveQuery(int proxyRow) const;
  /// Stops the running live capture of that session, else asks for a file and starts it on
  /// the session's node (the sessions table's context menu). Null when it stopped one, when
  /// the row does not exist or the file choice is cancelled.
  exporting::LivePcapDownload* toggleSessionLiveCapture(int proxyRow);
  /// The download of the last save, or null.
  exporting::StorePcapDownload* lastSave() const { return m_saving; }

  models::SearchSessionModel* sessionModel() const { return m_sessions; }
  models::SearchSessionFilterProxy* sessionProxy() const { return m_proxy; }
  QTableView* sessionTable() const;
  models::PacketListModel* packetModel() const { return m_packets; }
  QTableView* packetTable() const { return m_packetTable; }
  QTreeWidget* detailTree() const { return m_detail; }
  QPlainTextEdit* hexView() const { return m_hex; }
  QTreeWidget* nodeList() const { return m_nodeList; }
  QLabel* formErrors() const { return m_formErrors; }
  /// The hex view's highlighted bytes: offset and length, -1 and 0 when none.
  std::pair<int, int> highlightedBytes() const { return m_highlight; }

 signals:
  void statusMessage(const QString& text, int timeoutMs);
  /// Every node of a search answered or failed.
  void searchFinished();
  /// The packets of a session are in the packet list.
  void packetsShown();
  /// A pcap save ended (stopped or not).
  void saveFinished(bool stopped);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  QWidget* buildForm();
  QWidget* buildResults();
  void retranslateUi();
  void retranslateForm();
  void refreshNodes();
  void setNodeResult(const QString& nodeId, const QString& text, bool isError);
  QStringList checkedNodes() const;
  void onAnswered(const QString& nodeId, const protocol::SearchReply& reply);
  void onFailed(const QString& nodeId, const QString& reason);
  /// The node's pages so far, when the search was stopped.
  void onStopped(const QString& nodeId, const protocol::SearchReply& partial);
  /// stop(), with the search's partial answers kept or dropped (a new search drops them).
  void stopSearch(bool keepPages);
  void onPacketsAnswered(const QString& nodeId, const protocol::SearchReply& reply);
  void showPackets(std::shared_ptr<const models::PacketList> list);
  void showPacket(int row);
  void highlight(int offset, int length);
  void highlightItem(QTreeWidgetItem* item);
  void updateButtons();
  void updateCount();
  void exportCsvInteractively();
  void savePcapInteractively();
  bool isSaving() const;
  void onSaveFinished();

  core::NodeManager* m_nodes;
  core::SearchRunner* m_runner;
  core::SearchRunner* m_packetRunner;
  exporting::CsvExportJob* m_csvJob;
  exporting::DownloadManager* m_downloads;
  QPointer<exporting::StorePcapDownload> m_saving;
  QThreadPool* m_builders;  ///< builds packet lists off the GUI thread; owned
  quint64 m_packetGeneration = 0;

  models::SearchSessionModel* m_sessions;
  models::SearchSessionFilterProxy* m_proxy;
  models::PacketListModel* m_packets;

  // Form.
  QGroupBox* m_formBox = nullptr;
  QLabel* m_addressLabel = nullptr;
  QLineEdit* m_addresses = nullptr;
  QComboBox* m_addressSide = nullptr;
  QLabel* m_macLabel = nullptr;
  QLineEdit* m_macs = nullptr;
  QComboBox* m_macSide = nullptr;
  QLabel* m_portLabel = nullptr;
  QLineEdit* m_ports = nullptr;
  QComboBox* m_portSide = nullptr;
  QLabel* m_protocolLabel = nullptr;
  QLineEdit* m_protocols = nullptr;
  QLabel* m_vlanLabel = nullptr;
  QLineEdit* m_vlans = nullptr;
  QLabel* m_bpfLabel = nullptr;
  QLineEdit* m_bpf = nullptr;
  QLabel* m_payloadLabel = nullptr;
  QLineEdit* m_payload = nullptr;
  QComboBox* m_payloadKind = nullptr;
  QCheckBox* m_payloadPerSession = nullptr;
  QLabel* m_httpHostLabel = nullptr;
  QLineEdit* m_httpHost = nullptr;
  QLabel* m_httpUrlLabel = nullptr;
  QLineEdit* m_httpUrl = nullptr;
  QLabel* m_httpUserAgentLabel = nullptr;
  QLineEdit* m_httpUserAgent = nullptr;
  QLabel* m_httpFileLabel = nullptr;
  QLineEdit* m_httpFile = nullptr;
  QLabel* m_httpUserLabel = nullptr;
  QLineEdit* m_httpUser = nullptr;
  QCheckBox* m_useTime = nullptr;
  QDateTimeEdit* m_from = nullptr;
  QLabel* m_toLabel = nullptr;
  QDateTimeEdit* m_to = nullptr;
  QPushButton* m_last5m = nullptr;
  QPushButton* m_last1h = nullptr;
  QPushButton* m_last24h = nullptr;
  QPushButton* m_allTime = nullptr;
  QLabel* m_limitLabel = nullptr;
  QSpinBox* m_limit = nullptr;
  QLabel* m_nodesLabel = nullptr;
  QTreeWidget* m_nodeList = nullptr;
  QPushButton* m_searchButton = nullptr;
  QPushButton* m_stopButton = nullptr;
  QPushButton* m_saveButton = nullptr;
  QPushButton* m_liveButton = nullptr;
  QLabel* m_formErrors = nullptr;
  QLabel* m_state = nullptr;

  // Results.
  TablePanel* m_panel = nullptr;
  QToolButton* m_exportButton = nullptr;
  QLabel* m_packetState = nullptr;
  QTableView* m_packetTable = nullptr;
  QTreeWidget* m_detail = nullptr;
  QPlainTextEdit* m_hex = nullptr;

  protocol::Params m_lastParams;  ///< of the search whose sessions are shown
  QHash<QString, protocol::SearchSession> m_openSession;  ///< node → session being fetched
  std::pair<int, int> m_highlight{-1, 0};
  int m_answered = 0;
  quint64 m_totalPackets = 0;
};

}  // namespace netlens::app::views
