// SPDX-License-Identifier: MIT
// OuiVendors: the .txt and .csv layouts of the IEEE listings (crafted excerpts with their
// quirks), longest-prefix lookup, group and locally administered addresses, a missing folder,
// and — where the ieee-data package is installed — the real listings: known vendors, load
// time, and the same answers from the .txt and the .csv files.

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <random>
#include <string>

#include "node/analysis/oui_vendors.h"

using namespace netlens;
using node::analysis::MacVendor;
using node::analysis::OuiVendors;

namespace {

net::MacAddress mac(const char* text) {
  return *net::MacAddress::parse(text);
}

std::string vendorOf(const OuiVendors& v, const char* address) {
  return std::string(v.lookup(mac(address)).organization);
}

// Excerpts in the layouts of the Debian files (CRLF, tabs; iab.txt uses spaces).
const char kOuiTxt[] =
    "OUI/MA-L                                                    Organization\r\n"
    "company_id                                                  Organization\r\n"
    "                                                            Address\r\n"
    "\r\n"
    "00-00-0C   (hex)\t\tCisco Systems, Inc\r\n"
    "00000C     (base 16)\t\tCisco Systems, Inc\r\n"
    "\t\t\t\t170 West Tasman Drive\r\n"
    "\t\t\t\tSan Jose  CA  95134-1706\r\n"
    "\t\t\t\tUS\r\n"
    "\r\n"
    "08-00-30   (hex)\t\tNETWORK RESEARCH CORPORATION\r\n"
    "080030     (base 16)\t\tNETWORK RESEARCH CORPORATION\r\n"
    "\r\n"
    "08-00-30   (hex)\t\tCERN\r\n"
    "080030     (base 16)\t\tCERN\r\n"
    "\r\n"
    "70-B3-D5   (hex)\t\tIEEE Registration Authority\r\n"
    "70B3D5     (base 16)\t\tIEEE Registration Authority\r\n"
    "\r\n"
    "AA-00-04   (hex)\t\tDIGITAL EQUIPMENT CORPORATION\r\n"
    "AA0004     (base 16)\t\tDIGITAL EQUIPMENT CORPORATION\r\n"
    "\r\n"
    "20-32-33   (hex)\t\tSHENZHEN BILIAN ELECTRONIC CO.\xef\xbc\x8cLTD\r\n"
    "203233     (base 16)\t\tSHENZHEN BILIAN ELECTRONIC CO.\xef\xbc\x8cLTD\r\n";
const char kMamTxt[] =
    "74-1A-E0   (hex)\t\tPrivate\r\n"
    "900000-9FFFFF     (base 16)\t\tPrivate\r\n"
    "\r\n"
    "70-B3-D5   (hex)\t\tMA-M inside the RA block\r\n"
    "F00000-FFFFFF     (base 16)\t\tMA-M inside the RA block\r\n";
const char kOui36Txt[] =
    "70-B3-D5   (hex)\t\tTELEPLATFORMS\n"
    "F2F000-F2FFFF     (base 16)\t\tTELEPLATFORMS\n"
    "\t\t\t\tPolbina st., 3/1\n";
const char kIabTxt[] =
    "00-50-C2                      (hex)                         DEUTA-WERKE GmbH            \r\n"
    "7D5000-7D5FFF                 (base 16)                     DEUTA-WERKE GmbH            \r\n";
// Quoted fields with commas, a line break and doubled quotes; a duplicate assignment.
const char kOuiCsv[] =
    "Registry,Assignment,Organization Name,Organization Address\r\n"
    "MA-L,00000C,\"Cisco Systems, Inc\",170 West Tasman Drive San Jose CA US 95134-1706 \r\n"
    "MA-L,001B63,\"Apple, Inc.\",\"1 Infinite Loop\r\nCupertino CA US 95014 \"\r\n"
    "MA-L,0C8C24,\"SHENZHEN \"\"BILIAN\"\" ELECTRONIC CO.,LTD\",\"Shenzhen, CN\"\r\n"
    "MA-L,080030,NETWORK RESEARCH CORPORATION,somewhere\r\n"
    "MA-L,080030,CERN,Geneva\r\n"
    "MA-M,741AE09,Private,\r\n"
    "MA-S,70B3D5F2F,TELEPLATFORMS,\"Polbina st., 3/1 Moscow RU 109388 \"\r\n"
    "IAB,0050C27D5,DEUTA-WERKE GmbH,\"Paffrather Str. 140 Bergisch Gladbach DE 51465 \"";

bool writeFile(const QString& path, const QByteArray& data) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

}  // namespace

