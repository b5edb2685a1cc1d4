// SPDX-License-Identifier: MIT
// Payload signatures: text, hex and POSIX extended regular expressions over raw bytes (NUL
// and bytes of 0x80 and above are ordinary characters), anchors at the payload's ends and
// not inside a stream window, a large payload matched without exhausting the stack, and the
// errors for bad input.
#include <QTest>
#include <clocale>
#include <string>

#include "node/store/payload_match.h"

namespace store = netlens::node::store;

namespace {

bool matches(const store::PayloadMatcher& m, const std::string& bytes, bool atStart = true) {
  return m.matches(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                   static_cast<std::uint32_t>(bytes.size()), atStart);
}

std::unique_ptr<store::PayloadMatcher> regex(const std::string& expression) {
  std::string problem;
  auto m = store::PayloadMatcher::make({}, {}, expression, &problem);
  if (!m) qWarning("%s", problem.c_str());
  return m;
}

}  // namespace

class TestPayloadMatch : public QObject {
  Q_OBJECT

 private slots:
  void regexOverBytes_data();
  void regexOverBytes();
  void regexIgnoresLocale();
  void windowAnchor();
  void largePayload();
  void literalAndHex();
  void badInput_data();
  void badInput();
  void hazardousRegexRefused_data();
  void hazardousRegexRefused();
};

void TestPayloadMatch::regexOverBytes_data() {
  QTest::addColumn<QByteArray>("expression");  // bytes: some are not UTF-8
  QTest::addColumn<QByteArray>("payload");
  QTest::addColumn<bool>("expected");
  const QByteArray get("GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n");
  QTest::newRow("plain") << QByteArray("index\\.html") << get << true;
  QTest::newRow("alternation") << QByteArray("^(GET|POST) /[a-z]+\\.html") << get << true;
  QTest::newRow("anchored start") << QByteArray("^GET") << get << true;
  QTest::newRow("start anchor fails mid-payload") << QByteArray("^HTTP") << get << false;
  QTest::newRow("end anchor") << QByteArray("\r\n\r\n$") << get << true;
  QTest::newRow("end anchor fails") << QByteArray("Host$") << get << false;
  QTest::newRow("interval") << QByteArray("[0-9]\\.[0-9]{1}\r") << get << true;
  QTest::newRow("class") << QByteArray("[[:upper:]]{3} /") << get << true;
  QTest::newRow("no match") << QByteArray("POST") << get << false;
  // NUL bytes inside the payload: the match continues past them (REG_STARTEND).
  const QByteArray withNul(
      "\x00\x01"
      "abc\x00"
      "def",
      9);
  QTest::newRow("after a NUL") << QByteArray("def$") << withNul << true;
  // POSIX: "." is any character but NUL; a bracket expression takes it.
  QTest::newRow("dot is not NUL") << QByteArray("abc.def") << withNul << false;
  QTest::newRow("across a NUL") << QByteArray("abc[^a]def") << withNul << true;
  QTest::newRow("NUL as a control") << QByteArray("^[[:cntrl:]]{2}abc") << withNul << true;
  // Bytes of 0x80 and above are single characters.
  const QByteArray high(
      "\x16\x03\x01\xff\xfe"
      "end",
      8);
  QTest::newRow("high bytes by class")
      << QByteArray("\x16\x03\x01[\x80-\xff]{2}end$") << high << true;
  QTest::newRow("dot takes one high byte") << QByteArray("^\x16\x03\x01..end") << high << true;
  QTest::newRow("dot does not take two") << QByteArray("^\x16\x03\x01.end") << high << false;
  // The match is bounded by the payload's length, not by what follows it in memory.
  QTest::newRow("empty payload") << QByteArray("x*") << QByteArray() << false;
}

void TestPayloadMatch::regexOverBytes() {
  QFETCH(QByteArray, expression);
  QFETCH(QByteArray, payload);
  QFETCH(bool, expected);
  auto m = regex(expression.toStdString());
  QVERIFY(m);
  QVERIFY(m->isRegex());
  QCOMPARE(matches(*m, payload.toStdString()), expected);
}

void TestPayloadMatch::regexIgnoresLocale() {
  // In a UTF-8 locale ".." would not match two bytes that form one UTF-8 character's start
  // and continuation differently from the C locale; the matcher compiles in "C" regardless.
  const char* previous = std::setlocale(LC_ALL, nullptr);
  const std::string saved = previous ? previous : "C";
  std::setlocale(LC_ALL, "C.UTF-8");
  auto m = regex("^a.b$");
  QVERIFY(m);
  QVERIFY(matches(*m,
                  "a\xc3\xa9"
                  "b") == false);  // two bytes between: not one character
  QVERIFY(matches(*m,
                  "a\xc3"
                  "b"));  // a lone 0x80+ byte is one character
  std::setlocale(LC_ALL, saved.c_str());
}

void TestPayloadMatch::windowAnchor() {
  auto m = regex("^secret");
  QVERIFY(m);
  QVERIFY(matches(*m, "secret plan", true));
  QVERIFY(!matches(*m, "secret plan", false));  // a window inside a stream
  auto literal = regex("secret");
  QVERIFY(matches(*literal, "secret plan", false));
  QCOMPARE(m->history(), store::PayloadMatcher::kRegexWindow);
}

