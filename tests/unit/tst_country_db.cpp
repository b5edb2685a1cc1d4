// SPDX-License-Identifier: MIT
// CountryDb against MaxMind's public test database (../shared/geoip): known ranges, IPv6,
// addresses not in the database, and clear errors for a missing or foreign file. Also the
// merge of host records that carry countries and NIC vendors (stats::mergeHostRecord).

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <string>

#include "node/analysis/country_db.h"
#include "shared/stats/host_merge.h"

using namespace netlens;
using node::analysis::CountryDb;
using node::analysis::countryText;

namespace {

const std::string kTestDb = std::string(NETLENS_SHARED_DATA) + "/geoip/GeoLite2-Country-Test.mmdb";

net::IpAddress ip(const char* text) {
  return *net::IpAddress::parse(text);
}

net::MacAddress mac(const char* text) {
  return *net::MacAddress::parse(text);
}

}  // namespace

class TestCountryDb : public QObject {
  Q_OBJECT

 private slots:
  void lookups_data();
  void lookups();
  void noDatabase();
  void missingFile();
  void notADatabase();
  void mergeKeepsVendorsWithTheirMacs();
};

void TestCountryDb::lookups_data() {
  QTest::addColumn<QString>("address");
  QTest::addColumn<QString>("country");
  // The figures of the database's README.
  QTest::newRow("GB") << "81.2.69.160"
                      << "GB";
  QTest::newRow("SE") << "89.160.20.128"
                      << "SE";
  QTest::newRow("JP v6") << "2001:218::1"
                         << "JP";
  QTest::newRow("loopback") << "127.0.0.1"
                            << "";
  QTest::newRow("private") << "10.1.2.3"
                           << "";
  QTest::newRow("v6 loopback") << "::1"
                               << "";
}

void TestCountryDb::lookups() {
  QFETCH(QString, address);
  QFETCH(QString, country);
  CountryDb db;
  std::string error;
  QVERIFY2(db.open(kTestDb, &error), error.c_str());
  QVERIFY(db.isOpen());
  QCOMPARE(db.databaseType(), std::string("GeoLite2-Country"));
  QCOMPARE(QString::fromStdString(countryText(db.lookup(ip(address.toLatin1().constData())))),
           country);
}

void TestCountryDb::noDatabase() {
  CountryDb db;
  QVERIFY(!db.isOpen());
  QCOMPARE(countryText(db.lookup(ip("81.2.69.160"))), std::string());
  QCOMPARE(db.databaseType(), std::string());
}

void TestCountryDb::missingFile() {
  CountryDb db;
  std::string error;
  QVERIFY(!db.open("/nonexistent/GeoLite2-Country.mmdb", &error));
  QVERIFY(!db.isOpen());
  QVERIFY2(error.find("/nonexistent/GeoLite2-Country.mmdb") != std::string::npos, error.c_str());
  QVERIFY2(error.find("No such file") != std::string::npos, error.c_str());
  QVERIFY2(error.find("MaxMind DB") != std::string::npos, error.c_str());  // what to give
  QCOMPARE(countryText(db.lookup(ip("81.2.69.160"))), std::string());
}

void TestCountryDb::notADatabase() {
  QTemporaryDir dir;
  const QString path = dir.filePath("countries.mmdb");
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(QByteArray(4096, 'x'));
  f.close();
  CountryDb db;
  std::string error;
  // A database opened before is closed by a failed open.
  QVERIFY(db.open(kTestDb, &error));
  QVERIFY(!db.open(path.toStdString(), &error));
  QVERIFY(!db.isOpen());
  QVERIFY2(error.find("countries.mmdb") != std::string::npos, error.c_str());
  QCOMPARE(countryText(db.lookup(ip("81.2.69.160"))), std::string());
}

void TestCountryDb::mergeKeepsVendorsWithTheirMacs() {
  protocol::HostRecord a;
  a.ip = ip("81.2.69.160");
  a.txPackets = 1;
  a.firstSeen = a.lastSeen = 10;
  a.macs = {mac("00:00:0c:00:00:01"), mac("00:1b:21:00:00:02")};
  a.macVendors = {"Cisco Systems, Inc", "Intel Corporate"};
  protocol::HostRecord b = a;
  b.country = "GB";
  b.macs = {mac("00:00:0c:00:00:00"), mac("00:1b:21:00:00:02"), mac("02:00:00:00:00:01")};
  b.macVendors = {"Cisco Systems, Inc", "Intel Corporate", "locally administered"};
  stats::mergeHostRecord(a, b, 1'000'000'000);
  QCOMPARE(a.macs.size(), std::size_t(4));
  QCOMPARE(a.macVendors.size(), a.macs.size());
  QCOMPARE(a.macs[0], mac("00:00:0c:00:00:00"));
  QCOMPARE(a.macVendors[0], std::string("Cisco Systems, Inc"));
  QCOMPARE(a.macs[2], mac("00:1b:21:00:00:02"));
  QCOMPARE(a.macVendors[2], std::string("Intel Corporate"));
  QCOMPARE(a.macVendors[3], std::string("locally administered"));
  QCOMPARE(a.country, std::string("GB"));

  // Records without vendors (an older node) keep the list empty.
  protocol::HostRecord c;
  c.ip = a.ip;
  c.txPackets = 1;
  c.firstSeen = c.lastSeen = 5;
  c.macs = {mac("00:00:0c:00:00:01")};
  protocol::HostRecord d = c;
  d.macs = {mac("00:00:0c:00:00:02")};
  stats::mergeHostRecord(c, d, 1'000'000'000);
  QCOMPARE(c.macs.size(), std::size_t(2));
  QVERIFY(c.macVendors.empty());
  // One side with vendors, the other without: every MAC has an entry ("" unknown).
  stats::mergeHostRecord(c, a, 1'000'000'000);
  QCOMPARE(c.macVendors.size(), c.macs.size());
}

QTEST_GUILESS_MAIN(TestCountryDb)
#include "tst_country_db.moc"
