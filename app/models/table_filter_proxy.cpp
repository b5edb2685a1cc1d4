// SPDX-License-Identifier: MIT
#include "app/models/table_filter_proxy.h"

#include <algorithm>
#include <numeric>
#include <utility>

namespace netlens::app::models {

TableFilterProxy::TableFilterProxy(int sortRole, QObject* parent)
    : QAbstractProxyModel(parent), m_sortRole(sortRole) {}

TableFilterProxy::~TableFilterProxy() = default;

// --- the QAbstractProxyModel interface --------------------------------------------------

void TableFilterProxy::setSourceModel(QAbstractItemModel* model) {
  beginResetModel();
  for (const auto& connection : m_connections) disconnect(connection);
  m_connections.clear();
  QAbstractProxyModel::setSourceModel(model);
  if (model) {
    // A change of columns or a move of rows is rare in a flat table: start afresh.
    const auto aboutToReset = [this] { beginResetModel(); };
    const auto finishReset = [this] {
      rebuildAll();
      endResetModel();
    };
    m_connections = {
        connect(model, &QAbstractItemModel::dataChanged, this,
                &TableFilterProxy::onSourceDataChanged),
        connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                &TableFilterProxy::onSourceRowsAboutToBeRemoved),
        connect(model, &QAbstractItemModel::rowsRemoved, this,
                &TableFilterProxy::onSourceRowsRemoved),
        connect(model, &QAbstractItemModel::rowsInserted, this,
                &TableFilterProxy::onSourceRowsInserted),
        connect(model, &QAbstractItemModel::layoutAboutToBeChanged, this,
                &TableFilterProxy::onSourceLayoutAboutToBeChanged),
        connect(model, &QAbstractItemModel::layoutChanged, this,
                &TableFilterProxy::onSourceLayoutChanged),
        connect(model, &QAbstractItemModel::headerDataChanged, this,
                &TableFilterProxy::onSourceHeaderDataChanged),
        connect(model, &QAbstractItemModel::modelAboutToBeReset, this, aboutToReset),
        connect(model, &QAbstractItemModel::modelReset, this, finishReset),
        connect(model, &QAbstractItemModel::rowsAboutToBeMoved, this, aboutToReset),
        connect(model, &QAbstractItemModel::rowsMoved, this, finishReset),
        connect(model, &QAbstractItemModel::columnsAboutToBeInserted, this, aboutToReset),
        connect(model, &QAbstractItemModel::columnsInserted, this, finishReset),
        connect(model, &QAbstractItemModel::columnsAboutToBeRemoved, this, aboutToReset),
        connect(model, &QAbstractItemModel::columnsRemoved, this, finishReset),
        connect(model, &QAbstractItemModel::columnsAboutToBeMoved, this, aboutToReset),
        connect(model, &QAbstractItemModel::columnsMoved, this, finishReset),
    };
  }
  rebuildAll();
  endResetModel();
}

QModelIndex TableFilterProxy::index(int row, int column, const QModelIndex& parent) const {
  if (parent.isValid() || row < 0 || column < 0 || row >= rowCount() || column >= m_columnCount)
    return {};
  return createIndex(row, column);
}

QModelIndex TableFilterProxy::parent(const QModelIndex&) const {
  return {};
}

QModelIndex TableFilterProxy::sibling(int row, int column, const QModelIndex&) const {
  return index(row, column);
}

int TableFilterProxy::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_order.size());
}

int TableFilterProxy::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : m_columnCount;
}

bool TableFilterProxy::hasChildren(const QModelIndex& parent) const {
  return !parent.isValid() && !m_order.empty() && m_columnCount > 0;
}

QModelIndex TableFilterProxy::mapToSource(const QModelIndex& proxyIndex) const {
  if (!proxyIndex.isValid() || proxyIndex.model() != this || !sourceModel()) return {};
  const auto row = static_cast<std::size_t>(proxyIndex.row());
  if (row >= m_order.size()) return {};
  return sourceModel()->index(m_order[row], proxyIndex.column());
}