class TestOuiVendors : public QObject {
  Q_OBJECT

 private slots:
  void txtLayoutAndLongestPrefix() {
    OuiVendors v;
    QCOMPARE(v.loadText(kOuiTxt), std::size_t(6));
    QCOMPARE(v.loadText(kMamTxt), std::size_t(2));
    QCOMPARE(v.loadText(kOui36Txt), std::size_t(1));
    QCOMPARE(v.loadText(kIabTxt), std::size_t(1));
    QCOMPARE(v.size(), std::size_t(9));  // 08-00-30 is listed twice: the first one counts
    QCOMPARE(vendorOf(v, "00:00:0c:12:34:56"), std::string("Cisco Systems, Inc"));
    QCOMPARE(vendorOf(v, "08:00:30:00:00:01"), std::string("NETWORK RESEARCH CORPORATION"));
    QCOMPARE(vendorOf(v, "20:32:33:00:00:01"),
             std::string("SHENZHEN BILIAN ELECTRONIC CO.\xef\xbc\x8cLTD"));
    // 70-B3-D5: 24-bit block of the registration authority, a 28-bit and a 36-bit one in it.
    QCOMPARE(vendorOf(v, "70:b3:d5:f2:f1:23"), std::string("TELEPLATFORMS"));
    QCOMPARE(v.lookup(mac("70:b3:d5:f2:f1:23")).prefixBits, std::uint8_t(36));
    QCOMPARE(vendorOf(v, "70:b3:d5:f3:00:00"), std::string("MA-M inside the RA block"));
    QCOMPARE(v.lookup(mac("70:b3:d5:f3:00:00")).prefixBits, std::uint8_t(28));
    QCOMPARE(vendorOf(v, "70:b3:d5:e0:00:00"), std::string("IEEE Registration Authority"));
    QCOMPARE(v.lookup(mac("70:b3:d5:e0:00:00")).prefixBits, std::uint8_t(24));
    QCOMPARE(vendorOf(v, "74:1a:e0:9f:ff:ff"), std::string("Private"));
    QVERIFY(vendorOf(v, "74:1a:e0:a0:00:00").empty());
    QCOMPARE(vendorOf(v, "00:50:c2:7d:50:01"), std::string("DEUTA-WERKE GmbH"));
    QVERIFY(vendorOf(v, "00:50:c2:7d:60:01").empty());
    QVERIFY(vendorOf(v, "00:00:0d:00:00:00").empty());
  }

  void csvLayout() {
    OuiVendors v;
    QCOMPARE(v.loadText(kOuiCsv), std::size_t(8));
    QCOMPARE(v.size(), std::size_t(7));
    QCOMPARE(vendorOf(v, "00:00:0c:00:00:01"), std::string("Cisco Systems, Inc"));
    QCOMPARE(vendorOf(v, "00:1b:63:00:00:01"), std::string("Apple, Inc."));
    QCOMPARE(vendorOf(v, "0c:8c:24:00:00:01"),
             std::string("SHENZHEN \"BILIAN\" ELECTRONIC CO.,LTD"));
    QCOMPARE(vendorOf(v, "08:00:30:00:00:01"), std::string("NETWORK RESEARCH CORPORATION"));
    QCOMPARE(vendorOf(v, "74:1a:e0:90:00:01"), std::string("Private"));
    QCOMPARE(vendorOf(v, "70:b3:d5:f2:f0:00"), std::string("TELEPLATFORMS"));
    QCOMPARE(vendorOf(v, "00:50:c2:7d:5f:ff"), std::string("DEUTA-WERKE GmbH"));
  }

