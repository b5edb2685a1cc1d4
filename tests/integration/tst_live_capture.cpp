// SPDX-License-Identifier: MIT
// Live capture on the loopback interface: a real node on `-i lo` with a BPF filter sees
// exactly the datagrams this test sends to 127.0.0.1 and nothing else. Needs CAP_NET_RAW
// (CI runs as root); without it the test says so and skips.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString kNode = QStringLiteral(NETLENS_NODE_BINARY);

struct Run {
  int exitCode = -1;
  QByteArray out, err;
};

Run node(const QStringList& args) {
  QProcess p;
  p.start(kNode, args);
  Run r;
  if (!p.waitForFinished(20000)) {
    p.kill();
    p.waitForFinished();
    return r;
  }
  r.exitCode = p.exitCode();
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  return r;
}

/// A UDP socket bound to 127.0.0.1 on a free port (closed on destruction).
struct UdpSocket {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  ~UdpSocket() { ::close(fd); }
  quint16 bindAnyPort() {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return 0;
    socklen_t n = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
    return ntohs(a.sin_port);
  }
  bool sendTo(quint16 port, const QByteArray& data) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    return ::sendto(fd, data.constData(), data.size(), 0, reinterpret_cast<sockaddr*>(&a),
                    sizeof a) == data.size();
  }
};

}  // namespace

class TestLiveCapture : public QObject {
  Q_OBJECT
 private slots:
  void loopbackWithFilter();
  void noSuchInterfaceExplains();
};

void TestLiveCapture::loopbackWithFilter() {
  if (geteuid() != 0) QSKIP("live capture needs root or CAP_NET_RAW");
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString key = dir.filePath("client.key");
  auto k = node({"keygen", "--out", key});
  QCOMPARE(k.exitCode, 0);
  const QString state = dir.filePath("state");
  QCOMPARE(
      node({"authorize", QString::fromUtf8(k.out).trimmed(), "--role", "viewer", "--state", state})
          .exitCode,
      0);

  // A port nobody else uses on the loopback for the filter.
  UdpSocket probe;
  const quint16 port = probe.bindAnyPort();
  QVERIFY(port != 0);

  QProcess running;
  running.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  running.start(kNode, {"run", "-i", "lo", "--state", state, "--listen", "127.0.0.1:0", "udp",
                        "and", "dst", "port", QString::number(port)});
  QVERIFY(running.waitForStarted());
  QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(state + "/listen"), 10000);
  const auto cs = node({"connection-string", "--state", state, "--host", "127.0.0.1"});
  const QString url = QString::fromUtf8(cs.out).trimmed();
  QVERIFY(url.startsWith("netlens://"));
  QTest::qWait(500);  // the capture is active once the node serves; leave libpcap a moment

  UdpSocket sender;
  const int count = 25;
  for (int i = 0; i < count; ++i) QVERIFY(sender.sendTo(port, QByteArray(100, 'x')));
  // Traffic the filter must drop: another port.
  QVERIFY(sender.sendTo(quint16(port ^ 1), QByteArray(10, 'y')));

  qint64 tx = 0, rx = 0, bytes = 0;
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < 10000) {
    auto r = node({"query", url, "hosts", "--json", "--key", key});
    QCOMPARE(r.exitCode, 0);
    for (const auto& h : QJsonDocument::fromJson(r.out).object().value("hosts").toArray()) {
      const auto o = h.toObject();
      if (o.value("ip").toString() == "127.0.0.1") {
        tx = o.value("tx_packets").toInteger();
        rx = o.value("rx_packets").toInteger();
        bytes = o.value("tx_bytes").toInteger();
      }
    }
    if (tx >= count) break;
    QTest::qWait(200);
  }
  running.terminate();
  QVERIFY(running.waitForFinished(5000));
  QCOMPARE(tx, qint64(count));
  QCOMPARE(rx, qint64(count));
  // Each frame on lo: 14 (Ethernet) + 20 (IPv4) + 8 (UDP) + 100 bytes.
  QCOMPARE(bytes, qint64(count) * 142);
}

void TestLiveCapture::noSuchInterfaceExplains() {
  QTemporaryDir dir;
  auto r =
      node({"run", "-i", "nlnosuch0", "--state", dir.filePath("s"), "--listen", "127.0.0.1:0"});
  QVERIFY(r.exitCode != 0);
  QVERIFY2(r.err.contains("no such interface") || r.err.contains("no permission"),
           r.err.constData());
}

QTEST_GUILESS_MAIN(TestLiveCapture)
#include "tst_live_capture.moc"