QModelIndex TableFilterProxy::mapFromSource(const QModelIndex& sourceIndex) const {
  if (!sourceIndex.isValid() || sourceIndex.model() != sourceModel()) return {};
  const auto sourceRow = static_cast<std::size_t>(sourceIndex.row());
  if (sourceRow >= m_rowOfSource.size()) return {};
  const int row = m_rowOfSource[sourceRow];
  return row < 0 ? QModelIndex() : index(row, sourceIndex.column());
}

void TableFilterProxy::sort(int column, Qt::SortOrder order) {
  m_sortColumn = column;
  m_sortOrder = order;
  if (!sourceModel()) return;
  std::iota(m_sorted.begin(), m_sorted.end(), 0);
  sortRows(m_sorted);
  relayout(visibleOrder());
}

// --- the filter ------------------------------------------------------------------------

const FilterColumns& TableFilterProxy::columns() const {
  static const FilterColumns none;
  // Expressions need typed cells; other sources offer no columns, so every name fails.
  return typedSource() ? typedColumns() : none;
}

bool TableFilterProxy::setFilterText(const QString& text) {
  const QString trimmed = text.trimmed();
  if (trimmed == m_text) return !m_error.isError();
  m_text = trimmed;
  m_rawText = text;
  if (!trimmed.startsWith(QLatin1Char('('))) {
    m_expression = {};
    m_plainFilter = trimmed;
  } else {
    FilterParseError error;
    // The untrimmed text, so that error positions count from the start of the filter box.
    FilterExpression expression = FilterExpression::parse(text, columns(), &error);
    if (!expression.isValid()) {
      // Keep showing what the last good filter showed while the user is still typing.
      setError(error);
      return false;
    }
    m_expression = std::move(expression);
    m_plainFilter.clear();
  }
  setError({});
  // One filter pass over the rows in their sorted order: no sort is needed.
  for (std::size_t row = 0; row < m_pass.size(); ++row)
    m_pass[row] = acceptsRow(static_cast<int>(row)) ? 1 : 0;
  showOrder(visibleOrder());
  return true;
}

void TableFilterProxy::retranslate() {
  if (!m_error.isError()) return;
  FilterParseError error;
  FilterExpression::parse(m_rawText, columns(), &error);
  setError(error);
}

void TableFilterProxy::setError(const FilterParseError& error) {
  if (error.message == m_error.message && error.position == m_error.position) return;
  m_error = error;
  emit filterErrorChanged(m_error.message);
}

bool TableFilterProxy::acceptsRow(int sourceRow) const {
  const FilterValueSource* typed = typedSource();
  if (m_expression.isValid()) return typed && m_expression.matches(*typed, sourceRow);
  if (m_plainFilter.isEmpty()) return true;
  if (typed) return typedRowMatches(sourceRow, m_plainFilter);
  // A destroyed source leaves the proxy without one (and, like QSortFilterProxyModel, without
  // a reset: views being torn down with it would lose their header state).
  if (!sourceModel()) return false;
  QModelIndex index = sourceModel()->index(sourceRow, 0);
  return index.data().toString().contains(m_plainFilter, Qt::CaseInsensitive);
}

// --- the order -------------------------------------------------------------------------

const std::vector<std::uint64_t>* TableFilterProxy::typedSortKeys(int, bool*) const {
  return nullptr;
}

int TableFilterProxy::typedSubKeyLevels(int) const {
  return 0;
}

bool TableFilterProxy::typedSubKey(int, int, int, std::uint64_t* key) const {
  *key = 0;
  return true;
}

const std::vector<int>* TableFilterProxy::typedChangedRows() const {
  return nullptr;
}

bool TableFilterProxy::typedDefersOrder() const {
  return false;
}

bool TableFilterProxy::untypedLessThan(const QModelIndex& left, const QModelIndex& right) const {
  return QVariant::compare(left.data(m_sortRole), right.data(m_sortRole)) == QPartialOrdering::Less;
}

