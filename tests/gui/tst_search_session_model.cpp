// SPDX-License-Identifier: MIT
// The Search tab's session table and its form checks: rows of several nodes merged with a
// node column, a node's answer replacing its rows (checked by QAbstractItemModelTester on
// the model and the proxy), sorting on raw values, plain-text and expression filters, the
// CSV of what the proxy shows; the form's parameters and what the console refuses itself;
// the narrowing of a session's packet request and the 5-tuple test it relies on.

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "app/export/csv_export_job.h"
#include "app/models/search_query.h"
#include "app/models/search_session_filter_proxy.h"
#include "app/models/search_session_model.h"
#include "shared/decoder/packet_decoder.h"

using namespace netlens;
using namespace netlens::app::models;
using protocol::SearchSession;

namespace {

constexpr std::int64_t kT0 = 1'700'000'000LL * 1'000'000'000;

SearchSession session(std::uint8_t proto, const char* a, std::uint16_t aPort, const char* b,
                      std::uint16_t bPort, std::uint64_t packets, std::uint64_t bytes,
                      std::int64_t first) {
  SearchSession s;
  s.protocol = proto;
  s.a = *net::IpAddress::parse(a);
  s.aPort = aPort;
  s.b = *net::IpAddress::parse(b);
  s.bPort = bPort;
  s.packets = packets;
  s.bytes = bytes;
  s.firstSeen = first;
  s.lastSeen = first + 5'000'000'000;
  return s;
}

QStringList column(const QAbstractItemModel& model, int col) {
  QStringList out;
  for (int r = 0; r < model.rowCount(); ++r) out << model.index(r, col).data().toString();
  return out;
}

}  // namespace

class TestSearchSessionModel : public QObject {
  Q_OBJECT

 private slots:
  void mergesNodesAndReplaces();
  void sortsAndFilters();
  void exportsCsv();
  void buildsParameters_data();
  void buildsParameters();
  void refusesBadForms_data();
  void refusesBadForms();
  void narrowsToSession();
};

void TestSearchSessionModel::mergesNodesAndReplaces() {
  SearchSessionModel model;
  SearchSessionFilterProxy proxy;
  proxy.setSourceModel(&model);
  QAbstractItemModelTester modelTester(&model,
                                       QAbstractItemModelTester::FailureReportingMode::QtTest);
  QAbstractItemModelTester proxyTester(&proxy,
                                       QAbstractItemModelTester::FailureReportingMode::QtTest);
  proxy.sort(SearchSessionModel::Bytes, Qt::DescendingOrder);

  model.setNodeSessions("n1", "edge-1",
                        {session(6, "10.0.0.1", 51000, "10.0.0.2", 443, 10, 5000, kT0),
                         session(17, "10.0.0.1", 5353, "10.0.0.9", 53, 2, 180, kT0 + 1)});
  model.setNodeSessions("n2", "edge-2",
                        {session(6, "10.0.0.1", 51000, "10.0.0.2", 443, 4, 900, kT0)});
  QCOMPARE(model.rowCount(), 3);
  QCOMPARE(proxy.rowCount(), 3);
  QCOMPARE(column(proxy, SearchSessionModel::Node), QStringList({"edge-1", "edge-2", "edge-1"}));
  QCOMPARE(proxy.index(0, SearchSessionModel::Protocol).data().toString(), QString("TCP"));
  QCOMPARE(proxy.index(0, SearchSessionModel::BPort).data().toString(), QString("443"));
  QCOMPARE(proxy.index(0, SearchSessionModel::Packets).data().toString(), QString("10"));

  // A node's new answer replaces its rows only.
  model.setNodeSessions("n1", "edge-1",
                        {session(1, "192.0.2.1", 0, "192.0.2.2", 0, 3, 294, kT0 + 2)});
  QCOMPARE(model.rowCount(), 2);
  QCOMPARE(column(proxy, SearchSessionModel::Node), QStringList({"edge-2", "edge-1"}));
  // ICMP has no ports: the port cells stay empty.
  QCOMPARE(proxy.index(1, SearchSessionModel::APort).data().toString(), QString());
  QCOMPARE(proxy.index(1, SearchSessionModel::Protocol).data().toString(), QString("ICMP"));
  model.setNodeSessions("n2", "edge-2", {});
  QCOMPARE(model.rowCount(), 1);
  model.clear();
  QCOMPARE(proxy.rowCount(), 0);
}

