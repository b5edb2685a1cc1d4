// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

#include "app/models/call_table_model.h"
#include "app/models/connection_table_model.h"
#include "app/models/host_table_model.h"
#include "app/models/search_session_model.h"
#include "app/models/summary_table_model.h"

class QAbstractProxyModel;
class QIODevice;
class QThread;

// The folder is app/export; `export` is a C++ keyword, hence the namespace name.
namespace netlens::app::exporting {

/// Writes the IP, connections, search sessions or VoIP calls table as CSV (RFC 4180: comma
/// separated, CRLF, quotes where needed, a header line of column titles; raw numbers and ISO 8601
/// UTC times) without blocking the GUI: start() copies the rows in the proxy's order (filtered and
/// sorted) on the GUI thread, which is fast, and a short-lived worker thread formats and writes the
/// file.
///
/// Thread: create and start on the GUI thread; finished() arrives there. Deletes its worker
/// thread itself; the job object belongs to its parent.
class CsvExportJob : public QObject {
  Q_OBJECT

 public:
  explicit CsvExportJob(QObject* parent = nullptr);
  /// Waits for a running worker (the file is finished first).
  ~CsvExportJob() override;

  /// Exports the rows `proxy` shows (its source must be `model`), `columns` in that order.
  /// Returns false (and emits nothing) when a job is already running.
  bool start(const models::HostTableModel& model, const QAbstractProxyModel& proxy,
             const std::vector<int>& columns, const QString& fileName);
  /// The same for the connections table.
  bool start(const models::ConnectionTableModel& model, const QAbstractProxyModel& proxy,
             const std::vector<int>& columns, const QString& fileName);
  /// The same for the sessions a search found.
  bool start(const models::SearchSessionModel& model, const QAbstractProxyModel& proxy,
             const std::vector<int>& columns, const QString& fileName);
  /// The same for the VoIP calls.
  bool start(const models::CallTableModel& model, const QAbstractProxyModel& proxy,
             const std::vector<int>& columns, const QString& fileName);
  /// The same for a summary table (IP detail tabs, groups, VoIP streams).
  bool start(const models::SummaryTableModel& model, const QAbstractProxyModel& proxy,
             const std::vector<int>& columns, const QString& fileName);
  bool isRunning() const { return m_running; }

  /// The text of one cell: the row's position in the export and the model column. Called
  /// on the worker thread; it must only read copies.
  using CellText = std::function<QString(std::size_t row, int column)>;

  /// The formatting and writing, synchronous. Thread: any. False with `error` on failure.
  static bool write(QIODevice& device, const QStringList& headers, const std::vector<int>& columns,
                    const std::vector<models::HostTableModel::ExportRow>& rows, QString* error);
  /// The same over any cells. Thread: any.
  static bool writeCells(QIODevice& device, const QStringList& headers,
                         const std::vector<int>& columns, std::size_t rowCount,
                         const CellText& cell, QString* error);
  /// Quotes a field when it holds a comma, quote or line break.
  static QString escapeField(const QString& field);

 signals:
  /// `rows` written, or `ok` false with `error` saying why.
  void finished(bool ok, int rows, const QString& fileName, const QString& error);

 private:
  /// The source rows `proxy` shows, in its order. Thread: GUI.
  static std::vector<int> proxyRows(const QAbstractProxyModel& proxy);
  /// start() for any model with exportRows(sourceRows) and a static exportText(row, column).
  template <class Model>
  bool startRows(const Model& model, const QAbstractProxyModel& proxy,
                 const std::vector<int>& columns, const QString& fileName);
  bool startWriting(const QStringList& headers, const std::vector<int>& columns,
                    std::size_t rowCount, CellText cell, const QString& fileName);

  bool m_running = false;
  QThread* m_worker = nullptr;
};

}  // namespace netlens::app::exporting