  void groupAndLocalAddresses() {
    OuiVendors v;
    v.loadText(kOuiTxt);
    // Cisco's CDP/VTP multicast address belongs to Cisco's block.
    MacVendor cdp = v.lookup(mac("01:00:0c:cc:cc:cc"));
    QCOMPARE(std::string(cdp.organization), std::string("Cisco Systems, Inc"));
    QVERIFY(cdp.isMulticast);
    QVERIFY(!cdp.isLocallyAdministered);
    // A randomised private address: no vendor.
    const MacVendor random = v.lookup(mac("da:a1:19:00:00:01"));
    QVERIFY(random.organization.empty());
    QVERIFY(random.isLocallyAdministered);
    QCOMPARE(OuiVendors::label(random), std::string_view("locally administered"));
    // One of the old registered blocks with the U/L bit set: DECnet.
    const MacVendor decnet = v.lookup(mac("aa:00:04:00:12:34"));
    QCOMPARE(std::string(decnet.organization), std::string("DIGITAL EQUIPMENT CORPORATION"));
    QVERIFY(decnet.isLocallyAdministered);
    const MacVendor broadcast = v.lookup(mac("ff:ff:ff:ff:ff:ff"));
    QVERIFY(broadcast.isBroadcast && broadcast.organization.empty());
    QCOMPARE(OuiVendors::label(broadcast), std::string_view("broadcast"));
    QCOMPARE(OuiVendors::label(v.lookup(mac("33:33:00:00:00:01"))), std::string_view("multicast"));
    QCOMPARE(OuiVendors::label(v.lookup(mac("00:00:0d:00:00:01"))), std::string_view(""));
    QCOMPARE(OuiVendors::label(cdp), std::string_view("Cisco Systems, Inc"));
  }

  void missingFolderWarnsAndLeavesAnEmptyTable() {
    OuiVendors v;
    v.loadText(kOuiTxt);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string folder = (dir.path() + QStringLiteral("/nothing-here")).toStdString();
    std::string warning;
    QVERIFY(!v.loadFolder(folder, &warning));
    QCOMPARE(v.size(), std::size_t(0));
    QVERIFY(v.lookup(mac("00:00:0c:00:00:01")).organization.empty());
    QVERIFY2(warning.find(folder + "/oui.txt") != std::string::npos, warning.c_str());
    QVERIFY2(warning.find("No such file") != std::string::npos, warning.c_str());
    QVERIFY2(warning.find("without vendor names") != std::string::npos, warning.c_str());
    QVERIFY(!v.loadFile(folder + "/oui.txt", nullptr));  // no warning wanted: no crash either
    // A file that is no listing at all.
    const QString junk = dir.path() + QStringLiteral("/junk.txt");
    QVERIFY(writeFile(junk, "hello\nworld\n"));
    QVERIFY(!v.loadFile(junk.toStdString(), &warning));
    QVERIFY2(warning.find("no assignment") != std::string::npos, warning.c_str());
  }

