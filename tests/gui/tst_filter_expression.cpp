// SPDX-License-Identifier: MIT
// FilterExpression: which rows good expressions select (operators, precedence, units, CIDR
// for IPv4 and IPv6, addresses, text with escapes, regular expressions, times, list
// columns, column-to-column comparisons), the exact message and position of bad ones, and
// the same over HostTableModel's own columns. It lives with the GUI tests because the
// parser belongs to the console's model library, not to the node's.

#include <QDateTime>
#include <QTest>

#include <vector>

#include "app/models/filter_expression.h"
#include "app/models/host_filter_proxy.h"
#include "app/models/host_table_model.h"

using netlens::app::models::FilterColumn;
using netlens::app::models::FilterColumns;
using netlens::app::models::FilterExpression;
using netlens::app::models::FilterParseError;
using netlens::app::models::FilterValueSource;
using netlens::app::models::FilterValueType;
using netlens::app::models::HostFilterProxy;
using netlens::app::models::HostTableModel;
using netlens::net::IpAddress;

namespace {

IpAddress ip(const char* text) {
  auto parsed = IpAddress::parse(text);
  if (!parsed) qFatal("bad test address %s", text);
  return *parsed;
}

std::int64_t utcNs(const char* iso) {
  const QDateTime time = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
  if (!time.isValid()) qFatal("bad test time %s", iso);
  return time.toMSecsSinceEpoch() * 1'000'000;
}

/// A small table in the shape of a connection table, so that the examples of the issue
/// ("proto", "port") can be written as they are.
enum TestColumn { Ip, Node, Bytes, Port, Proto, App, FirstSeen, LastSeen, Vlans, Macs };

struct TestRow {
  IpAddress ip;
  QString node;
  double bytes = 0;
  double port = 0;
  QString proto;
  QString app;
  std::int64_t firstSeen = 0;
  std::int64_t lastSeen = 0;
  std::vector<double> vlans;
  QStringList macs;
};

class TestTable : public FilterValueSource {
 public:
  std::vector<TestRow> rows;

  int cellValueCount(int row, int column) const override {
    const TestRow& r = rows[static_cast<std::size_t>(row)];
    if (column == Vlans) return static_cast<int>(r.vlans.size());
    if (column == Macs) return static_cast<int>(r.macs.size());
    return 1;
  }
  double cellNumber(int row, int column, int index) const override {
    const TestRow& r = rows[static_cast<std::size_t>(row)];
    switch (column) {
      case Bytes:
        return r.bytes;
      case Port:
        return r.port;
      case Vlans:
        return r.vlans[static_cast<std::size_t>(index)];
      default:
        qFatal("cellNumber on column %d", column);
    }
  }
  QString cellText(int row, int column, int index) const override {
    const TestRow& r = rows[static_cast<std::size_t>(row)];
    switch (column) {
      case Ip:
        return QString::fromStdString(r.ip.toString());
      case Node:
        return r.node;
      case Proto:
        return r.proto;
      case App:
        return r.app;
      case Macs:
        return r.macs[index];
      default:
        qFatal("cellText on column %d", column);
    }
  }
  IpAddress cellAddress(int row, int column, int) const override {
    if (column != Ip) qFatal("cellAddress on column %d", column);
    return rows[static_cast<std::size_t>(row)].ip;
  }
  std::int64_t cellTime(int row, int column, int) const override {
    const TestRow& r = rows[static_cast<std::size_t>(row)];
    if (column == FirstSeen) return r.firstSeen;
    if (column == LastSeen) return r.lastSeen;
    qFatal("cellTime on column %d", column);
  }
};

const FilterColumns& testColumns() {
  using Type = FilterValueType;
  static const FilterColumns columns({
      {"ip", {"address", "addr"}, Ip, Type::Address},
      {"node", {}, Node, Type::Text},
      {"bytes", {}, Bytes, Type::Number},
      {"port", {}, Port, Type::Number},
      {"proto", {"protocol"}, Proto, Type::Text},
      {"app", {}, App, Type::Text},
      {"first_seen", {}, FirstSeen, Type::Time},
      {"last_seen", {}, LastSeen, Type::Time},
      {"vlans", {"vlan"}, Vlans, Type::Number, true},
      {"macs", {"mac"}, Macs, Type::Text, true},
  });
  return columns;
}

const QString kKnown = "ip, node, bytes, port, proto, app, first_seen, last_seen, vlans, macs";

const TestTable& testTable() {
  static const TestTable table = [] {
    TestTable t;
    t.rows = {
        {ip("10.0.0.1"),
         "alpha",
         12'000'000,
         443,
         "TLS",
         "HTTPS",
         utcNs("2024-05-01T12:00:00Z"),
         utcNs("2024-05-01T13:00:00Z"),
         {10, 20},
         {"00:11:22:33:44:55"}},
        {ip("10.1.2.3"), "beta", 5'000, 53, "DNS", "", 0, 0, {}, {}},
        {ip("192.168.1.10"),
         "Edge \"1\"",
         1'024,
         80,
         "HTTP",
         "web",
         0,
         0,
         {30},
         {"66:77:88:99:aa:bb", "00:00:5e:00:01:01"}},
        {ip("2001:db8::5"),
         "gamma",
         0,
         0,
         "",
         "a\\b",
         utcNs("2024-06-01T00:00:00Z"),
         utcNs("2024-06-01T00:00:00Z"),
         {},
         {}},
        {ip("fe80::1"), "delta", 1'048'576, 8080, "HTTP", "", 0, 0, {}, {}},
    };
    return t;
  }();
  return table;
}

/// The rows `expression` selects, as "0 2 4".
QString selectedRows(const FilterExpression& expression, const TestTable& table) {
  QStringList rows;
  for (int row = 0; row < static_cast<int>(table.rows.size()); ++row) {
    if (expression.matches(table, row)) rows << QString::number(row);
  }
  return rows.join(' ');
}

}  // namespace

class TestFilterExpression : public QObject {
  Q_OBJECT