template <typename Fn>
void TableFilterProxy::withOrdering(const Fn& fn) const {
  const int column = m_sortColumn;
  const bool descending = m_sortOrder == Qt::DescendingOrder;
  if (column < 0 || column >= m_columnCount || !sourceModel())
    return fn([](int a, int b) { return a < b; });
  // Every comparison ends in model order: rows with equal values keep their model order in
  // both directions, and an incremental merge gives exactly what a full sort gives.
  if (typedSource()) {
    bool exact = true;
    if (const std::vector<std::uint64_t>* keyVector = typedSortKeys(column, &exact)) {
      const std::uint64_t* keys = keyVector->data();
      return fn([=, this](int a, int b) {
        const std::uint64_t ka = keys[a];
        const std::uint64_t kb = keys[b];
        if (ka != kb) return descending ? kb < ka : ka < kb;
        if (!exact) {
          if (typedLessThan(a, b, column)) return !descending;
          if (typedLessThan(b, a, column)) return descending;
        }
        return a < b;
      });
    }
    return fn([=, this](int a, int b) {
      if (typedLessThan(a, b, column)) return !descending;
      if (typedLessThan(b, a, column)) return descending;
      return a < b;
    });
  }
  const QAbstractItemModel* source = sourceModel();
  return fn([=, this](int a, int b) {
    const QModelIndex ia = source->index(a, column);
    const QModelIndex ib = source->index(b, column);
    if (untypedLessThan(ia, ib)) return !descending;
    if (untypedLessThan(ib, ia)) return descending;
    return a < b;
  });
}

void TableFilterProxy::sortRows(std::vector<int>& rows) const {
  if (rows.size() < 2) return;
  const int column = m_sortColumn;
  if (column >= 0 && column < m_columnCount && sourceModel() && typedSource()) {
    bool exact = true;
    if (const std::vector<std::uint64_t>* keys = typedSortKeys(column, &exact))
      return sortRowsOnKeys(rows, *keys, exact);
  }
  withOrdering([&](const auto& before) { std::sort(rows.begin(), rows.end(), before); });
}

