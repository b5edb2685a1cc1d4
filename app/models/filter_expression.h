// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <cstdint>
#include <memory>
#include <vector>

#include "shared/net/ip_address.h"

namespace netlens::app::models {

/// What a filter column holds; it decides which literals and operators the column accepts.
enum class FilterValueType {
  Number,   ///< counters, rates, ports: compared as double (exact up to 2^53)
  Text,     ///< names, protocols: case-insensitive comparisons
  Address,  ///< IPv4/IPv6 addresses: compared numerically, every IPv4 before every IPv6
  Time,     ///< nanoseconds since the Unix epoch (UTC); 0 means "never"
};

/// One column a filter expression may name.
struct FilterColumn {
  QString key;          ///< short lower-case word, e.g. "rx_bytes"
  QStringList aliases;  ///< other accepted names (lower case), e.g. "received_bytes"
  int column = -1;      ///< the model column handed to FilterValueSource
  FilterValueType type = FilterValueType::Number;
  bool isList = false;  ///< several values per row (VLANs, MACs, node names of a merged row)
};

/// The columns of one table as expressions name them. Names are matched case-insensitively.
///
/// Thread: any (immutable after construction).
class FilterColumns {
 public:
  FilterColumns() = default;
  explicit FilterColumns(std::vector<FilterColumn> columns);

  /// The column whose key or alias is `name`, or null.
  const FilterColumn* find(QStringView name) const;
  /// The keys in table order, for error messages and help texts.
  QStringList keys() const;
  const std::vector<FilterColumn>& columns() const { return m_columns; }

 private:
  std::vector<FilterColumn> m_columns;
};

/// The row values an expression is evaluated on; implemented by a table model. Only the
/// accessor matching the column's FilterValueType is called, plus cellText() for the text
/// form of Address columns (`contains`, `matches`). `index` is 0 except for list columns,
/// where it runs below cellValueCount().
///
/// Thread: whatever thread owns the model (the GUI thread for table models).
class FilterValueSource {
 public:
  virtual ~FilterValueSource() = default;
  /// How many values a list column holds in `row` (only called for list columns).
  virtual int cellValueCount(int row, int column) const;
  virtual double cellNumber(int row, int column, int index) const;
  virtual QString cellText(int row, int column, int index) const;
  virtual net::IpAddress cellAddress(int row, int column, int index) const;
  virtual std::int64_t cellTime(int row, int column, int index) const;
};

/// Why a filter expression did not parse: a translated message that already names the
/// position ("expected a value after '>' at 9"), and that position (1-based character
/// index into the parsed text; 0 when none applies).
struct FilterParseError {
  QString message;
  int position = 0;
  bool isError() const { return !message.isEmpty(); }
};

namespace detail {
struct FilterNode;
}

/// A table filter expression, parsed once into a tree and then evaluated per row with no
/// parsing, no allocation beyond what the row's text values cost, and no regular-expression
/// compilation (patterns are compiled and optimised at parse time).
///
/// Grammar (keywords and column names are case-insensitive):
///
///     expression := and-expr { ("or" | "||") and-expr }
///     and-expr   := not-expr { ("and" | "&&") not-expr }
///     not-expr   := ("not" | "!") not-expr | "(" expression ")" | condition
///     condition  := column                                   truthy: non-zero / non-empty
///                 | column ("==" | "=" | "!=" | "<" | "<=" | ">" | ">=") (value | column)
///                 | column "contains" string                 case-insensitive substring
///                 | column "matches" string                  regular expression
///                 | column "in" network                      e.g. 10.0.0.0/8, 2001:db8::/32
///
/// Values: numbers (`12`, `1.5`, `-3`) with an optional unit suffix — `k` `M` `G` `T`
/// decimal (1000-based, case-insensitive: `10m` is ten million, there is no "milli") or
/// `Ki` `Mi` `Gi` `Ti` binary (1024-based); strings in double quotes with `\"` and `\\`
/// escapes; IPv4 and IPv6 addresses, bare or quoted; networks `ADDRESS/LENGTH` (host bits
/// are ignored); dates and times in quotes (`"2024-05-01"`, `"2024-05-01 14:30:05"`, ISO 8601
/// with `T`, fractions and `Z` or an offset; local time unless a zone is given).
///
/// Each side of a comparison must be of the same type: a number column takes numbers, a
/// text column quoted strings, an address column addresses (`==`/`!=` a network mean
/// `in`/`not in`), a time column quoted dates. Text comparisons ignore case; `matches` does
/// too unless the pattern starts with `(?-i)`. On list columns a condition holds when it
/// holds for any value, except `!=`, which holds when no value is equal (`vlans != 10`:
/// rows without VLAN 10). Precedence: `not` binds tighter than `and`, `and` than `or`.
///
/// Thread: parse() on any thread; a parsed expression is immutable and may be shared.
class FilterExpression {
  Q_DECLARE_TR_FUNCTIONS(FilterExpression)

 public:
  /// An empty expression: isValid() is false and it matches every row.
  FilterExpression() = default;

  /// Parses `text` against `columns`. On failure returns an empty expression and fills
  /// `error` (if given) with a translated message.
  static FilterExpression parse(QStringView text, const FilterColumns& columns,
                                FilterParseError* error = nullptr);

  bool isValid() const { return m_root != nullptr; }
  /// Whether `row` of `source` passes. `source` must provide the columns parse() was given.
  bool matches(const FilterValueSource& source, int row) const;

  /// The translated name of a value type ("number", "text", ...), as error messages use it.
  static QString typeName(FilterValueType type);

 private:
  std::shared_ptr<const detail::FilterNode> m_root;
};

}  // namespace netlens::app::models