 private slots:
  void selectsRows_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("rows");

    // The example.
    QTest::newRow("issue example") << "(bytes > 10M and proto == \"TLS\") or port == 53"
                                   << "0 1";
    // Precedence: not > and > or, whatever the spelling.
    QTest::newRow("and before or") << "(port == 443 or port == 80 and proto == \"DNS\")"
                                   << "0";
    QTest::newRow("parentheses override") << "((port == 443 or port == 80) and proto == \"HTTP\")"
                                          << "2";
    QTest::newRow("not before and") << "(not port == 53 and bytes > 2000)"
                                    << "0 4";
    QTest::newRow("symbols") << "(!(port == 53) && bytes > 2000 || port == 0)"
                             << "0 3 4";
    QTest::newRow("double not") << "(not not port == 53)"
                                << "1";
    QTest::newRow("keywords any case") << "(PORT == 53 Or Port == 80)"
                                       << "1 2";
    QTest::newRow("no spaces") << "(port==53||port>=8080)"
                               << "1 4";
    QTest::newRow("leading blanks") << "   ( port == 53 )"
                                    << "1";
    QTest::newRow("single =") << "(port = 80)"
                              << "2";
    QTest::newRow("not equal") << "(port != 80)"
                               << "0 1 3 4";
    QTest::newRow("less or equal") << "(port <= 80)"
                                   << "1 2 3";
    QTest::newRow("alias") << "(address in 10.0.0.0/8)"
                           << "0 1";

    // Numbers and units: k M G T are 1000-based (any case), Ki Mi Gi Ti 1024-based.
    QTest::newRow("M") << "(bytes == 12M)"
                       << "0";
    QTest::newRow("m is mega") << "(bytes < 1m)"
                               << "1 2 3";
    QTest::newRow("k") << "(bytes >= 5k and bytes <= 5000)"
                       << "1";
    QTest::newRow("decimal with unit") << "(bytes > 1.5M)"
                                       << "0";
    QTest::newRow("G fraction") << "(bytes > 0.011G)"
                                << "0";
    QTest::newRow("T") << "(bytes >= 1T)"
                       << "";
    QTest::newRow("Ki") << "(bytes == 1Ki)"
                        << "2";
    QTest::newRow("ki any case") << "(bytes == 1.0kI)"
                                 << "2";
    QTest::newRow("Mi") << "(bytes == 1Mi)"
                        << "4";
    QTest::newRow("Gi") << "(bytes < 0.001Gi and bytes > 1M)"
                        << "4";
    QTest::newRow("Ti") << "(bytes < 1Ti)"
                        << "0 1 2 3 4";
    QTest::newRow("leading dot") << "(bytes > .5k)"
                                 << "0 1 2 4";
    QTest::newRow("negative") << "(port > -1)"
                              << "0 1 2 3 4";

