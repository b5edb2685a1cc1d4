// SPDX-License-Identifier: MIT
// Evaluation of parsed filter expressions on table rows; parsing is in filter_expression.cpp.
#include "app/models/filter_expression.h"
#include "app/models/filter_node.h"

#include <algorithm>
#include <compare>

namespace netlens::app::models {

namespace detail {

namespace {

using Kind = FilterNode::Kind;

bool holds(std::partial_ordering order, CompareOp op) {
  switch (op) {
    case CompareOp::Equal:
      return std::is_eq(order);
    case CompareOp::NotEqual:
      return std::is_neq(order);
    case CompareOp::Less:
      return std::is_lt(order);
    case CompareOp::LessEqual:
      return std::is_lteq(order);
    case CompareOp::Greater:
      return std::is_gt(order);
    case CompareOp::GreaterEqual:
      return std::is_gteq(order);
  }
  return false;
}

std::partial_ordering compareText(const QString& a, const QString& b) {
  return QString::compare(a, b, Qt::CaseInsensitive) <=> 0;
}

bool inNetwork(const net::IpAddress& address, const net::IpAddress& network, int prefixLength) {
  if (address.family != network.family) return false;
  const int whole = prefixLength / 8;
  if (!std::equal(network.bytes.begin(), network.bytes.begin() + whole, address.bytes.begin()))
    return false;
  const int rest = prefixLength % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFF00u >> rest);
  return (address.bytes[static_cast<std::size_t>(whole)] & mask) ==
         network.bytes[static_cast<std::size_t>(whole)];
}

/// Calls `test(index)` for each value of a cell; true as soon as one passes.
template <typename Test>
bool anyValue(const FilterValueSource& source, int row, int column, bool isList, Test&& test) {
  if (!isList) return test(0);
  const int count = source.cellValueCount(row, column);
  for (int i = 0; i < count; ++i) {
    if (test(i)) return true;
  }
  return false;
}

std::partial_ordering compareCells(const FilterValueSource& s, FilterValueType type, int row,
                                   int leftColumn, int leftIndex, int rightColumn, int rightIndex) {
  switch (type) {
    case FilterValueType::Number:
      return s.cellNumber(row, leftColumn, leftIndex) <=>
             s.cellNumber(row, rightColumn, rightIndex);
    case FilterValueType::Text:
      return compareText(s.cellText(row, leftColumn, leftIndex),
                         s.cellText(row, rightColumn, rightIndex));
    case FilterValueType::Address:
      return s.cellAddress(row, leftColumn, leftIndex) <=>
             s.cellAddress(row, rightColumn, rightIndex);
    case FilterValueType::Time:
      return s.cellTime(row, leftColumn, leftIndex) <=> s.cellTime(row, rightColumn, rightIndex);
  }
  return std::partial_ordering::unordered;
}

std::partial_ordering compareWithLiteral(const FilterValueSource& s, const FilterNode& n, int row,
                                         int index) {
  switch (n.type) {
    case FilterValueType::Number:
      return s.cellNumber(row, n.column, index) <=> n.number;
    case FilterValueType::Text:
      return compareText(s.cellText(row, n.column, index), n.text);
    case FilterValueType::Address:
      return s.cellAddress(row, n.column, index) <=> n.address;
    case FilterValueType::Time:
      return s.cellTime(row, n.column, index) <=> n.time;
  }
  return std::partial_ordering::unordered;
}

bool isTruthy(const FilterValueSource& s, const FilterNode& n, int row, int index) {
  switch (n.type) {
    case FilterValueType::Number:
      return s.cellNumber(row, n.column, index) != 0;
    case FilterValueType::Text:
      return !s.cellText(row, n.column, index).isEmpty();
    case FilterValueType::Address:
      return s.cellAddress(row, n.column, index).isValid();
    case FilterValueType::Time:
      return s.cellTime(row, n.column, index) != 0;
  }
  return false;
}

}  // namespace

bool evaluate(const FilterNode& n, const FilterValueSource& s, int row) {
  // `!=` on a list column means "no value is equal": evaluate `==` and negate.
  const bool negate = n.op == CompareOp::NotEqual;
  const CompareOp op = negate ? CompareOp::Equal : n.op;
  switch (n.kind) {
    case Kind::Or:
      return evaluate(*n.left, s, row) || evaluate(*n.right, s, row);
    case Kind::And:
      return evaluate(*n.left, s, row) && evaluate(*n.right, s, row);
    case Kind::Not:
      return !evaluate(*n.left, s, row);
    case Kind::Truthy:
      return anyValue(s, row, n.column, n.isList, [&](int i) { return isTruthy(s, n, row, i); });
    case Kind::Compare:
      return negate != anyValue(s, row, n.column, n.isList,
                                [&](int i) { return holds(compareWithLiteral(s, n, row, i), op); });
    case Kind::CompareColumns:
      return negate != anyValue(s, row, n.column, n.isList, [&](int i) {
               return anyValue(s, row, n.rhsColumn, n.rhsIsList, [&](int j) {
                 return holds(compareCells(s, n.type, row, n.column, i, n.rhsColumn, j), op);
               });
             });
    case Kind::Contains:
      return anyValue(s, row, n.column, n.isList, [&](int i) {
        return s.cellText(row, n.column, i).contains(n.text, Qt::CaseInsensitive);
      });
    case Kind::Matches:
      return anyValue(s, row, n.column, n.isList, [&](int i) {
        return n.regex.match(s.cellText(row, n.column, i)).hasMatch();
      });
    case Kind::InNetwork:
      return anyValue(s, row, n.column, n.isList, [&](int i) {
        return inNetwork(s.cellAddress(row, n.column, i), n.address, n.prefixLength);
      });
  }
  return false;
}

}  // namespace detail

int FilterValueSource::cellValueCount(int, int) const {
  return 1;
}
double FilterValueSource::cellNumber(int, int, int) const {
  return 0;
}
QString FilterValueSource::cellText(int, int, int) const {
  return {};
}
net::IpAddress FilterValueSource::cellAddress(int, int, int) const {
  return {};
}
std::int64_t FilterValueSource::cellTime(int, int, int) const {
  return 0;
}

bool FilterExpression::matches(const FilterValueSource& source, int row) const {
  return !m_root || detail::evaluate(*m_root, source, row);
}

}  // namespace netlens::app::models