void TestPayloadMatch::largePayload() {
  // 256 KiB that nearly match: std::regex would recurse per byte here.
  std::string payload(256 * 1024, 'a');
  auto m = regex("(a|b)*c");
  QVERIFY(m);
  QVERIFY(!matches(*m, payload));
  payload.back() = 'c';
  QVERIFY(matches(*m, payload));
}

void TestPayloadMatch::literalAndHex() {
  std::string problem;
  auto text = store::PayloadMatcher::make("a\x80z", {}, {}, &problem);
  QVERIFY(text);
  QVERIFY(!text->isRegex());
  QVERIFY(matches(*text, std::string("xxa\x80zyy")));
  QCOMPARE(text->history(), std::size_t(2));
  auto hex = store::PayloadMatcher::make({}, "00 ff:41", {}, &problem);
  QVERIFY(hex);
  QVERIFY(matches(*hex, std::string("\x01\x00\xff"
                                    "A",
                                    4)));
  QVERIFY(!matches(*hex, std::string("\x00\xfe"
                                     "A",
                                     3)));
}

void TestPayloadMatch::badInput_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<QString>("hex");
  QTest::addColumn<QString>("regex");
  QTest::addColumn<QString>("message");
  QTest::newRow("unbalanced parenthesis") << ""
                                          << ""
                                          << "(GET"
                                          << "\"(GET\" is not a valid regular expression: ";
  QTest::newRow("unbalanced bracket") << ""
                                      << ""
                                      << "[a-"
                                      << "POSIX extended syntax";
  QTest::newRow("bad repetition") << ""
                                  << ""
                                  << "a{2,1}"
                                  << "parameter payload-regex";
  QTest::newRow("two signatures") << "GET"
                                  << ""
                                  << "GET"
                                  << "give one payload signature";
  QTest::newRow("none") << ""
                        << ""
                        << ""
                        << "give a payload signature";
  QTest::newRow("odd hex") << ""
                           << "474"
                           << ""
                           << "two hex digits each";
}

void TestPayloadMatch::badInput() {
  QFETCH(QString, text);
  QFETCH(QString, hex);
  QFETCH(QString, regex);
  QFETCH(QString, message);
  std::string problem;
  QVERIFY(!store::PayloadMatcher::make(text.toStdString(), hex.toStdString(), regex.toStdString(),
                                       &problem));
  QVERIFY2(problem.find(message.toStdString()) != std::string::npos, problem.c_str());
  if (!regex.isEmpty() && text.isEmpty()) {
    // regerror's own text is quoted: e.g. "Unmatched ( or \(".
    QVERIFY2(problem.find("Unmatched") != std::string::npos ||
                 problem.find("Invalid") != std::string::npos,
             problem.c_str());
  }
}

void TestPayloadMatch::hazardousRegexRefused_data() {
  QTest::addColumn<QByteArray>("regex");
  QTest::addColumn<QString>("reason");  // empty: accepted
  // Each of the first three crashed the C library's matcher (a known defect with
  // back-references), ran for seconds on a short payload, or took seconds to compile.
  QTest::newRow("empty group repeated by reference")
      << QByteArray("(|)(\\1\\1)*") << "back-references";
  QTest::newRow("backtracking reference") << QByteArray("(a*)*\\1b") << "back-references";
  QTest::newRow("nested bounds") << QByteArray("((a{1,100}){1,100}){1,100}") << "copies";
  QTest::newRow("bound above 1024") << QByteArray("a{1025}") << "repeat bound above 1024";
  QTest::newRow("open bound above 1024") << QByteArray("a{1024,}") << "repeat bound above 1024";
  QTest::newRow("long bounded") << QByteArray("x{500}END") << QString();
  QTest::newRow("too long") << QByteArray(513, 'a') << "longer than 512 bytes";
  QTest::newRow("bounds are fine") << QByteArray("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$") << QString();
  QTest::newRow("escaped characters") << QByteArray("\\.\\(\\{5") << QString();
  QTest::newRow("digit in brackets") << QByteArray("[\\1]x{2}") << QString();
  QTest::newRow("brace not a bound") << QByteArray("GET \\{x}") << QString();
}

void TestPayloadMatch::hazardousRegexRefused() {
  QFETCH(QByteArray, regex);
  QFETCH(QString, reason);
  const std::string re = regex.toStdString();
  const std::string hazard = store::PayloadMatcher::regexHazard(re);
  std::string problem;
  const auto matcher = store::PayloadMatcher::make("", "", re, &problem);
  if (reason.isEmpty()) {
    QVERIFY2(hazard.empty(), hazard.c_str());
    QVERIFY2(matcher, problem.c_str());
    return;
  }
  QVERIFY2(hazard.find(reason.toStdString()) != std::string::npos, hazard.c_str());
  QVERIFY(!matcher);
  QVERIFY2(problem.find("is refused: " + hazard) != std::string::npos, problem.c_str());
}

QTEST_GUILESS_MAIN(TestPayloadMatch)
#include "tst_payload_match.moc"