    // Addresses: numerically, every IPv4 before every IPv6.
    QTest::newRow("ipv4 equal") << "(ip == 10.0.0.1)"
                                << "0";
    QTest::newRow("ipv4 less") << "(ip < 10.1.0.0)"
                               << "0";
    QTest::newRow("ipv4 numeric not text") << "(ip > 9.255.255.255 and ip < 10.1.2.4)"
                                           << "0 1";
    QTest::newRow("ipv6 after ipv4") << "(ip > 192.168.1.9)"
                                     << "2 3 4";
    QTest::newRow("ipv4 before ipv6") << "(ip < ::1)"
                                      << "0 1 2";
    QTest::newRow("quoted ipv6 any case") << "(ip == \"2001:DB8::5\")"
                                          << "3";
    QTest::newRow("ipv6 bare") << "(ip == 2001:db8:0:0::5)"
                               << "3";

    // CIDR.
    QTest::newRow("in /8") << "(ip in 10.0.0.0/8)"
                           << "0 1";
    QTest::newRow("in /16") << "(ip in 10.1.0.0/16)"
                            << "1";
    QTest::newRow("host bits ignored") << "(ip in 10.9.9.9/8)"
                                       << "0 1";
    QTest::newRow("in /29 inside a byte") << "(ip in 192.168.1.8/29)"
                                          << "2";
    QTest::newRow("in /29 outside") << "(ip in 192.168.1.0/29)"
                                    << "";
    QTest::newRow("in /0 v4 only") << "(ip in 0.0.0.0/0)"
                                   << "0 1 2";
    QTest::newRow("in single address") << "(ip in 10.0.0.1)"
                                       << "0";
    QTest::newRow("v6 /32") << "(ip in 2001:db8::/32)"
                            << "3";
    QTest::newRow("v6 /10 inside a byte") << "(ip in fe80::/10)"
                                          << "4";
    QTest::newRow("v6 /0 v6 only") << "(ip in ::/0)"
                                   << "3 4";
    QTest::newRow("v6 quoted") << "(ip in \"2001:db8::/32\")"
                               << "3";
    QTest::newRow("== network") << "(ip == 10.0.0.0/8)"
                                << "0 1";
    QTest::newRow("!= network") << "(ip != 10.0.0.0/8)"
                                << "2 3 4";
    QTest::newRow("not in") << "(not ip in 10.0.0.0/8 and not ip in fe80::/10)"
                            << "2 3";

    // Text: case-insensitive; `\"` and `\\` are escapes, other backslashes stay.
    QTest::newRow("text equal any case") << "(proto == \"tls\")"
                                         << "0";
    QTest::newRow("text not equal") << "(proto != \"HTTP\")"
                                    << "0 1 3";
    QTest::newRow("text order") << "(proto < \"E\")"
                                << "1 3";
    QTest::newRow("escaped quote") << "(node == \"Edge \\\"1\\\"\")"
                                   << "2";
    QTest::newRow("escaped backslash") << "(app == \"a\\\\b\")"
                                       << "3";
    QTest::newRow("lone backslash kept") << "(app == \"a\\b\")"
                                         << "3";
    QTest::newRow("contains any case") << "(node contains \"EL\")"
                                       << "4";
    QTest::newRow("contains quote") << "(node contains \"\\\"\")"
                                    << "2";
    QTest::newRow("contains on address") << "(ip contains \"db8\")"
                                         << "3";
    QTest::newRow("empty text") << "(app == \"\")"
                                << "1 4";

    // Regular expressions: case-insensitive unless (?-i).
    QTest::newRow("regex alternatives") << "(node matches \"^(alpha|beta)$\")"
                                        << "0 1";
    QTest::newRow("regex ignores case") << "(node matches \"^ALPHA\")"
                                        << "0";
    QTest::newRow("regex case on") << "(node matches \"(?-i)^ALPHA\")"
                                   << "";
    QTest::newRow("regex backslash class") << "(ip matches \"^10\\.1\\.\\d\\.\")"
                                           << "1";
    QTest::newRow("regex on empty") << "(app matches \"^$\")"
                                    << "1 4";