void TableFilterProxy::sortRowsOnKeys(std::vector<int>& rows,
                                      const std::vector<std::uint64_t>& keys, bool exact) const {
  // The same order as withOrdering()'s comparison: keys in the sort order (complemented when
  // descending), ties in model order, which a stable sort of ascending rows gives.
  if (!std::is_sorted(rows.begin(), rows.end())) std::sort(rows.begin(), rows.end());
  const std::uint64_t flip = m_sortOrder == Qt::DescendingOrder ? ~std::uint64_t{0} : 0;
  std::vector<detail::KeyedRow> items(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    items[i] = {keys[static_cast<std::size_t>(rows[i])] ^ flip, rows[i]};
  detail::sortKeyedRows(items.data(), items.size());
  if (!exact) settleTies(items.data(), items.size(), 1);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = items[i].row;
}

void TableFilterProxy::settleTies(detail::KeyedRow* items, std::size_t count, int level) const {
  // Runs of equal keys are in model order; each run is ordered by its next level of keys.
  const int column = m_sortColumn;
  const std::uint64_t flip = m_sortOrder == Qt::DescendingOrder ? ~std::uint64_t{0} : 0;
  for (std::size_t begin = 0; begin < count;) {
    std::size_t end = begin + 1;
    while (end < count && items[end].key == items[begin].key) ++end;
    detail::KeyedRow* run = items + begin;
    const std::size_t size = end - begin;
    begin = end;
    if (size < 2) continue;
    if (level > typedSubKeyLevels(column)) {
      // Past the levels of keys: the values themselves decide.
      withOrdering([&](const auto& before) {
        std::sort(run, run + size, [&](const detail::KeyedRow& a, const detail::KeyedRow& b) {
          return before(a.row, b.row);
        });
      });
      continue;
    }
    bool more = false;
    bool allEqual = true;
    for (std::size_t i = 0; i < size; ++i) {
      std::uint64_t key = 0;
      more = typedSubKey(run[i].row, column, level, &key) || more;
      run[i].key = key ^ flip;
      allEqual = allEqual && run[i].key == run[0].key;
    }
    if (allEqual && !more) continue;  // equal values: model order, as they are
    detail::sortKeyedRows(run, size);
    if (more) settleTies(run, size, level + 1);
  }
}

void TableFilterProxy::mergeSorted(std::size_t middle) {
  if (middle == 0 || middle >= m_sorted.size()) return;
  withOrdering([&](const auto& before) {
    // Each row of the second run finds its place by galloping from the last one's: k rows
    // into n cost O(k log(n / k)) comparisons instead of a linear merge's n, and each
    // comparison is a random access into the keys. Blocks in between are copied.
    const int* base = m_sorted.data();
    std::vector<int> merged;
    merged.reserve(m_sorted.size());
    std::size_t done = 0;
    for (std::size_t m = middle; m < m_sorted.size(); ++m) {
      const int row = m_sorted[m];
      std::size_t low = done;  // every base row before `low` comes before `row`
      std::size_t high = done;
      for (std::size_t step = 1; high < middle && before(base[high], row); step *= 2) {
        low = high + 1;
        high = low + step - 1;
      }
      high = std::min(high, middle);
      const int* place = std::partition_point(base + low, base + high,
                                              [&](int other) { return before(other, row); });
      merged.insert(merged.end(), base + done, place);
      merged.push_back(row);
      done = static_cast<std::size_t>(place - base);
    }
    merged.insert(merged.end(), base + done, base + middle);
    m_sorted.swap(merged);
  });
}

void TableFilterProxy::rebuildAll() {
  QAbstractItemModel* source = sourceModel();
  const int count = source ? source->rowCount() : 0;
  m_columnCount = source ? source->columnCount() : 0;
  m_pass.resize(static_cast<std::size_t>(count));
  for (int row = 0; row < count; ++row)
    m_pass[static_cast<std::size_t>(row)] = acceptsRow(row) ? 1 : 0;
  m_sorted.resize(static_cast<std::size_t>(count));
  std::iota(m_sorted.begin(), m_sorted.end(), 0);
  sortRows(m_sorted);
  setOrder(visibleOrder());
}

void TableFilterProxy::updateRows(const std::vector<int>& changed) {
  for (int row : changed) m_pass[static_cast<std::size_t>(row)] = acceptsRow(row) ? 1 : 0;
  if (m_sortColumn < 0 || changed.empty()) return;  // model order needs no moves
  if (changed.size() * 4 > m_sorted.size()) {
    // A large share changed: one sort from scratch costs about as much as sorting them and
    // merging, and is simpler.
    std::iota(m_sorted.begin(), m_sorted.end(), 0);
    sortRows(m_sorted);
    return;
  }
  std::vector<std::uint8_t> isChanged(m_sorted.size(), 0);
  for (int row : changed) isChanged[static_cast<std::size_t>(row)] = 1;
  std::erase_if(m_sorted, [&](int row) { return isChanged[static_cast<std::size_t>(row)] != 0; });
  std::vector<int> moved = changed;
  sortRows(moved);
  m_sorted.insert(m_sorted.end(), moved.begin(), moved.end());
  mergeSorted(m_sorted.size() - moved.size());
}

std::vector<int> TableFilterProxy::visibleOrder() const {
  std::vector<int> order;
  order.reserve(m_sorted.size());
  for (int row : m_sorted) {
    if (m_pass[static_cast<std::size_t>(row)] != 0) order.push_back(row);
  }
  return order;
}

void TableFilterProxy::setOrder(std::vector<int> order) {
  m_order = std::move(order);
  m_rowOfSource.assign(m_pass.size(), -1);
  for (std::size_t i = 0; i < m_order.size(); ++i)
    m_rowOfSource[static_cast<std::size_t>(m_order[i])] = static_cast<int>(i);
}

void TableFilterProxy::relayout(std::vector<int> order) {
  if (order == m_order) return;
  emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
  const QModelIndexList from = persistentIndexList();
  std::vector<int> sourceRows;
  sourceRows.reserve(static_cast<std::size_t>(from.size()));
  for (const QModelIndex& index : from)
    sourceRows.push_back(m_order[static_cast<std::size_t>(index.row())]);
  setOrder(std::move(order));
  QModelIndexList to;
  to.reserve(from.size());
  for (qsizetype i = 0; i < from.size(); ++i) {
    const int row =
        m_rowOfSource[static_cast<std::size_t>(sourceRows[static_cast<std::size_t>(i)])];
    to.push_back(row < 0 ? QModelIndex() : index(row, from[i].column()));
  }
  changePersistentIndexList(from, to);
  emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void TableFilterProxy::showOrder(std::vector<int> order) {
  std::vector<std::uint8_t> isShown(m_pass.size(), 0);
  for (int row : order) isShown[static_cast<std::size_t>(row)] = 1;
  // Rows that go: moved to the end with a layout change (unless they are one block already)
  // and removed there, so that views get one removal instead of one per scattered row.
  int firstGone = -1;
  int lastGone = -1;
  std::size_t gone = 0;
  for (std::size_t i = 0; i < m_order.size(); ++i) {
    if (isShown[static_cast<std::size_t>(m_order[i])] != 0) continue;
    if (firstGone < 0) firstGone = static_cast<int>(i);
    lastGone = static_cast<int>(i);
    ++gone;
  }
  if (gone > 0) {
    if (static_cast<std::size_t>(lastGone - firstGone + 1) != gone) {
      std::vector<int> staying;
      std::vector<int> going;
      staying.reserve(m_order.size());
      for (int row : m_order)
        (isShown[static_cast<std::size_t>(row)] != 0 ? staying : going).push_back(row);
      firstGone = static_cast<int>(staying.size());
      lastGone = static_cast<int>(m_order.size()) - 1;
      staying.insert(staying.end(), going.begin(), going.end());
      relayout(std::move(staying));
    }
    beginRemoveRows({}, firstGone, lastGone);
    for (int i = firstGone; i <= lastGone; ++i)
      m_rowOfSource[static_cast<std::size_t>(m_order[static_cast<std::size_t>(i)])] = -1;
    m_order.erase(m_order.begin() + firstGone, m_order.begin() + lastGone + 1);
    for (std::size_t i = static_cast<std::size_t>(firstGone); i < m_order.size(); ++i)
      m_rowOfSource[static_cast<std::size_t>(m_order[i])] = static_cast<int>(i);
    endRemoveRows();
  }
  // Rows that come: appended, then sorted into place with the others below.
  std::vector<int> added;
  for (int row : order) {
    if (m_rowOfSource[static_cast<std::size_t>(row)] < 0) added.push_back(row);
  }
  if (!added.empty()) {
    const int first = static_cast<int>(m_order.size());
    beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
    for (int row : added) {
      m_rowOfSource[static_cast<std::size_t>(row)] = static_cast<int>(m_order.size());
      m_order.push_back(row);
    }
    endInsertRows();
  }
  relayout(std::move(order));
}

// --- source signals --------------------------------------------------------------------

void TableFilterProxy::onSourceDataChanged(const QModelIndex& topLeft,
                                           const QModelIndex& bottomRight,
                                           const QList<int>& roles) {
  if (!topLeft.isValid() || topLeft.parent().isValid()) return;
  std::vector<int> changed;
  const std::vector<int>* hint = typedSource() ? typedChangedRows() : nullptr;
  if (hint && topLeft.row() == 0 && bottomRight.row() + 1 == static_cast<int>(m_pass.size())) {
    changed = *hint;
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  } else {
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row) changed.push_back(row);
  }
  // Roles that neither the filter nor the sort reads (colours, tooltips) move no row, and
  // neither does a slice of a sliced update: its rows are settled when it ends.
  const bool deferred = typedSource() && typedDefersOrder();
  if (!deferred && (roles.isEmpty() || roles.contains(Qt::DisplayRole) ||
                    roles.contains(Qt::EditRole) || roles.contains(m_sortRole))) {
    updateRows(changed);
    showOrder(visibleOrder());
  }
  int first = rowCount();
  int last = -1;
  for (int sourceRow : changed) {
    const int row = m_rowOfSource[static_cast<std::size_t>(sourceRow)];
    if (row < 0) continue;
    first = std::min(first, row);
    last = std::max(last, row);
  }
  if (last >= 0)
    emit dataChanged(index(first, topLeft.column()), index(last, bottomRight.column()), roles);
}

void TableFilterProxy::onSourceRowsAboutToBeRemoved(const QModelIndex& parent, int first,
                                                    int last) {
  if (parent.isValid()) return;
  std::vector<int> order;
  order.reserve(m_order.size());
  for (int row : m_order) {
    if (row < first || row > last) order.push_back(row);
  }
  showOrder(std::move(order));
}

void TableFilterProxy::onSourceRowsRemoved(const QModelIndex& parent, int first, int last) {
  if (parent.isValid()) return;
  const int count = last - first + 1;
  const auto renumber = [&](std::vector<int>& rows) {
    std::erase_if(rows, [&](int row) { return row >= first && row <= last; });
    for (int& row : rows) {
      if (row > last) row -= count;
    }
  };
  renumber(m_sorted);
  m_pass.erase(m_pass.begin() + first, m_pass.begin() + last + 1);
  std::vector<int> order = std::move(m_order);
  renumber(order);
  setOrder(std::move(order));
}

void TableFilterProxy::onSourceRowsInserted(const QModelIndex& parent, int first, int last) {
  if (parent.isValid()) return;
  const int count = last - first + 1;
  const auto renumber = [&](std::vector<int>& rows) {
    for (int& row : rows) {
      if (row >= first) row += count;
    }
  };
  renumber(m_sorted);
  std::vector<int> order = std::move(m_order);
  renumber(order);
  m_pass.insert(m_pass.begin() + first, static_cast<std::size_t>(count), 0);
  std::vector<int> added;
  for (int row = first; row <= last; ++row) {
    m_pass[static_cast<std::size_t>(row)] = acceptsRow(row) ? 1 : 0;
    added.push_back(row);
  }
  setOrder(std::move(order));
  sortRows(added);
  m_sorted.insert(m_sorted.end(), added.begin(), added.end());
  mergeSorted(m_sorted.size() - added.size());
  showOrder(visibleOrder());
}

void TableFilterProxy::onSourceLayoutAboutToBeChanged() {
  emit layoutAboutToBeChanged();
  m_layoutProxies = persistentIndexList();
  m_layoutSources.clear();
  for (const QModelIndex& index : m_layoutProxies) m_layoutSources.push_back(mapToSource(index));
}

void TableFilterProxy::onSourceLayoutChanged() {
  rebuildAll();
  QModelIndexList to;
  to.reserve(m_layoutProxies.size());
  for (const QPersistentModelIndex& source : m_layoutSources) to.push_back(mapFromSource(source));
  changePersistentIndexList(m_layoutProxies, to);
  m_layoutProxies.clear();
  m_layoutSources.clear();
  emit layoutChanged();
}

void TableFilterProxy::onSourceHeaderDataChanged(Qt::Orientation orientation, int first, int last) {
  if (orientation == Qt::Horizontal) {
    emit headerDataChanged(orientation, first, last);
  } else if (!m_order.empty()) {
    emit headerDataChanged(orientation, 0, rowCount() - 1);
  }
}

}  // namespace netlens::app::models