  void folderWithTxtOrCsvFiles() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(writeFile(dir.path() + QStringLiteral("/oui.txt"), kOuiTxt));
    QVERIFY(writeFile(dir.path() + QStringLiteral("/oui36.txt"), kOui36Txt));
    OuiVendors v;
    std::string warning;
    QVERIFY2(v.loadFolder(dir.path().toStdString(), &warning), warning.c_str());
    QCOMPARE(v.size(), std::size_t(6));  // mam and iab are optional
    QCOMPARE(vendorOf(v, "70:b3:d5:f2:f1:23"), std::string("TELEPLATFORMS"));
    QTemporaryDir csvDir;
    QVERIFY(writeFile(csvDir.path() + QStringLiteral("/oui.csv"), kOuiCsv));
    QVERIFY2(v.loadFolder(csvDir.path().toStdString(), &warning), warning.c_str());
    QCOMPARE(v.size(), std::size_t(7));
    QCOMPARE(vendorOf(v, "00:1b:63:00:00:01"), std::string("Apple, Inc."));
  }

  void randomTextIsSafe() {
    std::mt19937 rng(3);
    std::string text = std::string(kOuiTxt) + kMamTxt + kOui36Txt + kIabTxt + kOuiCsv;
    for (int round = 0; round < 2000; ++round) {
      std::string t = text.substr(rng() % text.size());
      for (int c = 0; c < 5; ++c) t[rng() % t.size()] = static_cast<char>(rng());
      OuiVendors v;
      v.loadText(t);
      v.lookup(mac("00:00:0c:00:00:01"));
    }
  }

  /// The Debian listings, when installed: known vendors of each list and the .txt and .csv
  /// files agreeing. The load time is printed, not asserted (speed is for benchmarks: under a
  /// sanitizer on a busy machine it took over 2 s).
  void debianListings() {
    const QString folder = QString::fromLatin1(OuiVendors::kDefaultFolder.data(),
                                               static_cast<int>(OuiVendors::kDefaultFolder.size()));
    if (!QFile::exists(folder + QStringLiteral("/oui.txt"))) {
      QSKIP("the ieee-data listings are not installed");
    }
    OuiVendors v;
    std::string warning;
    QElapsedTimer timer;
    timer.start();
    QVERIFY2(v.loadFolder(folder.toStdString(), &warning), warning.c_str());
    const qint64 ms = timer.elapsed();
    qInfo("loaded %zu assignments in %lld ms, %zu KiB", v.size(), static_cast<long long>(ms),
          v.memoryUsed() / 1024);
    QVERIFY(v.size() > 40000);
    QVERIFY(v.memoryUsed() < 4u << 20);
    QCOMPARE(vendorOf(v, "00:00:0c:07:ac:01"), std::string("Cisco Systems, Inc"));
    QCOMPARE(vendorOf(v, "00:1b:63:00:00:01"), std::string("Apple, Inc."));
    QCOMPARE(v.lookup(mac("20:85:93:b0:00:01")).prefixBits, std::uint8_t(28));  // MA-M
    QCOMPARE(vendorOf(v, "20:85:93:b0:00:01"), std::string("IOG Products LLC"));
    QCOMPARE(vendorOf(v, "70:b3:d5:f2:f0:00"), std::string("TELEPLATFORMS"));     // MA-S
    QCOMPARE(vendorOf(v, "00:50:c2:7d:50:00"), std::string("DEUTA-WERKE GmbH"));  // IAB

    // The same data in the .csv files gives the same answers.
    QTemporaryDir csvDir;
    QVERIFY(csvDir.isValid());
    for (const char* list : {"oui", "mam", "oui36", "iab"}) {
      const QString name = QString::fromLatin1(list) + QStringLiteral(".csv");
      QVERIFY(
          QFile::link(folder + QLatin1Char('/') + name, csvDir.path() + QLatin1Char('/') + name));
    }
    OuiVendors fromCsv;
    QVERIFY2(fromCsv.loadFolder(csvDir.path().toStdString(), &warning), warning.c_str());
    QCOMPARE(fromCsv.size(), v.size());
    // Addresses in every block the .txt files list, with random low bits.
    static const QRegularExpression block(
        QStringLiteral("^([0-9A-F]{2})-([0-9A-F]{2})-([0-9A-F]{2})\\s+\\(hex\\)"),
        QRegularExpression::MultilineOption);
    std::mt19937_64 rng(1);
    int lookups = 0;
    int differences = 0;
    QStringList examples;
    for (const char* list : {"oui", "mam", "oui36", "iab"}) {
      QFile file(folder + QLatin1Char('/') + QLatin1String(list) + QStringLiteral(".txt"));
      if (!file.open(QIODevice::ReadOnly)) continue;
      const QString text = QString::fromUtf8(file.readAll());
      for (auto it = block.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        for (int k = 0; k < 4; ++k) {
          net::MacAddress m;
          const std::uint64_t r = rng();
          for (int b = 0; b < 3; ++b) {
            m.bytes[b] = static_cast<std::uint8_t>(match.captured(b + 1).toUInt(nullptr, 16));
            m.bytes[b + 3] = static_cast<std::uint8_t>(r >> (8 * b));
          }
          const MacVendor a = v.lookup(m);
          const MacVendor c = fromCsv.lookup(m);
          ++lookups;
          // Every MA-L block has a vendor (MA-M/MA-S blocks only in their own ranges).
          if (a.organization.empty() && std::string_view(list) == "oui" && ++differences <= 5) {
            examples << QString::fromStdString(m.toString() + ": no vendor");
          }
          // The .txt export drops quotation marks from names (JSC "MASSA-K" is JSC MASSA-K
          // there): compared without them.
          auto unquoted = [](std::string_view n) {
            std::string out(n);
            out.erase(std::remove(out.begin(), out.end(), '"'), out.end());
            return out;
          };
          if (unquoted(a.organization) != unquoted(c.organization) ||
              a.prefixBits != c.prefixBits) {
            if (++differences <= 5) {
              examples << QString::fromStdString(m.toString() + ": " + std::string(a.organization) +
                                                 " | " + std::string(c.organization));
            }
          }
        }
      }
    }
    QVERIFY(lookups > 150000);
    QVERIFY2(differences == 0, qPrintable(examples.join('\n')));
  }
};

QTEST_APPLESS_MAIN(TestOuiVendors)
#include "tst_oui_vendors.moc"