    // A bare column is true when non-zero / non-empty.
    QTest::newRow("truthy text") << "(app)"
                                 << "0 2 3";
    QTest::newRow("truthy number") << "(bytes)"
                                   << "0 1 2 4";
    QTest::newRow("truthy time") << "(first_seen)"
                                 << "0 3";
    QTest::newRow("truthy list") << "(vlans)"
                                 << "0 2";
    QTest::newRow("not truthy") << "(!app and port)"
                                << "1 4";

    // List columns: any value; != means none is equal.
    QTest::newRow("list equal") << "(vlans == 20)"
                                << "0";
    QTest::newRow("list not equal") << "(vlans != 20)"
                                    << "1 2 3 4";
    QTest::newRow("list greater") << "(vlan > 25)"
                                  << "2";
    QTest::newRow("list contains") << "(macs contains \"5E:00\")"
                                   << "2";
    QTest::newRow("list matches") << "(mac matches \"^00:\")"
                                  << "0 2";

    // Times: quoted, local unless a zone is given.
    QTest::newRow("time utc") << "(first_seen >= \"2024-05-01T12:00:00Z\")"
                              << "0 3";
    QTest::newRow("time space and Z") << "(first_seen < \"2024-05-01 12:00:01Z\" and first_seen)"
                                      << "0";
    QTest::newRow("time offset") << "(first_seen == \"2024-05-01T14:00:00+02:00\")"
                                 << "0";
    QTest::newRow("time milliseconds") << "(first_seen < \"2024-05-01T12:00:00.001Z\")"
                                       << "0 1 2 4";
    QTest::newRow("date only, local") << "(first_seen > \"2024-05-15\")"
                                      << "3";
    QTest::newRow("local minutes") << "(first_seen > \"2024-05-20 08:30\")"
                                   << "3";

    // Column against column of the same type.
    QTest::newRow("number columns") << "(port >= bytes)"
                                    << "3";
    QTest::newRow("time columns") << "(first_seen < last_seen)"
                                  << "0";
    QTest::newRow("text columns") << "(proto != app)"
                                  << "0 1 2 3 4";
  }

  void selectsRows() {
    QFETCH(QString, text);
    QFETCH(QString, rows);
    FilterParseError error;
    FilterExpression expression = FilterExpression::parse(text, testColumns(), &error);
    QVERIFY2(expression.isValid(), qPrintable(error.message));
    QVERIFY(!error.isError());
    QCOMPARE(selectedRows(expression, testTable()), rows);
  }

  void rejectsBadInput_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("position");