void TestSearchSessionModel::sortsAndFilters() {
  SearchSessionModel model;
  SearchSessionFilterProxy proxy;
  proxy.setSourceModel(&model);
  QAbstractItemModelTester proxyTester(&proxy,
                                       QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.setNodeSessions("n1", "edge-1",
                        {session(6, "10.0.0.10", 40000, "10.0.0.2", 80, 10, 5000, kT0 + 3),
                         session(6, "10.0.0.9", 40001, "192.0.2.7", 443, 20, 90000, kT0 + 1),
                         session(17, "2001:db8::1", 5353, "2001:db8::2", 53, 2, 180, kT0 + 2)});
  // Addresses in numeric order (10.0.0.9 before 10.0.0.10), IPv4 before IPv6.
  proxy.sort(SearchSessionModel::A, Qt::AscendingOrder);
  QCOMPARE(column(proxy, SearchSessionModel::A),
           QStringList({"10.0.0.9", "10.0.0.10", "2001:db8::1"}));
  proxy.sort(SearchSessionModel::FirstSeen, Qt::AscendingOrder);
  QCOMPARE(column(proxy, SearchSessionModel::A),
           QStringList({"10.0.0.9", "2001:db8::1", "10.0.0.10"}));
  QVERIFY(proxy.setFilterText("192.0.2"));
  QCOMPARE(proxy.rowCount(), 1);
  QVERIFY(proxy.setFilterText("(b_port == 53 or bytes > 10k)"));
  QCOMPARE(column(proxy, SearchSessionModel::A), QStringList({"10.0.0.9", "2001:db8::1"}));
  QVERIFY(proxy.setFilterText("(a in 10.0.0.0/8 and proto == \"TCP\" and packets < 15)"));
  QCOMPARE(column(proxy, SearchSessionModel::A), QStringList({"10.0.0.10"}));
  QVERIFY(!proxy.setFilterText("(nonsense > 1)"));
  QVERIFY(proxy.filterError().isError());
  QCOMPARE(proxy.rowCount(), 1);  // the previous filter stays in effect

  // The capture sources: shown joined, sorted on, matched by plain text and expressions.
  SearchSession two = session(6, "10.0.0.20", 40002, "10.0.0.2", 80, 1, 60, kT0);
  two.sources = {"eth1", "eth0"};
  SearchSession one = session(6, "10.0.0.21", 40003, "10.0.0.2", 80, 1, 60, kT0);
  one.sources = {"eth0"};
  model.setNodeSessions("n2", "edge-2", {two, one});
  QVERIFY(proxy.setFilterText("eth1"));
  QCOMPARE(column(proxy, SearchSessionModel::Sources), QStringList({"eth1, eth0"}));
  QVERIFY(proxy.setFilterText("(sources == \"eth0\")"));
  QCOMPARE(column(proxy, SearchSessionModel::A), QStringList({"10.0.0.21"}));
  QVERIFY(proxy.setFilterText("(source contains \"eth\")"));
  proxy.sort(SearchSessionModel::Sources, Qt::AscendingOrder);
  QCOMPARE(column(proxy, SearchSessionModel::Sources), QStringList({"eth0", "eth1, eth0"}));
}

void TestSearchSessionModel::exportsCsv() {
  SearchSessionModel model;
  SearchSessionFilterProxy proxy;
  proxy.setSourceModel(&model);
  model.setNodeSessions("n1", "edge,1",
                        {session(6, "10.0.0.1", 51000, "10.0.0.2", 443, 10, 5000, kT0 + 123),
                         session(17, "10.0.0.1", 5353, "10.0.0.9", 53, 2, 180, kT0)});
  proxy.sort(SearchSessionModel::Bytes, Qt::AscendingOrder);
  QTemporaryDir dir;
  const QString file = dir.filePath("sessions.csv");
  app::exporting::CsvExportJob job;
  QSignalSpy done(&job, &app::exporting::CsvExportJob::finished);
  QVERIFY(job.start(
      model, proxy,
      {SearchSessionModel::Node, SearchSessionModel::Protocol, SearchSessionModel::A,
       SearchSessionModel::BPort, SearchSessionModel::Bytes, SearchSessionModel::FirstSeen},
      file));
  QVERIFY(done.wait(10000));
  QVERIFY(done.first().at(0).toBool());
  QFile f(file);
  QVERIFY(f.open(QIODevice::ReadOnly));
  QCOMPARE(QString::fromUtf8(f.readAll()),
           QString("Node,Protocol,Address A,Port B,Bytes,First packet\r\n"
                   "\"edge,1\",UDP,10.0.0.1,53,180,2023-11-14T22:13:20.000000000Z\r\n"
                   "\"edge,1\",TCP,10.0.0.1,443,5000,2023-11-14T22:13:20.000000123Z\r\n"));
}

void TestSearchSessionModel::buildsParameters_data() {
  QTest::addColumn<QString>("field");
  QTest::addColumn<int>("side");
  QTest::addColumn<QString>("value");
  QTest::addColumn<QString>("param");
  QTest::addColumn<QString>("expected");
  QTest::newRow("host either") << "addresses" << 0 << " 10.0.0.1 , 2001:db8::1"
                               << "host"
                               << "10.0.0.1,2001:db8::1";
  QTest::newRow("src host") << "addresses" << 1 << "10.0.0.1"
                            << "src-host"
                            << "10.0.0.1";
  QTest::newRow("dst host") << "addresses" << 2 << "10.0.0.1"
                            << "dst-host"
                            << "10.0.0.1";
  QTest::newRow("mac") << "macs" << 0 << "00:1b:21:aa:bb:cc"
                       << "mac"
                       << "00:1b:21:aa:bb:cc";
  QTest::newRow("dst mac") << "macs" << 2 << "00:1b:21:aa:bb:cc"
                           << "dst-mac"
                           << "00:1b:21:aa:bb:cc";
  QTest::newRow("ports") << "ports" << 0 << "53,443"
                         << "port"
                         << "53,443";
  QTest::newRow("src port") << "ports" << 1 << "443"
                            << "src-port"
                            << "443";
  QTest::newRow("proto") << "protocols" << 0 << "TCP, 47"
                         << "proto"
                         << "tcp,47";
  QTest::newRow("vlan") << "vlans" << 0 << "10,4095"
                        << "vlan"
                        << "10,4095";
  QTest::newRow("bpf") << "bpf" << 0 << " tcp port 80 "
                       << "bpf"
                       << "tcp port 80";
  QTest::newRow("payload") << "payload" << 0 << "GET /"
                           << "payload"
                           << "GET /";
  QTest::newRow("payload hex") << "payload-hex" << 0 << "47:45:54"
                               << "payload-hex"
                               << "47:45:54";
  // The expression goes to the nodes as typed (even hex-looking: the kind decides).
  QTest::newRow("payload regex") << "payload-regex" << 0 << "^(GET|POST) /[a-f]{2}"
                                 << "payload-regex"
                                 << "^(GET|POST) /[a-f]{2}";
}

void TestSearchSessionModel::buildsParameters() {
  QFETCH(QString, field);
  QFETCH(int, side);
  QFETCH(QString, value);
  QFETCH(QString, param);
  QFETCH(QString, expected);
  SearchForm form;
  const auto s = static_cast<SearchSide>(side);
  if (field == "addresses") form.addresses = value, form.addressSide = s;
  if (field == "macs") form.macs = value, form.macSide = s;
  if (field == "ports") form.ports = value, form.portSide = s;
  if (field == "protocols") form.protocols = value;
  if (field == "vlans") form.vlans = value;
  if (field == "bpf") form.bpf = value;
  if (field == "payload") form.payload = value;
  if (field == "payload-hex") form.payload = value, form.payloadIsHex = true;
  if (field == "payload-regex")
    form.payload = value, form.payloadIsHex = true, form.payloadIsRegex = true;
  protocol::Params params;
  QStringList errors;
  QVERIFY2(SearchQuery::build(form, &params, &errors), qPrintable(errors.join('\n')));
  QCOMPARE(params.size(), std::size_t{2});  // the criterion and the mode
  QCOMPARE(QString::fromStdString(params.at(param.toStdString())), expected);
  QCOMPARE(params.at("mode"), std::string("list"));
}

void TestSearchSessionModel::refusesBadForms_data() {
  QTest::addColumn<QString>("field");
  QTest::addColumn<QString>("value");
  QTest::addColumn<QString>("message");
  QTest::newRow("address") << "addresses"
                           << "10.0.0.300"
                           << "\"10.0.0.300\" is not an IPv4";
  QTest::newRow("address text") << "addresses"
                                << "10.0.0.1, host"
                                << "\"host\"";
  QTest::newRow("mac") << "macs"
                       << "00:11:22"
                       << "not a MAC";
  QTest::newRow("port") << "ports"
                        << "70000"
                        << "0 to 65535";
  QTest::newRow("port text") << "ports"
                             << "http"
                             << "\"http\"";
  QTest::newRow("proto") << "protocols"
                         << "ftp"
                         << "\"ftp\"";
  QTest::newRow("proto number") << "protocols"
                                << "256"
                                << "0 to 255";
  QTest::newRow("vlan") << "vlans"
                        << "4096"
                        << "0 to 4095";
  QTest::newRow("hex odd") << "payload-hex"
                           << "474"
                           << "not hex bytes";
  QTest::newRow("hex letters") << "payload-hex"
                               << "GET"
                               << "not hex bytes";
  QTest::newRow("time order") << "time"
                              << ""
                              << "ends before it begins";
  QTest::newRow("limit") << "limit"
                         << ""
                         << "at most";
}

void TestSearchSessionModel::refusesBadForms() {
  QFETCH(QString, field);
  QFETCH(QString, value);
  QFETCH(QString, message);
  SearchForm form;
  if (field == "addresses") form.addresses = value;
  if (field == "macs") form.macs = value;
  if (field == "ports") form.ports = value;
  if (field == "protocols") form.protocols = value;
  if (field == "vlans") form.vlans = value;
  if (field == "payload-hex") form.payload = value, form.payloadIsHex = true;
  if (field == "time") form.from = kT0 + 10, form.to = kT0;
  if (field == "limit") form.limit = protocol::kMaxSearchPackets + 1;
  protocol::Params params{{"untouched", "yes"}};
  QStringList errors;
  QVERIFY(!SearchQuery::build(form, &params, &errors));
  QCOMPARE(errors.size(), 1);
  QVERIFY2(errors.first().contains(message), qPrintable(errors.first()));
  QCOMPARE(params.size(), std::size_t{1});  // nothing handed on
}

void TestSearchSessionModel::narrowsToSession() {
  const SearchSession s = session(6, "10.0.0.1", 51000, "10.0.0.2", 443, 10, 5000, kT0);
  // Without host or port in the search: one address and the higher port are added.
  auto p = SearchQuery::forSession({{"mode", "list"}, {"limit", "5"}, {"proto", "tcp"}}, s);
  QCOMPARE(p.at("mode"), std::string("packets"));
  QCOMPARE(p.count("limit"), std::size_t{0});
  QCOMPARE(p.at("host"), std::string("10.0.0.1"));
  QCOMPARE(p.at("port"), std::string("51000"));
  QCOMPARE(p.at("proto"), std::string("tcp"));
  QCOMPARE(p.at("from"), std::to_string(kT0));
  QCOMPARE(p.at("to"), std::to_string(kT0 + 5'000'000'000));
  // The search's own address, port and a narrower time range are kept.
  p = SearchQuery::forSession({{"mode", "list"},
                               {"dst-host", "10.0.0.2"},
                               {"src-port", "443"},
                               {"from", std::to_string(kT0 + 7)}},
                              s);
  QCOMPARE(p.count("host"), std::size_t{0});
  QCOMPARE(p.at("dst-host"), std::string("10.0.0.2"));
  QCOMPARE(p.count("port"), std::size_t{0});
  QCOMPARE(p.at("from"), std::to_string(kT0 + 7));

  // inSession: both directions of the 5-tuple, nothing else.
  auto frame = [](const char* src, const char* dst, std::uint16_t sport, std::uint16_t dport) {
    std::vector<std::uint8_t> f(54, 0);
    f[12] = 0x08;
    f[14] = 0x45;
    f[17] = 40;
    f[22] = 64;
    f[23] = 6;
    const auto s = *net::IpAddress::parse(src);
    const auto d = *net::IpAddress::parse(dst);
    std::copy_n(s.bytes.begin(), 4, f.begin() + 26);
    std::copy_n(d.bytes.begin(), 4, f.begin() + 30);
    f[34] = static_cast<std::uint8_t>(sport >> 8);
    f[35] = static_cast<std::uint8_t>(sport);
    f[36] = static_cast<std::uint8_t>(dport >> 8);
    f[37] = static_cast<std::uint8_t>(dport);
    f[46] = 0x50;
    return f;
  };
  decoder::DecodedPacket d;
  for (const auto& [f, in] : std::vector<std::pair<std::vector<std::uint8_t>, bool>>{
           {frame("10.0.0.1", "10.0.0.2", 51000, 443), true},
           {frame("10.0.0.2", "10.0.0.1", 443, 51000), true},
           {frame("10.0.0.1", "10.0.0.2", 51001, 443), false},
           {frame("10.0.0.1", "10.0.0.3", 51000, 443), false}}) {
    decoder::PacketDecoder::decode(1, f.data(), static_cast<std::uint32_t>(f.size()),
                                   static_cast<std::uint32_t>(f.size()), 0, d);
    QCOMPARE(SearchQuery::inSession(d, s), in);
  }
}

QTEST_MAIN(TestSearchSessionModel)
#include "tst_search_session_model.moc"
