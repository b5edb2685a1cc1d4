// SPDX-License-Identifier: MIT
// Lexing and parsing of filter expressions into the tree of filter_node.h, with the error
// messages users see; evaluation is in filter_evaluation.cpp.
#include "app/models/filter_expression.h"
#include "app/models/filter_node.h"

#include <QDate>
#include <QDateTime>
#include <QRegularExpression>

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

namespace netlens::app::models {

namespace {

using detail::CompareOp;
using detail::FilterNode;
using Kind = detail::FilterNode::Kind;

/// Deeper nesting than this is refused, which also bounds the recursion of evaluation.
constexpr int kMaxDepth = 100;

net::IpAddress maskNetwork(net::IpAddress address, int prefixLength) {
  for (int bit = prefixLength; bit < 128; ++bit)
    address.bytes[static_cast<std::size_t>(bit / 8)] &=
        static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  return address;
}

// --- lexer -----------------------------------------------------------------------------

enum class Tok {
  End,
  LParen,
  RParen,
  And,
  Or,
  Not,
  Compare,
  Contains,
  Matches,
  In,
  String,
  Word,
  Invalid
};

struct Token {
  Tok kind = Tok::End;
  int start = 0;   ///< index into the text
  int length = 0;  ///< in the text, quotes included
  QString value;   ///< a string's content with escapes resolved, or the word itself
  CompareOp op = CompareOp::Equal;
  int position() const { return start + 1; }
};

bool isAsciiLetter(QChar c) {
  return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}
bool isAsciiDigit(QChar c) {
  return c >= u'0' && c <= u'9';
}
// Letters of any script belong to words, so that "nöde" is reported as an unknown column
// rather than as the column "n" followed by a stray character.
bool isWordChar(QChar c) {
  return c.isLetterOrNumber() || c == u'_' || c == u'.' || c == u':' || c == u'/';
}

bool isIdentifier(const QString& word) {
  if (word.isEmpty() || !(word[0].isLetter() || word[0] == u'_')) return false;
  return std::all_of(word.begin(), word.end(),
                     [](QChar c) { return c.isLetterOrNumber() || c == u'_'; });
}

/// Dotted quad or anything with a colon: to be read as an address or a network.
bool looksLikeAddress(const QString& word) {
  if (word.contains(u':')) return true;
  static const QRegularExpression v4(QStringLiteral("^\\d+\\.\\d+\\.\\d+\\.\\d+(/.*)?$"));
  return v4.match(word).hasMatch();
}

QString compareOpText(CompareOp op) {
  switch (op) {
    case CompareOp::Equal:
      return QStringLiteral("==");
    case CompareOp::NotEqual:
      return QStringLiteral("!=");
    case CompareOp::Less:
      return QStringLiteral("<");
    case CompareOp::LessEqual:
      return QStringLiteral("<=");
    case CompareOp::Greater:
      return QStringLiteral(">");
    case CompareOp::GreaterEqual:
      return QStringLiteral(">=");
  }
  return {};
}

/// Edit distance, for "did you mean" on unknown column names.
int editDistance(const QString& a, const QString& b) {
  std::vector<int> previous(static_cast<std::size_t>(b.size()) + 1);
  std::vector<int> current(previous.size());
  for (std::size_t j = 0; j < previous.size(); ++j) previous[j] = static_cast<int>(j);
  for (qsizetype i = 1; i <= a.size(); ++i) {
    current[0] = static_cast<int>(i);
    for (qsizetype j = 1; j <= b.size(); ++j) {
      const int substitution =
          previous[static_cast<std::size_t>(j - 1)] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[static_cast<std::size_t>(j)] =
          std::min({previous[static_cast<std::size_t>(j)] + 1,
                    current[static_cast<std::size_t>(j - 1)] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous.back();
}

}  // namespace
// --- FilterColumns -------------------------------------------------------------------

FilterColumns::FilterColumns(std::vector<FilterColumn> columns) : m_columns(std::move(columns)) {}

const FilterColumn* FilterColumns::find(QStringView name) const {
  for (const FilterColumn& column : m_columns) {
    if (name.compare(column.key, Qt::CaseInsensitive) == 0) return &column;
    for (const QString& alias : column.aliases) {
      if (name.compare(alias, Qt::CaseInsensitive) == 0) return &column;
    }
  }
  return nullptr;
}

QStringList FilterColumns::keys() const {
  QStringList keys;
  keys.reserve(static_cast<qsizetype>(m_columns.size()));
  for (const FilterColumn& column : m_columns) keys << column.key;
  return keys;
}

// --- parser ----------------------------------------------------------------------------

namespace {

/// Recursive descent over a one-token lookahead. Every failure records the first error and
/// returns null; callers pass the null up without further checks.
class FilterParser {
  Q_DECLARE_TR_FUNCTIONS(FilterExpression)

 public:
  FilterParser(QStringView text, const FilterColumns& columns) : m_text(text), m_columns(columns) {}

  std::unique_ptr<const FilterNode> parse() {
    advance();
    auto root = parseOr();
    if (!root) return nullptr;
    if (m_token.kind == Tok::RParen)
      return fail(m_token.position(), tr("unbalanced ')' at %1").arg(m_token.position()));
    if (m_token.kind != Tok::End) {
      return fail(m_token.position(),
                  tr("expected 'and' or 'or' at %1").arg(m_token.position()) + found(m_token));
    }
    return root;
  }

  const FilterParseError& error() const { return m_error; }

 private:
  using NodePtr = std::unique_ptr<const FilterNode>;

  // --- tokens ---

  void advance() {
    if (m_error.isError()) {
      m_token = Token{Tok::Invalid, static_cast<int>(m_text.size()), 0, {}, {}};
      return;
    }
    m_token = lex();
  }

  Token lex() {
    int i = m_pos;
    while (i < m_text.size() && m_text[i].isSpace()) ++i;
    Token t;
    t.start = i;
    if (i >= m_text.size()) {
      m_pos = i;
      t.kind = Tok::End;
      return t;
    }
    const QChar c = m_text[i];
    const QChar next = i + 1 < m_text.size() ? m_text[i + 1] : QChar();
    auto symbol = [&](Tok kind, int length, CompareOp op = CompareOp::Equal) {
      t.kind = kind;
      t.length = length;
      t.op = op;
      t.value = m_text.mid(i, length).toString();
      m_pos = i + length;
      return t;
    };
    if (c == u'(') return symbol(Tok::LParen, 1);
    if (c == u')') return symbol(Tok::RParen, 1);
    if (c == u'&' && next == u'&') return symbol(Tok::And, 2);
    if (c == u'|' && next == u'|') return symbol(Tok::Or, 2);
    if (c == u'!' && next == u'=') return symbol(Tok::Compare, 2, CompareOp::NotEqual);
    if (c == u'!') return symbol(Tok::Not, 1);
    if (c == u'=' && next == u'=') return symbol(Tok::Compare, 2, CompareOp::Equal);
    if (c == u'=') return symbol(Tok::Compare, 1, CompareOp::Equal);
    if (c == u'<' && next == u'=') return symbol(Tok::Compare, 2, CompareOp::LessEqual);
    if (c == u'<') return symbol(Tok::Compare, 1, CompareOp::Less);
    if (c == u'>' && next == u'=') return symbol(Tok::Compare, 2, CompareOp::GreaterEqual);
    if (c == u'>') return symbol(Tok::Compare, 1, CompareOp::Greater);
    if (c == u'"') return lexString(i);
    const bool signedNumber = c == u'-' && (isAsciiDigit(next) || next == u'.');
    if (isWordChar(c) || signedNumber) {
      int end = i + 1;
      while (end < m_text.size() && isWordChar(m_text[end])) ++end;
      t.kind = Tok::Word;
      t.length = end - i;
      t.value = m_text.mid(i, t.length).toString();
      m_pos = end;
      const QString lower = t.value.toLower();
      if (lower == QLatin1String("and"))
        t.kind = Tok::And;
      else if (lower == QLatin1String("or"))
        t.kind = Tok::Or;
      else if (lower == QLatin1String("not"))
        t.kind = Tok::Not;
      else if (lower == QLatin1String("contains"))
        t.kind = Tok::Contains;
      else if (lower == QLatin1String("matches"))
        t.kind = Tok::Matches;
      else if (lower == QLatin1String("in"))
        t.kind = Tok::In;
      return t;
    }
    fail(i + 1, tr("unexpected character '%1' at %2").arg(QString(c), QString::number(i + 1)));
    t.kind = Tok::Invalid;
    return t;
  }

  Token lexString(int start) {
    Token t;
    t.kind = Tok::String;
    t.start = start;
    // `\"` and `\\` are escapes; any other backslash stays, so regular expressions such as
    // "\d+\.\d+" need no doubled backslashes.
    for (int i = start + 1; i < m_text.size(); ++i) {
      const QChar c = m_text[i];
      if (c == u'\\' && i + 1 < m_text.size() &&
          (m_text[i + 1] == u'"' || m_text[i + 1] == u'\\')) {
        t.value += m_text[++i];
      } else if (c == u'"') {
        t.length = i + 1 - start;
        m_pos = i + 1;
        return t;
      } else {
        t.value += c;
      }
    }
    fail(start + 1, tr("unterminated text: the quote at %1 is never closed").arg(start + 1));
    t.kind = Tok::Invalid;
    return t;
  }

  /// ", found 'x'" for error messages, or nothing at the end of the text.
  QString found(const Token& token) const {
    if (token.kind == Tok::End || token.kind == Tok::Invalid) return {};
    return tr(", found '%1'").arg(m_text.mid(token.start, token.length).toString());
  }

  std::nullptr_t fail(int position, const QString& message) {
    if (!m_error.isError()) m_error = FilterParseError{message, position};
    return nullptr;
  }

  // --- grammar ---

  NodePtr parseOr() {
    NodePtr left = parseAnd();
    while (left && m_token.kind == Tok::Or) {
      advance();
      NodePtr right = parseAnd();
      if (!right) return nullptr;
      left = combine(Kind::Or, std::move(left), std::move(right));
    }
    return left;
  }

  NodePtr parseAnd() {
    NodePtr left = parseNot();
    while (left && m_token.kind == Tok::And) {
      advance();
      NodePtr right = parseNot();
      if (!right) return nullptr;
      left = combine(Kind::And, std::move(left), std::move(right));
    }
    return left;
  }

  NodePtr parseNot() {
    if (m_token.kind == Tok::Not || m_token.kind == Tok::LParen) {
      if (++m_depth > kMaxDepth) {
        return fail(m_token.position(),
                    tr("the expression is nested too deeply at %1").arg(m_token.position()));
      }
      NodePtr node;
      if (m_token.kind == Tok::Not) {
        advance();
        NodePtr operand = parseNot();
        if (operand) node = combine(Kind::Not, std::move(operand), nullptr);
      } else {
        const int open = m_token.position();
        advance();
        node = parseOr();
        if (node && m_token.kind != Tok::RParen) {
          if (m_token.kind == Tok::End) return fail(open, tr("unbalanced '(' at %1").arg(open));
          return fail(
              m_token.position(),
              tr("expected 'and', 'or' or ')' at %1").arg(m_token.position()) + found(m_token));
        }
        if (node) advance();
      }
      --m_depth;
      return node;
    }
    return parseCondition();
  }

  NodePtr parseCondition() {
    const Token name = m_token;
    if (name.kind != Tok::Word || !isIdentifier(name.value)) {
      if (m_error.isError()) return nullptr;
      return fail(name.position(),
                  tr("expected a column name at %1").arg(name.position()) + found(name));
    }
    const FilterColumn* column = findColumn(name);
    if (!column) return nullptr;
    advance();

    auto node = std::make_unique<FilterNode>();
    node->type = column->type;
    node->column = column->column;
    node->isList = column->isList;
    switch (m_token.kind) {
      case Tok::Compare:
        if (!parseComparison(*column, *node)) return nullptr;
        break;
      case Tok::Contains:
      case Tok::Matches:
        if (!parseTextOperator(*column, *node)) return nullptr;
        break;
      case Tok::In:
        if (!parseIn(*column, *node)) return nullptr;
        break;
      case Tok::Word:
      case Tok::String:
        return fail(m_token.position(),
                    tr("expected an operator such as ==, >, contains or in after '%1' at %2")
                        .arg(name.value, QString::number(m_token.position())));
      default:
        node->kind = Kind::Truthy;
        break;
    }
    return node;
  }

  const FilterColumn* findColumn(const Token& name) {
    if (const FilterColumn* column = m_columns.find(name.value)) return column;
    const QString known = m_columns.keys().join(QStringLiteral(", "));
    const QString lower = name.value.toLower();
    QString suggestion;
    int best = 3;  // suggest only near misses
    for (const FilterColumn& column : m_columns.columns()) {
      QStringList names = column.aliases;
      names.prepend(column.key);
      for (const QString& candidate : names) {
        const int distance = editDistance(lower, candidate);
        if (distance < best && distance < candidate.size()) {
          best = distance;
          suggestion = column.key;
        }
      }
    }
    if (!suggestion.isEmpty()) {
      fail(name.position(),
           tr("unknown column '%1' at %2; did you mean '%3'? (known: %4)")
               .arg(name.value, QString::number(name.position()), suggestion, known));
    } else {
      fail(name.position(), tr("unknown column '%1' at %2 (known: %3)")
                                .arg(name.value, QString::number(name.position()), known));
    }
    return nullptr;
  }

  bool parseComparison(const FilterColumn& column, FilterNode& node) {
    const Token opToken = m_token;
    node.op = opToken.op;
    advance();
    const Token value = m_token;
    if (value.kind != Tok::Word && value.kind != Tok::String) {
      if (!m_error.isError()) {
        fail(value.position(),
             tr("expected a value after '%1' at %2")
                 .arg(compareOpText(opToken.op), QString::number(value.position())));
      }
      return false;
    }
    advance();

    if (value.kind == Tok::Word && isIdentifier(value.value)) {
      if (const FilterColumn* other = m_columns.find(value.value)) {
        if (other->type != column.type) {
          fail(value.position(), tr("cannot compare '%1' (%2) with '%3' (%4) at %5")
                                     .arg(column.key, FilterExpression::typeName(column.type),
                                          other->key, FilterExpression::typeName(other->type),
                                          QString::number(value.position())));
          return false;
        }
        node.kind = Kind::CompareColumns;
        node.rhsColumn = other->column;
        node.rhsIsList = other->isList;
        return true;
      }
      if (column.type == FilterValueType::Text) {
        fail(value.position(),
             tr("'%1' is a text column; put the text in quotes (\"%2\") at %3")
                 .arg(column.key, value.value, QString::number(value.position())));
        return false;
      }
      if (column.type == FilterValueType::Number) {
        findColumn(value);  // a word where a number goes: most likely a mistyped column
        return false;
      }
    }

    node.kind = Kind::Compare;
    switch (column.type) {
      case FilterValueType::Number: {
        if (value.kind == Tok::Word && !looksLikeAddress(value.value)) {
          std::optional<double> number = parseNumber(value);
          if (!number) return false;
          node.number = *number;
          return true;
        }
        fail(value.position(),
             tr("'%1' is a number column; compare it with a number such as 10k or 1.5M at %2")
                 .arg(column.key, QString::number(value.position())));
        return false;
      }
      case FilterValueType::Text:
        if (value.kind == Tok::String) {
          node.text = value.value;
          return true;
        }
        fail(value.position(),
             tr("'%1' is a text column; put the text in quotes (\"%2\") at %3")
                 .arg(column.key, value.value, QString::number(value.position())));
        return false;
      case FilterValueType::Address: {
        if (!looksLikeAddress(value.value)) {
          fail(value.position(), tr("'%1' is an address column; compare it with an address such "
                                    "as 10.0.0.1 or 2001:db8::1 at %2")
                                     .arg(column.key, QString::number(value.position())));
          return false;
        }
        int prefixLength = -1;
        std::optional<net::IpAddress> address = parseNetwork(value, &prefixLength);
        if (!address) return false;
        if (prefixLength < 0) {
          node.address = *address;
          return true;
        }
        // `ip == 10.0.0.0/8` reads naturally as membership (as in Wireshark).
        if (node.op != CompareOp::Equal && node.op != CompareOp::NotEqual) {
          fail(opToken.position(),
               tr("a network such as %1 can only follow 'in', '==' or '!=' (at %2)")
                   .arg(value.value, QString::number(opToken.position())));
          return false;
        }
        node.kind = Kind::InNetwork;
        node.address = *address;
        node.prefixLength = prefixLength;
        if (node.op == CompareOp::NotEqual) {
          auto inner = std::make_unique<FilterNode>(std::move(node));
          inner->op = CompareOp::Equal;
          node = FilterNode{};
          node.kind = Kind::Not;
          node.left = std::move(inner);
        }
        return true;
      }
      case FilterValueType::Time: {
        if (value.kind != Tok::String) {
          fail(value.position(), tr("'%1' is a time column; compare it with a date and time in "
                                    "quotes such as \"2024-05-01 14:30\" at %2")
                                     .arg(column.key, QString::number(value.position())));
          return false;
        }
        std::optional<std::int64_t> time = parseTime(value.value);
        if (!time) {
          fail(value.position(),
               tr("invalid date and time \"%1\" at %2 (use e.g. \"2024-05-01 14:30\", local time, "
                  "or ISO 8601 with Z or an offset)")
                   .arg(value.value, QString::number(value.position())));
          return false;
        }
        node.time = *time;
        return true;
      }
    }
    return false;
  }

  bool parseTextOperator(const FilterColumn& column, FilterNode& node) {
    const Token opToken = m_token;
    const QString keyword = opToken.value.toLower();
    if (column.type != FilterValueType::Text && column.type != FilterValueType::Address) {
      fail(opToken.position(),
           tr("'%1' works on text and address columns; '%2' is a %3 column (at %4)")
               .arg(keyword, column.key, FilterExpression::typeName(column.type),
                    QString::number(opToken.position())));
      return false;
    }
    advance();
    const Token value = m_token;
    if (value.kind != Tok::String) {
      if (!m_error.isError()) {
        fail(value.position(), tr("expected text in quotes after '%1' at %2")
                                   .arg(keyword, QString::number(value.position())));
      }
      return false;
    }
    advance();
    if (opToken.kind == Tok::Contains) {
      node.kind = Kind::Contains;
      node.text = value.value;
      return true;
    }
    node.kind = Kind::Matches;
    // Case-insensitive like `contains` and `==` on text; `(?-i)` in the pattern turns it off.
    node.regex = QRegularExpression(value.value, QRegularExpression::CaseInsensitiveOption);
    if (!node.regex.isValid()) {
      fail(value.position(), tr("invalid regular expression at %1: %2 (at offset %3 of the "
                                "pattern)")
                                 .arg(QString::number(value.position()), node.regex.errorString(),
                                      QString::number(node.regex.patternErrorOffset())));
      return false;
    }
    node.regex.optimize();  // compile (and JIT) now, not on the first row
    return true;
  }

  bool parseIn(const FilterColumn& column, FilterNode& node) {
    const Token opToken = m_token;
    if (column.type != FilterValueType::Address) {
      fail(opToken.position(), tr("'in' works on address columns; '%1' is a %2 column (at %3)")
                                   .arg(column.key, FilterExpression::typeName(column.type),
                                        QString::number(opToken.position())));
      return false;
    }
    advance();
    const Token value = m_token;
    if ((value.kind != Tok::Word && value.kind != Tok::String) || !looksLikeAddress(value.value)) {
      if (!m_error.isError()) {
        fail(value.position(),
             tr("expected a network such as 10.0.0.0/8 after 'in' at %1").arg(value.position()) +
                 found(value));
      }
      return false;
    }
    advance();
    int prefixLength = -1;
    std::optional<net::IpAddress> network = parseNetwork(value, &prefixLength);
    if (!network) return false;
    node.kind = Kind::InNetwork;
    node.prefixLength = prefixLength >= 0 ? prefixLength : (network->isV4() ? 32 : 128);
    node.address = *network;
    return true;
  }

  // --- literals ---

  /// `12`, `-3`, `1.5`, `.5` with an optional unit: k M G T (1000-based), Ki Mi Gi Ti
  /// (1024-based), any case.
  std::optional<double> parseNumber(const Token& token) {
    const QString& word = token.value;
    qsizetype end = 0;
    if (end < word.size() && word[end] == u'-') ++end;
    qsizetype digits = 0;
    while (end < word.size() && isAsciiDigit(word[end])) ++end, ++digits;
    if (end < word.size() && word[end] == u'.') {
      ++end;
      while (end < word.size() && isAsciiDigit(word[end])) ++end, ++digits;
    }
    const QString unit = word.mid(end).toLower();
    bool ok = digits > 0 && std::all_of(unit.begin(), unit.end(), isAsciiLetter);
    const double number = ok ? word.left(end).toDouble(&ok) : 0;  // C locale, whatever the UI's
    if (!ok) {
      fail(token.position(), tr("invalid number '%1' at %2 (write e.g. 1500, 1.5k or 2Mi)")
                                 .arg(word, QString::number(token.position())));
      return std::nullopt;
    }
    static const std::pair<const char*, double> kUnits[] = {
        {"", 1.0},
        {"k", 1e3},
        {"m", 1e6},
        {"g", 1e9},
        {"t", 1e12},
        {"ki", 1024.0},
        {"mi", 1024.0 * 1024},
        {"gi", 1024.0 * 1024 * 1024},
        {"ti", 1024.0 * 1024 * 1024 * 1024},
    };
    for (const auto& [suffix, factor] : kUnits) {
      if (unit == QLatin1String(suffix)) return number * factor;
    }
    fail(token.position() + static_cast<int>(end),
         tr("unknown unit '%1' at %2 (use k, M, G, T or Ki, Mi, Gi, Ti)")
             .arg(word.mid(end), QString::number(token.position() + static_cast<int>(end))));
    return std::nullopt;
  }

  /// An address, or a network ADDRESS/LENGTH (then `prefixLength` >= 0 and the address is
  /// masked to it).
  std::optional<net::IpAddress> parseNetwork(const Token& token, int* prefixLength) {
    const QString& word = token.value;
    const qsizetype slash = word.indexOf(u'/');
    const QString addressText = slash < 0 ? word : word.left(slash);
    std::optional<net::IpAddress> address = net::IpAddress::parse(addressText.toStdString());
    if (!address) {
      fail(token.position(),
           tr("invalid address '%1' at %2").arg(addressText, QString::number(token.position())));
      return std::nullopt;
    }
    *prefixLength = -1;
    if (slash < 0) return address;
    const int maxLength = address->isV4() ? 32 : 128;
    const QString lengthText = word.mid(slash + 1);
    bool ok =
        !lengthText.isEmpty() && std::all_of(lengthText.begin(), lengthText.end(), isAsciiDigit);
    const int length = ok ? lengthText.toInt(&ok) : -1;
    if (!ok || length > maxLength) {
      fail(token.position(),
           tr("invalid network '%1' at %2: the prefix length must be 0 to %3")
               .arg(word, QString::number(token.position()), QString::number(maxLength)));
      return std::nullopt;
    }
    *prefixLength = length;
    return maskNetwork(*address, length);
  }

  /// "2024-05-01", "2024-05-01 14:30[:05[.250]]", ISO 8601 with T, Z or an offset; local
  /// time unless a zone is given (the table shows local times).
  static std::optional<std::int64_t> parseTime(QString text) {
    text = text.trimmed();
    if (text.size() > 10 && text[10] == u' ') text[10] = u'T';
    QDateTime time;
    if (text.size() == 10) {
      const QDate date = QDate::fromString(text, Qt::ISODate);
      if (date.isValid()) time = date.startOfDay();
    } else {
      time = QDateTime::fromString(text, Qt::ISODateWithMs);
    }
    if (!time.isValid()) return std::nullopt;
    constexpr std::int64_t kNsPerMs = 1'000'000;
    constexpr std::int64_t kLimit = std::numeric_limits<std::int64_t>::max() / kNsPerMs;
    return std::clamp<std::int64_t>(time.toMSecsSinceEpoch(), -kLimit, kLimit) * kNsPerMs;
  }

  static NodePtr combine(Kind kind, NodePtr left, NodePtr right) {
    auto node = std::make_unique<FilterNode>();
    node->kind = kind;
    node->left = std::move(left);
    node->right = std::move(right);
    return node;
  }

  QStringView m_text;
  const FilterColumns& m_columns;
  int m_pos = 0;
  int m_depth = 0;
  Token m_token;
  FilterParseError m_error;
};

}  // namespace

// --- FilterExpression ------------------------------------------------------------------

FilterExpression FilterExpression::parse(QStringView text, const FilterColumns& columns,
                                         FilterParseError* error) {
  FilterParser parser(text, columns);
  std::unique_ptr<const FilterNode> root = parser.parse();
  FilterExpression expression;
  if (root && !parser.error().isError()) {
    expression.m_root = std::shared_ptr<const FilterNode>(std::move(root));
    if (error) *error = {};
  } else if (error) {
    *error = parser.error();
  }
  return expression;
}

QString FilterExpression::typeName(FilterValueType type) {
  switch (type) {
    case FilterValueType::Number:
      return tr("number");
    case FilterValueType::Text:
      return tr("text");
    case FilterValueType::Address:
      return tr("address");
    case FilterValueType::Time:
      return tr("time");
  }
  return {};
}

}  // namespace netlens::app::models