    QTest::newRow("missing value") << "(bytes >"
                                   << "expected a value after '>' at 9" << 9;
    QTest::newRow("keyword as value") << "(bytes > and port)"
                                      << "expected a value after '>' at 10" << 10;
    QTest::newRow("typo") << "(byts > 5)"
                          << "unknown column 'byts' at 2; did you mean 'bytes'? (known: " + kKnown +
                                 ")"
                          << 2;
    QTest::newRow("typo of an alias") << "(protocl == \"TLS\")"
                                      << "unknown column 'protocl' at 2; did you mean 'proto'? "
                                         "(known: " +
                                             kKnown + ")"
                                      << 2;
    QTest::newRow("unknown") << "(zzzzzz > 5)"
                             << "unknown column 'zzzzzz' at 2 (known: " + kKnown + ")" << 2;
    QTest::newRow("unknown on the right")
        << "(bytes > qqqqq)"
        << "unknown column 'qqqqq' at 10 (known: " + kKnown + ")" << 10;
    QTest::newRow("unclosed") << "(bytes > 5"
                              << "unbalanced '(' at 1" << 1;
    QTest::newRow("unclosed inner") << "(port == 1 or (bytes > 5)"
                                    << "unbalanced '(' at 1" << 1;
    QTest::newRow("unclosed second") << "(port == 1) or (bytes > 5"
                                     << "unbalanced '(' at 16" << 16;
    QTest::newRow("extra close") << "(bytes > 5))"
                                 << "unbalanced ')' at 12" << 12;
    QTest::newRow("missing and") << "(port == 53) (port == 80)"
                                 << "expected 'and' or 'or' at 14, found '('" << 14;
    QTest::newRow("missing and inside") << "(port == 53 port == 80)"
                                        << "expected 'and', 'or' or ')' at 13, found 'port'" << 13;
    QTest::newRow("empty parentheses") << "()"
                                       << "expected a column name at 2, found ')'" << 2;
    QTest::newRow("only (") << "("
                            << "expected a column name at 2" << 2;
    QTest::newRow("value first") << "(5 > bytes)"
                                 << "expected a column name at 2, found '5'" << 2;
    QTest::newRow("dangling not") << "(not)"
                                  << "expected a column name at 5, found ')'" << 5;
    QTest::newRow("dangling or") << "(port == 53 or)"
                                 << "expected a column name at 15, found ')'" << 15;
    QTest::newRow("operator missing")
        << "(bytes 5)"
        << "expected an operator such as ==, >, contains or in after 'bytes' at 8" << 8;
    QTest::newRow("text needs quotes")
        << "(node == alpha)"
        << "'node' is a text column; put the text in quotes (\"alpha\") at 10" << 10;
    QTest::newRow("text with number")
        << "(proto == 5)"
        << "'proto' is a text column; put the text in quotes (\"5\") at 11" << 11;
    QTest::newRow("number with text")
        << "(bytes == \"10\")"
        << "'bytes' is a number column; compare it with a number such as 10k or 1.5M at 11" << 11;
    QTest::newRow("number with address")
        << "(bytes > 10.0.0.1)"
        << "'bytes' is a number column; compare it with a number such as 10k or 1.5M at 10" << 10;
    QTest::newRow("address with number") << "(ip == 5)"
                                         << "'ip' is an address column; compare it with an "
                                            "address such as 10.0.0.1 or 2001:db8::1 at 8"
                                         << 8;
    QTest::newRow("time with number")
        << "(first_seen > 5)"
        << "'first_seen' is a time column; compare it with a date and time in quotes such as "
           "\"2024-05-01 14:30\" at 15"
        << 15;
    QTest::newRow("bad time") << "(first_seen > \"yesterday\")"
                              << "invalid date and time \"yesterday\" at 15 (use e.g. "
                                 "\"2024-05-01 14:30\", local time, or ISO 8601 with Z or an "
                                 "offset)"
                              << 15;
    QTest::newRow("columns of two types")
        << "(port == node)"
        << "cannot compare 'port' (number) with 'node' (text) at 10" << 10;
    QTest::newRow("bad ipv4") << "(ip == 10.0.0.256)"
                              << "invalid address '10.0.0.256' at 8" << 8;
    QTest::newRow("bad ipv6") << "(ip == fe80:::1)"
                              << "invalid address 'fe80:::1' at 8" << 8;
    QTest::newRow("prefix too long v4")
        << "(ip in 10.0.0.0/33)"
        << "invalid network '10.0.0.0/33' at 8: the prefix length must be 0 to 32" << 8;
    QTest::newRow("prefix too long v6")
        << "(ip in 2001:db8::/129)"
        << "invalid network '2001:db8::/129' at 8: the prefix length must be 0 to 128" << 8;
    QTest::newRow("prefix missing")
        << "(ip in 10.0.0.0/)"
        << "invalid network '10.0.0.0/' at 8: the prefix length must be 0 to 32" << 8;
    QTest::newRow("not a network") << "(ip in 10/8)"
                                   << "expected a network such as 10.0.0.0/8 after 'in' at 8, "
                                      "found '10/8'"
                                   << 8;
    QTest::newRow("in on a number") << "(bytes in 10.0.0.0/8)"
                                    << "'in' works on address columns; 'bytes' is a number "
                                       "column (at 8)"
                                    << 8;
    QTest::newRow("network with <") << "(ip > 10.0.0.0/8)"
                                    << "a network such as 10.0.0.0/8 can only follow 'in', '==' "
                                       "or '!=' (at 5)"
                                    << 5;
    QTest::newRow("contains on a number") << "(bytes contains \"1\")"
                                          << "'contains' works on text and address columns; "
                                             "'bytes' is a number column (at 8)"
                                          << 8;
    QTest::newRow("matches on a time") << "(first_seen MATCHES \"1\")"
                                       << "'matches' works on text and address columns; "
                                          "'first_seen' is a time column (at 13)"
                                       << 13;
    QTest::newRow("contains unquoted") << "(node contains alpha)"
                                       << "expected text in quotes after 'contains' at 16" << 16;
    QTest::newRow("unterminated string")
        << "(node == \"abc)"
        << "unterminated text: the quote at 10 is never closed" << 10;
    QTest::newRow("escaped end quote")
        << "(node == \"abc\\\")"
        << "unterminated text: the quote at 10 is never closed" << 10;
    QTest::newRow("unknown unit") << "(bytes > 10MB)"
                                  << "unknown unit 'MB' at 12 (use k, M, G, T or Ki, Mi, Gi, Ti)"
                                  << 12;
    QTest::newRow("exponent is no unit")
        << "(bytes > 1e6)"
        << "invalid number '1e6' at 10 (write e.g. 1500, 1.5k or 2Mi)" << 10;
    QTest::newRow("two dots") << "(bytes > 1.2.3)"
                              << "invalid number '1.2.3' at 10 (write e.g. 1500, 1.5k or 2Mi)"
                              << 10;
    QTest::newRow("stray character") << "(bytes > 5 # x)"
                                     << "unexpected character '#' at 12" << 12;
    QTest::newRow("single &") << "(port == 1 & port == 2)"
                              << "unexpected character '&' at 12" << 12;
    QTest::newRow("non-ASCII name")
        << "(nöde == \"x\")"
        << "unknown column 'nöde' at 2; did you mean 'node'? (known: " + kKnown + ")" << 2;
    QTest::newRow("non-ASCII symbol") << "(bytes > 5 €)"
                                      << "unexpected character '€' at 12" << 12;
    QString deep = QString(150, '(') + "port" + QString(150, ')');
    QTest::newRow("nested too deeply")
        << deep << "the expression is nested too deeply at 101" << 101;
  }

  void rejectsBadInput() {
    QFETCH(QString, text);
    QFETCH(QString, message);
    QFETCH(int, position);
    FilterParseError error;
    FilterExpression expression = FilterExpression::parse(text, testColumns(), &error);
    QVERIFY(!expression.isValid());
    QVERIFY(error.isError());
    QCOMPARE(error.message, message);
    QCOMPARE(error.position, position);
    // A failed parse gives the empty expression, which lets everything through.
    QCOMPARE(selectedRows(expression, testTable()), QString("0 1 2 3 4"));
  }

  void badRegularExpression() {
    FilterParseError error;
    FilterExpression expression =
        FilterExpression::parse(u"(node matches \"a(b\")", testColumns(), &error);
    QVERIFY(!expression.isValid());
    QCOMPARE(error.position, 15);
    QVERIFY2(error.message.startsWith("invalid regular expression at 15: "),
             qPrintable(error.message));
    QVERIFY2(error.message.endsWith("(at offset 3 of the pattern)"), qPrintable(error.message));
  }

  void successClearsAnEarlierError() {
    FilterParseError error{"stale", 3};
    QVERIFY(FilterExpression::parse(u"(port == 1)", testColumns(), &error).isValid());
    QVERIFY(!error.isError());
    QCOMPARE(error.position, 0);
  }

  void parsedExpressionIsSharedAndReusable() {
    FilterExpression first = FilterExpression::parse(u"(port == 53)", testColumns());
    FilterExpression copy = first;
    first = FilterExpression();
    QVERIFY(!first.isValid());
    QCOMPARE(selectedRows(copy, testTable()), QString("1"));
    QCOMPARE(selectedRows(copy, testTable()), QString("1"));
  }

  void columnNamesAreCaseInsensitive() {
    const FilterColumn* column = testColumns().find(u"PROTOCOL");
    QVERIFY(column);
    QCOMPARE(column->key, QString("proto"));
    QVERIFY(!testColumns().find(u"nothing"));
  }

  // The IP table's own columns, over a real HostTableModel with two nodes.
  void hostTableColumns_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("addresses");
    QTest::newRow("bytes") << "(bytes > 1k)" << QStringList{"10.0.0.1", "2001:db8::5"};
    QTest::newRow("sent and received") << "(tx_bytes > rx_bytes)" << QStringList{"10.0.0.1"};
    QTest::newRow("aliases") << "(received_bytes >= 2k and sent_packets)"
                             << QStringList{"2001:db8::5"};
    QTest::newRow("node of a merged row")
        << "(node == \"beta\")" << QStringList{"10.0.0.1", "10.1.0.1"};
    QTest::newRow("no node is") << "(node != \"beta\")" << QStringList{"2001:db8::5"};
    QTest::newRow("vlan") << "(vlan == 100)" << QStringList{"2001:db8::5"};
    QTest::newRow("mac") << "(mac contains \"aa:bb\")" << QStringList{"2001:db8::5"};
    QTest::newRow("cidr") << "(ip in 10.0.0.0/8 and not ip in 10.1.0.0/16)"
                          << QStringList{"10.0.0.1"};
    QTest::newRow("rates") << "(pps >= 2 or bps > 1M)" << QStringList{"10.1.0.1"};
    QTest::newRow("times") << "(last_seen > \"2023-11-14T22:13:25Z\")"
                           << QStringList{"2001:db8::5"};
    QTest::newRow("first recent") << "(first_recent == first_seen)"
                                  << QStringList{"10.0.0.1", "10.1.0.1"};
    QTest::newRow("tcp and udp") << "(udp > tcp_packets)" << QStringList{"10.1.0.1"};
  }

  void hostTableColumns() {
    QFETCH(QString, text);
    QFETCH(QStringList, addresses);
    constexpr std::int64_t kSecond = 1'000'000'000;
    const std::int64_t t0 = utcNs("2023-11-14T22:13:20Z");
    auto record = [&](const char* address, std::uint64_t txBytes, std::uint64_t rxBytes) {
      netlens::protocol::HostRecord r;
      r.ip = ip(address);
      r.txPackets = 1;
      r.txBytes = txBytes;
      r.rxPackets = 1;
      r.rxBytes = rxBytes;
      r.tcpPackets = 2;
      r.firstSeen = t0;
      r.firstRecent = t0;
      r.lastSeen = t0 + kSecond;
      return r;
    };
    HostTableModel model;
    model.setNodeName("a", "alpha");
    model.setNodeName("b", "beta");
    auto v6 = record("2001:db8::5", 1'000, 2'500);
    v6.vlans = {7, 100};
    v6.macs = {*netlens::net::MacAddress::parse("00:00:00:aa:bb:cc")};
    v6.firstRecent = t0 + 3 * kSecond;
    v6.lastSeen = t0 + 10 * kSecond;
    auto busy = record("10.1.0.1", 10, 10);
    busy.udpPackets = 5;
    busy.packetsPerSecond = 2;
    busy.bitsPerSecond = 1.5e6;
    model.applySnapshot("a", {1, {record("10.0.0.1", 1'000, 100), v6}});
    model.applySnapshot("b", {1, {record("10.0.0.1", 500, 0), busy}});

    HostFilterProxy proxy;
    proxy.setSourceModel(&model);
    QVERIFY(proxy.setFilterText(text));
    QVERIFY2(!proxy.filterError().isError(), qPrintable(proxy.filterError().message));
    QStringList shown;
    for (int row = 0; row < proxy.rowCount(); ++row)
      shown << proxy.index(row, HostTableModel::Address).data().toString();
    shown.sort();
    QCOMPARE(shown, addresses);
  }

  // What the README shows must parse against the IP table's columns.
  void readmeExamplesParse_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("1") << "(bytes > 10M and ip in 10.0.0.0/8) or node == \"edge-1\"";
    QTest::newRow("2") << "(tx_bytes > rx_bytes and not vlan == 10)";
    QTest::newRow("3") << "(ip in 2001:db8::/32 or mac contains \"00:1b:21\")";
    QTest::newRow("4") << "(node matches \"^(dc|lab)-\\d+$\" and last_seen > \"2024-05-01 14:30\")";
    QTest::newRow("5") << "(vlans and not macs)";
    QTest::newRow("6") << "(first_recent > first_seen)";
  }

  void readmeExamplesParse() {
    QFETCH(QString, text);
    FilterParseError error;
    QVERIFY2(FilterExpression::parse(text, HostTableModel::filterColumns(), &error).isValid(),
             qPrintable(error.message));
  }

  void hostTableListsItsColumns() {
    FilterParseError error;
    QVERIFY(!FilterExpression::parse(u"(nope)", HostTableModel::filterColumns(), &error).isValid());
    QCOMPARE(error.message,
             QString("unknown column 'nope' at 2; did you mean 'node'? (known: ip, node, packets, "
                     "bytes, tx_packets, tx_bytes, rx_packets, rx_bytes, tcp_packets, "
                     "udp_packets, pps, bps, first_seen, first_recent, last_seen, macs, vlans, "
                     "names, group, country, vendors, tcp_payload_bytes, tcp_retrans_packets, "
                     "tcp_retrans_bytes)"));
  }
};

QTEST_MAIN(TestFilterExpression)
#include "tst_filter_expression.moc"
