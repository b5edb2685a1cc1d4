// SPDX-License-Identifier: MIT
// Internal to filter expressions: the parsed tree, built by the parser
// (filter_expression.cpp) and walked per row by the evaluator (filter_evaluation.cpp).
#pragma once

#include <QRegularExpression>
#include <QString>

#include <cstdint>
#include <memory>

#include "app/models/filter_expression.h"
#include "shared/net/ip_address.h"

namespace netlens::app::models::detail {

enum class CompareOp { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual };

/// One node of a parsed expression. Leaves carry everything evaluation needs already
/// converted: numbers scaled by their unit, times in nanoseconds, networks masked,
/// patterns compiled.
struct FilterNode {
  enum class Kind { Or, And, Not, Truthy, Compare, CompareColumns, Contains, Matches, InNetwork };
  Kind kind = Kind::Truthy;
  std::unique_ptr<const FilterNode> left;  ///< Or/And/Not
  std::unique_ptr<const FilterNode> right;

  FilterValueType type = FilterValueType::Number;
  int column = -1;
  bool isList = false;
  int rhsColumn = -1;  ///< CompareColumns
  bool rhsIsList = false;
  CompareOp op = CompareOp::Equal;

  double number = 0;
  std::int64_t time = 0;
  net::IpAddress address;  ///< Compare on addresses; the masked network of InNetwork
  int prefixLength = 0;
  QString text;  ///< Compare on text, Contains
  QRegularExpression regex;
};

/// Whether `row` of `source` passes the tree below `node`. Thread: the source's thread.
bool evaluate(const FilterNode& node, const FilterValueSource& source, int row);

}  // namespace netlens::app::models::detail
