// SPDX-License-Identifier: MIT
#include "app/export/csv_export_job.h"

#include <QAbstractProxyModel>
#include <QSaveFile>
#include <QThread>

#include <memory>

namespace netlens::app::exporting {

CsvExportJob::CsvExportJob(QObject* parent) : QObject(parent) {}

CsvExportJob::~CsvExportJob() {
  if (m_worker) {
    m_worker->wait();
    delete m_worker;
  }
}

QString CsvExportJob::escapeField(const QString& field) {
  if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"')) &&
      !field.contains(QLatin1Char('\n')) && !field.contains(QLatin1Char('\r')))
    return field;
  QString quoted = field;
  quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
  return QLatin1Char('"') + quoted + QLatin1Char('"');
}

bool CsvExportJob::write(QIODevice& device, const QStringList& headers,
                         const std::vector<int>& columns,
                         const std::vector<models::HostTableModel::ExportRow>& rows,
                         QString* error) {
  return writeCells(
      device, headers, columns, rows.size(),
      [&rows](std::size_t row, int column) {
        return models::HostTableModel::exportText(rows[row], column);
      },
      error);
}

bool CsvExportJob::writeCells(QIODevice& device, const QStringList& headers,
                              const std::vector<int>& columns, std::size_t rowCount,
                              const CellText& cell, QString* error) {
  QString line;
  auto flushLine = [&]() {
    line += QLatin1String("\r\n");
    QByteArray bytes = line.toUtf8();
    line.clear();
    return device.write(bytes) == bytes.size();
  };
  QStringList escaped;
  for (const QString& header : headers) escaped << escapeField(header);
  line = escaped.join(QLatin1Char(','));
  bool ok = flushLine();
  for (std::size_t row = 0; row < rowCount; ++row) {
    if (!ok) break;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) line += QLatin1Char(',');
      line += escapeField(cell(row, columns[i]));
    }
    ok = flushLine();
  }
  if (!ok && error) *error = device.errorString();
  return ok;
}

std::vector<int> CsvExportJob::proxyRows(const QAbstractProxyModel& proxy) {
  std::vector<int> sourceRows;
  sourceRows.reserve(static_cast<std::size_t>(proxy.rowCount()));
  for (int row = 0; row < proxy.rowCount(); ++row)
    sourceRows.push_back(proxy.mapToSource(proxy.index(row, 0)).row());
  return sourceRows;
}

template <class Model>
bool CsvExportJob::startRows(const Model& model, const QAbstractProxyModel& proxy,
                             const std::vector<int>& columns, const QString& fileName) {
  if (m_running) return false;
  // GUI thread: only copy. Formatting the columns of a few hundred thousand rows is the
  // slow part, and it happens on the worker.
  auto rows = std::make_shared<decltype(model.exportRows(proxyRows(proxy)))>(
      model.exportRows(proxyRows(proxy)));
  QStringList headers;
  for (int column : columns) headers << model.headerData(column, Qt::Horizontal).toString();
  return startWriting(
      headers, columns, rows->size(),
      [rows](std::size_t row, int column) { return Model::exportText((*rows)[row], column); },
      fileName);
}

bool CsvExportJob::start(const models::HostTableModel& model, const QAbstractProxyModel& proxy,
                         const std::vector<int>& columns, const QString& fileName) {
  return startRows(model, proxy, columns, fileName);
}

bool CsvExportJob::start(const models::ConnectionTableModel& model,
                         const QAbstractProxyModel& proxy, const std::vector<int>& columns,
                         const QString& fileName) {
  return startRows(model, proxy, columns, fileName);
}

bool CsvExportJob::start(const models::SearchSessionModel& model, const QAbstractProxyModel& proxy,
                         const std::vector<int>& columns, const QString& fileName) {
  return startRows(model, proxy, columns, fileName);
}

bool CsvExportJob::start(const models::CallTableModel& model, const QAbstractProxyModel& proxy,
                         const std::vector<int>& columns, const QString& fileName) {
  return startRows(model, proxy, columns, fileName);
}

bool CsvExportJob::start(const models::SummaryTableModel& model, const QAbstractProxyModel& proxy,
                         const std::vector<int>& columns, const QString& fileName) {
  if (m_running) return false;
  auto rows = std::make_shared<std::vector<models::SummaryTableModel::Row>>();
  for (const int row : proxyRows(proxy)) rows->push_back(model.rows()[row]);
  QStringList headers;
  for (int column : columns) headers << model.headerData(column, Qt::Horizontal).toString();
  return startWriting(
      headers, columns, rows->size(),
      [rows, kinds = model.kinds()](std::size_t row, int column) {
        return models::SummaryTableModel::exportText(kinds[column], (*rows)[row].values[column]);
      },
      fileName);
}

bool CsvExportJob::startWriting(const QStringList& headers, const std::vector<int>& columns,
                                std::size_t rowCount, CellText cell, const QString& fileName) {
  m_running = true;
  struct Outcome {
    bool ok = false;
    QString error;
  };
  auto outcome = std::make_shared<Outcome>();
  QThread* worker = QThread::create([cell, rowCount, headers, columns, fileName, outcome] {
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly)) {
      outcome->error = file.errorString();
      return;
    }
    if (!writeCells(file, headers, columns, rowCount, cell, &outcome->error)) {
      file.cancelWriting();
      return;
    }
    outcome->ok = file.commit();
    if (!outcome->ok) outcome->error = file.errorString();
  });
  worker->setObjectName(QStringLiteral("netlens-csv"));
  // finished() is emitted by the worker; the lambda runs on this object's (GUI) thread.
  connect(worker, &QThread::finished, this, [this, worker, outcome, rowCount, fileName] {
    worker->deleteLater();
    m_worker = nullptr;
    m_running = false;
    emit finished(outcome->ok, static_cast<int>(rowCount), fileName, outcome->error);
  });
  m_worker = worker;
  worker->start();
  return true;
}

}  // namespace netlens::app::exporting
