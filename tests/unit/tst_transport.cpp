// SPDX-License-Identifier: MIT
// Transport: key files and their permissions, connection strings, authorized_keys, and a
// real CURVE ROUTER + PUB server on 127.0.0.1 (ephemeral ports) with the ZAP handler, to
// check that every client failure is classified correctly and within its timeout.

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shared/protocol/codec.h"
#include "shared/transport/authorized_keys.h"
#include "shared/transport/connection_string.h"
#include "shared/transport/control_client.h"
#include "shared/transport/keys.h"
#include "shared/transport/server_socket.h"
#include "shared/transport/subscriber.h"
#include "shared/transport/zap_handler.h"

using namespace netlens;
using namespace netlens::transport;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

/// The transport promises to answer within a request's timeout; this much slack absorbs
/// a loaded machine or a sanitizer build without turning the check into a speed test.
constexpr qint64 kSlackMs = 2000;

// Fixed, valid Z85 keys for parsing tests (the ZeroMQ RFC 26 test vectors' public keys).
const std::string kKeyA = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
const std::string kKeyB = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
const std::string kKeyWithAmp = "abcde&ghij?lmno=qrstv#wxyA%BCD.EFGH:IJKL";

unsigned modeOf(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return 0xFFFF;
  return st.st_mode & 07777;
}

void writeFile(const fs::path& p, const std::string& text, unsigned mode = 0600) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
  ::chmod(p.c_str(), mode);
}

/// A port on 127.0.0.1 that nothing listens on (bound and released by the kernel's choice).
std::uint16_t unusedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

/// An in-process node: ZAP handler, CURVE ROUTER answering "hello" with the caller's role
/// (and never answering "global", to provoke timeouts), CURVE PUB.
class TestServer {
 public:
  explicit TestServer(AuthorizedKeys keys) : m_zap(m_context, std::move(keys), logger()) { init(); }
  explicit TestServer(const fs::path& authorizedKeysFile)
      : m_zap(m_context, authorizedKeysFile, logger()) {
    init();
  }
  ~TestServer() {
    m_stop = true;
    if (m_thread.joinable()) m_thread.join();
    m_router.close();
    m_pub.close();
    m_zap.stop();
  }

  ConnectionString connection() const {
    return ConnectionString{"127.0.0.1", m_port, m_keys.publicKey};
  }
  std::uint16_t publisherPort() const { return m_pubPort; }
  ZapHandler& zap() { return m_zap; }
  std::vector<std::string> logLines() {
    std::lock_guard lock(m_logMutex);
    return m_log;
  }
  void publish(const std::string& topic, const std::string& body) {
    std::lock_guard lock(m_pubMutex);
    m_pending.emplace_back(topic, body);
  }

 private:
  ZapHandler::Logger logger() {
    return [this](std::string_view line) {
      std::lock_guard lock(m_logMutex);
      m_log.emplace_back(line);
    };
  }

  void init() {
    m_keys = *generateKeyPair();
    QVERIFY(m_zap.start().ok());  // before any server socket binds
    QVERIFY(configureCurveServer(m_router, m_keys).ok());
    QVERIFY(configureCurveServer(m_pub, m_keys).ok());
    auto port = bindTcp(m_router, "127.0.0.1", 0);
    QVERIFY2(port.ok(), port.error().c_str());
    m_port = *port;
    auto pubPort = bindTcp(m_pub, "127.0.0.1", 0);
    QVERIFY2(pubPort.ok(), pubPort.error().c_str());
    m_pubPort = *pubPort;
    m_thread = std::thread([this] { serve(); });
  }

  void serve() {
    while (!m_stop) {
      zmq::pollitem_t items[] = {{m_router.handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, 1, 20ms);
      {
        std::lock_guard lock(m_pubMutex);
        for (const auto& [topic, body] : m_pending) transport::publish(m_pub, topic, body);
        m_pending.clear();
      }
      while (auto in = receiveRequest(m_router)) {
        protocol::ErrorCode code{};
        std::uint64_t id = 0;
        auto request = protocol::decodeRequest(in->envelope, &code, &id);
        protocol::Reply reply;
        if (!request) {
          reply = protocol::makeErrorReply(id, "", code, request.error());
        } else if (request->operation == "global") {
          continue;  // never answered
        } else {
          protocol::Hello hello;
          hello.nodeName = "test-node";
          hello.role = in->role ? std::string(roleName(*in->role)) : "";
          // The test server reports who the handler says the client is.
          hello.version = in->clientKey + " / " + in->clientComment;
          hello.publisherPort = m_pubPort;
          reply = protocol::makeReply(*request, protocol::encodeBody(hello));
        }
        sendReply(m_router, in->routingId, protocol::encodeReply(reply));
      }
    }
  }

  zmq::context_t m_context;
  ZapHandler m_zap;
  zmq::socket_t m_router{m_context, zmq::socket_type::router};
  zmq::socket_t m_pub{m_context, zmq::socket_type::pub};
  KeyPair m_keys;
  std::uint16_t m_port = 0;
  std::uint16_t m_pubPort = 0;
  std::thread m_thread;
  std::atomic<bool> m_stop{false};
  std::mutex m_logMutex;
  std::vector<std::string> m_log;
  std::mutex m_pubMutex;
  std::vector<std::pair<std::string, std::string>> m_pending;
};

AuthorizedKeys keysWith(const KeyPair& client, Role role) {
  AuthorizedKeys keys;
  keys.add(AuthorizedKey{client.publicKey, role, "test client"});
  return keys;
}

}  // namespace

Q_DECLARE_METATYPE(std::string)

class TestTransport : public QObject {
  Q_OBJECT

 private slots:
  void z85Keys_data();
  void z85Keys();
  void keyPairFilePermissions();
  void keyPairFileErrors_data();
  void keyPairFileErrors();
  void loadOrCreate();
  void connectionStrings_data();
  void connectionStrings();
  void connectionStringFormat();
  void authorizedKeysParse_data();
  void authorizedKeysParse();
  void authorizedKeysEdit();
  void bindErrors();
  void authorisedClient_data();
  void authorisedClient();
  void unknownClientKey();
  void wrongServerKey();
  void nothingListening();
  void requestTimeout();
  void zapReloadsFile();
  void subscriber();
};

void TestTransport::z85Keys_data() {
  QTest::addColumn<std::string>("key");
  QTest::addColumn<QString>("problem");
  QTest::newRow("valid") << kKeyA << "";
  QTest::newRow("valid with & ? # %") << kKeyWithAmp << "";
  QTest::newRow("short") << kKeyA.substr(1) << "is 39 characters long, expected 40";
  QTest::newRow("long") << kKeyA + "x"
                        << "is 41 characters long, expected 40";
  QTest::newRow("space") << std::string(39, 'a') + " "
                         << "contains the byte 0x20, which is not a Z85 character";
  QTest::newRow("quote") << std::string(39, 'a') + "\""
                         << "contains '\"', which is not a Z85 character";
  QTest::newRow("overflow") << std::string(40, '#')
                            << "is not valid Z85 (a 5-character group overflows)";
}

void TestTransport::z85Keys() {
  QFETCH(std::string, key);
  QFETCH(QString, problem);
  QCOMPARE(QString::fromStdString(checkZ85Key(key)), problem);
  if (problem.isEmpty()) QCOMPARE(keyFingerprint(key).size(), std::size_t(19));
}

void TestTransport::keyPairFilePermissions() {
  QTemporaryDir dir;
  const fs::path folder = fs::path(dir.path().toStdString()) / "state" / "keys";
  const fs::path file = folder / "node.key";
  const mode_t oldMask = ::umask(0);  // the most permissive umask must not leak into modes
  auto keys = generateKeyPair();
  QVERIFY(keys.ok());
  QVERIFY2(saveKeyPair(file, *keys).ok(), "save failed");
  ::umask(oldMask);
  QCOMPARE(modeOf(file), 0600u);
  QCOMPARE(modeOf(folder), 0700u);
  QCOMPARE(modeOf(folder.parent_path()), 0700u);
  auto loaded = loadKeyPair(file);
  QVERIFY2(loaded.ok(), loaded.error().c_str());
  QCOMPARE(loaded->publicKey, keys->publicKey);
  QCOMPARE(loaded->secretKey, keys->secretKey);
  QCOMPARE(*publicKeyFromSecret(keys->secretKey), keys->publicKey);
  // Overwriting keeps 0600 and leaves no temporary file behind.
  QVERIFY(saveKeyPair(file, *generateKeyPair()).ok());
  QCOMPARE(modeOf(file), 0600u);
  QCOMPARE(std::distance(fs::directory_iterator(folder), fs::directory_iterator()), 1);
  // A folder made by the user keeps its mode unless ensurePrivateFolder is asked.
  QVERIFY(ensurePrivateFolder(folder.parent_path() / "other").ok());
  QCOMPARE(modeOf(folder.parent_path() / "other"), 0700u);
  QVERIFY(ensurePrivateFolder(folder.parent_path() / "other").ok());  // existing and private
  // An existing folder open to others is refused, never re-moded (e.g. --state /tmp).
  const fs::path shared = folder.parent_path() / "shared";
  fs::create_directory(shared);
  ::chmod(shared.c_str(), 01777);
  const Status refused = ensurePrivateFolder(shared);
  QVERIFY(!refused.ok());
  QVERIFY2(refused.error().find("chmod 700") != std::string::npos, refused.error().c_str());
  QCOMPARE(modeOf(shared), 01777u);
}

void TestTransport::keyPairFileErrors_data() {
  QTest::addColumn<std::string>("contents");
  QTest::addColumn<int>("mode");
  QTest::addColumn<QString>("expected");  // after "key file <path>: "
  const KeyPair other = *generateKeyPair();
  const KeyPair good = *generateKeyPair();
  QTest::newRow("garbage") << std::string("hello world\n") << 0600
                           << "not a Netlens key pair: line 1: expected \"public <key>\" or "
                              "\"secret <key>\"";
  QTest::newRow("empty") << std::string() << 0600
                         << "not a Netlens key pair: no \"secret <key>\" line";
  QTest::newRow("short secret") << "public " + good.publicKey + "\nsecret " +
                                       good.secretKey.substr(1) + "\n"
                                << 0600
                                << "not a Netlens key pair: line 2: secret key is 39 "
                                   "characters long, expected 40";
  QTest::newRow("mismatch") << "# c\npublic " + other.publicKey + "\nsecret " + good.secretKey
                            << 0600
                            << "not a Netlens key pair: the public key does not belong to "
                               "the secret key";
  QTest::newRow("two secrets") << "secret " + good.secretKey + "\nsecret " + good.secretKey << 0600
                               << "not a Netlens key pair: line 2: a second secret key";
  QTest::newRow("world readable") << "public " + good.publicKey + "\nsecret " + good.secretKey
                                  << 0644
                                  << "permissions 0644 are too open (the secret key must be "
                                     "private); run chmod 600 %1";
}

void TestTransport::keyPairFileErrors() {
  QFETCH(std::string, contents);
  QFETCH(int, mode);
  QFETCH(QString, expected);
  QTemporaryDir dir;
  const fs::path file = fs::path(dir.path().toStdString()) / "bad.key";
  writeFile(file, contents, static_cast<unsigned>(mode));
  auto loaded = loadKeyPair(file);
  QVERIFY(!loaded.ok());
  const QString path = QString::fromStdString(file.string());
  QCOMPARE(QString::fromStdString(loaded.error()),
           "key file " + path + ": " + (expected.contains("%1") ? expected.arg(path) : expected));
  // loadOrCreate never replaces an invalid file.
  QVERIFY(!loadOrCreateKeyPair(file).ok());
}

void TestTransport::loadOrCreate() {
  QTemporaryDir dir;
  const fs::path file = fs::path(dir.path().toStdString()) / "new" / "console.key";
  auto created = loadOrCreateKeyPair(file);
  QVERIFY2(created.ok(), created.error().c_str());
  QCOMPARE(modeOf(file), 0600u);
  auto again = loadOrCreateKeyPair(file);
  QVERIFY(again.ok());
  QCOMPARE(again->secretKey, created->secretKey);
}

void TestTransport::connectionStrings_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<QString>("host");
  QTest::addColumn<int>("port");
  QTest::addColumn<QString>("key");
  QTest::addColumn<QString>("error");
  const QString a = QString::fromStdString(kKeyA);
  const QString amp = QString::fromStdString(kKeyWithAmp);
  auto good = [&](const char* name, const QString& text, const char* host, int port,
                  const QString& key) {
    QTest::newRow(name) << text << host << port << key << QString();
  };
  auto bad = [&](const char* name, const QString& text, const QString& error) {
    QTest::newRow(name) << text << "" << 0 << "" << error;
  };
  good("ipv4", "netlens://10.0.0.2:7300?key=" + a, "10.0.0.2", 7300, a);
  good("ipv6", "netlens://[2001:db8::1]:7300?key=" + a, "2001:db8::1", 7300, a);
  good("ipv6 loopback", "netlens://[::1]:1?key=" + a, "::1", 1, a);
  good("host name", "netlens://probe-3.lab.example:65535?key=" + a, "probe-3.lab.example", 65535,
       a);
  good("whitespace and case", "  NetLens://h:80?key=" + a + "\n", "h", 80, a);
  good("key with & ? # % =", "netlens://h:80?key=" + amp, "h", 80, amp);
  good("key then unknown param", "netlens://h:80?key=" + amp + "&v=2", "h", 80, amp);
  good("unknown param first", "netlens://h:80?name=x&key=" + a, "h", 80, a);
  good("slash before query", "netlens://h:80/?key=" + a, "h", 80, a);

  const QString form = "netlens://HOST:PORT?key=KEY";
  bad("empty", "  ", "empty connection string: paste the line the node printed (" + form + ")");
  bad("wrong scheme", "tcp://h:80?key=" + a,
      "a connection string starts with netlens:// (for example " + form + ")");
  bad("missing host", "netlens://:80?key=" + a, "missing host: write " + form);
  bad("nothing", "netlens://", "missing host: write " + form);
  bad("missing port", "netlens://h?key=" + a, "missing port: write " + form);
  bad("empty port", "netlens://h:?key=" + a, "missing port after ':': write " + form);
  bad("port zero", "netlens://h:0?key=" + a,
      "port 0 is out of range: use a number from 1 to 65535");
  bad("port too big", "netlens://h:65536?key=" + a,
      "port 65536 is out of range: use a number from 1 to 65535");
  bad("port huge", "netlens://h:99999999999999999999?key=" + a,
      "port 99999999999999999999 is out of range: use a number from 1 to 65535");
  bad("port not a number", "netlens://h:http?key=" + a,
      "invalid port \"http\": use a number from 1 to 65535");
  bad("bare ipv6", "netlens://::1:80?key=" + a,
      "IPv6 addresses must be in brackets: write netlens://[ADDRESS]:PORT?key=KEY");
  bad("unclosed bracket", "netlens://[::1:80?key=" + a,
      "missing ']' after the IPv6 address: write netlens://[ADDRESS]:PORT?key=KEY");
  bad("bad ipv6", "netlens://[fe80::zz]:80?key=" + a,
      "invalid IPv6 address \"fe80::zz\" (inside brackets write an IPv6 address such as [::1])");
  bad("ipv4 in brackets", "netlens://[10.0.0.1]:80?key=" + a,
      "invalid IPv6 address \"10.0.0.1\" (inside brackets write an IPv6 address such as [::1])");
  bad("bad ipv4", "netlens://300.1.1.1:80?key=" + a,
      "invalid IPv4 address \"300.1.1.1\" (four numbers from 0 to 255 separated by dots)");
  bad("bad host", "netlens://my_host:80?key=" + a,
      "invalid host name \"my_host\" (use letters, digits, '-' and '.', or an IP address)");
  bad("path", "netlens://h:80/x?key=" + a, "unexpected \"/x\" after the port: write " + form);
  const QString missingKey =
      "missing server key: add ?key=<the node's 40-character public key>; the node prints "
      "the complete connection string when it starts";
  bad("no query", "netlens://h:80", missingKey);
  bad("empty query", "netlens://h:80?", missingKey);
  bad("empty key", "netlens://h:80?key=", missingKey);
  bad("other param only", "netlens://h:80?x=1", missingKey);
  bad("short key", "netlens://h:80?key=" + a.left(39),
      "invalid server key: it is 39 characters long, expected 40; copy the complete "
      "connection string the node printed");
  bad("long key", "netlens://h:80?key=" + a + "Q",
      "invalid server key: it is 41 characters long, expected 40; copy the complete "
      "connection string the node printed");
  bad("non-Z85 key", "netlens://h:80?key=" + a.left(39) + "~",
      "invalid server key: it contains '~', which is not a Z85 character; copy the complete "
      "connection string the node printed");
  bad("two keys", "netlens://h:80?key=" + a + "&key=" + a,
      "the key parameter appears twice: keep one key=KEY");
}

void TestTransport::connectionStrings() {
  QFETCH(QString, text);
  QFETCH(QString, host);
  QFETCH(int, port);
  QFETCH(QString, key);
  QFETCH(QString, error);
  auto parsed = ConnectionString::parse(text.toStdString());
  if (!error.isEmpty()) {
    QVERIFY(!parsed.ok());
    QCOMPARE(QString::fromStdString(parsed.error()), error);
    return;
  }
  QVERIFY2(parsed.ok(), parsed.error().c_str());
  QCOMPARE(QString::fromStdString(parsed->host), host);
  QCOMPARE(int(parsed->port), port);
  QCOMPARE(QString::fromStdString(parsed->serverKey), key);
  // Formatting and parsing again gives the same value.
  auto again = ConnectionString::parse(parsed->toString());
  QVERIFY2(again.ok(), again.error().c_str());
  QVERIFY(*again == *parsed);
}

void TestTransport::connectionStringFormat() {
  ConnectionString v6{"::1", 7300, kKeyA};
  QCOMPARE(v6.toString(), "netlens://[::1]:7300?key=" + kKeyA);
  QCOMPARE(v6.endpoint(), std::string("tcp://[::1]:7300"));
  QCOMPARE(v6.endpoint(7301), std::string("tcp://[::1]:7301"));
  ConnectionString v4{"10.1.2.3", 80, kKeyA};
  QCOMPARE(v4.endpoint(), std::string("tcp://10.1.2.3:80"));
  QVERIFY(!v4.isIpv6());
}

void TestTransport::authorizedKeysParse_data() {
  QTest::addColumn<std::string>("text");
  QTest::addColumn<int>("count");
  QTest::addColumn<QString>("error");
  QTest::newRow("empty") << std::string() << 0 << "";
  QTest::newRow("comments") << std::string("# consoles\n\n   # indented\n") << 0 << "";
  QTest::newRow("two keys") << "# c\n" + kKeyA + " admin alice@laptop (desk)\r\n" + kKeyB +
                                   "\tviewer\n"
                            << 2 << "";
  QTest::newRow("bad key") << "# c\n" + kKeyA.substr(2) + " admin\n"
                           << 0
                           << "ak:2: the public key is 38 characters long, expected 40 "
                              "(expected \"<Z85 public key> <viewer|admin> <comment>\")";
  QTest::newRow("missing role") << kKeyA + "\n"
                                << 0 << "ak:1: missing role after the key: add viewer or admin";
  QTest::newRow("bad role") << kKeyA + " root x\n"
                            << 0 << "ak:1: unknown role \"root\": use viewer or admin";
  QTest::newRow("duplicate") << kKeyA + " admin\n\n" + kKeyA + " viewer\n"
                             << 0
                             << "ak:3: this key is already listed above; keep one line per key";
}

void TestTransport::authorizedKeysParse() {
  QFETCH(std::string, text);
  QFETCH(int, count);
  QFETCH(QString, error);
  auto keys = AuthorizedKeys::parse(text, "ak");
  if (!error.isEmpty()) {
    QVERIFY(!keys.ok());
    QCOMPARE(QString::fromStdString(keys.error()), error);
    return;
  }
  QVERIFY2(keys.ok(), keys.error().c_str());
  QCOMPARE(int(keys->size()), count);
  if (count == 2) {
    QCOMPARE(keys->find(kKeyA)->role, Role::Admin);
    QCOMPARE(keys->find(kKeyA)->comment, std::string("alice@laptop (desk)"));
    QCOMPARE(keys->find(kKeyB)->role, Role::Viewer);
  }
}

void TestTransport::authorizedKeysEdit() {
  QTemporaryDir dir;
  const fs::path file = fs::path(dir.path().toStdString()) / "authorized_keys";
  auto keys = *AuthorizedKeys::parse("# Netlens consoles\n" + kKeyA + " viewer bob\n", "x");
  QVERIFY(keys.add(AuthorizedKey{kKeyA, Role::Admin, "bob (promoted)"}));  // replaces
  QVERIFY(keys.add(AuthorizedKey{kKeyB, Role::Viewer, ""}));
  QVERIFY(!keys.add(AuthorizedKey{"short", Role::Viewer, ""}));
  QCOMPARE(keys.size(), std::size_t(2));
  QVERIFY(keys.save(file).ok());
  QCOMPARE(modeOf(file), 0600u);
  auto loaded = AuthorizedKeys::load(file);
  QVERIFY2(loaded.ok(), loaded.error().c_str());
  QCOMPARE(loaded->toText(),
           "# Netlens consoles\n" + kKeyA + " admin bob (promoted)\n" + kKeyB + " viewer\n");
  QVERIFY(loaded->remove(kKeyA));
  QVERIFY(!loaded->remove(kKeyA));
  QVERIFY(!loaded->find(kKeyA));
  auto missing = AuthorizedKeys::load(file.string() + ".nope");
  QVERIFY(!missing.ok());
  QVERIFY(missing.error().find("authorized_keys.nope: cannot read it") != std::string::npos);
  // Readable by others is harmless (public keys); writable by others is refused.
  ::chmod(file.c_str(), 0644);
  QVERIFY(AuthorizedKeys::load(file).ok());
  ::chmod(file.c_str(), 0666);
  auto open = AuthorizedKeys::load(file);
  QVERIFY(!open.ok());
  QVERIFY2(
      open.error().find("writable by other users (mode 0666); run chmod 600") != std::string::npos,
      open.error().c_str());
}

void TestTransport::bindErrors() {
  zmq::context_t context;
  zmq::socket_t first(context, zmq::socket_type::router);
  zmq::socket_t second(context, zmq::socket_type::router);
  auto port = bindTcp(first, "127.0.0.1", 0);
  QVERIFY(port.ok());
  auto clash = bindTcp(second, "127.0.0.1", *port);
  QVERIFY(!clash.ok());
  QCOMPARE(clash.error(), "port " + std::to_string(*port) +
                              " on 127.0.0.1 is already in use (another netlens-node running?); "
                              "choose another with --listen HOST:PORT");
  auto foreign = bindTcp(second, "192.0.2.77", 7300);  // TEST-NET-1: not on this host
  QVERIFY(!foreign.ok());
  QCOMPARE(foreign.error(),
           std::string("cannot bind to 192.0.2.77:7300: address not available on this host"));
}

void TestTransport::authorisedClient_data() {
  QTest::addColumn<int>("role");
  QTest::newRow("admin") << int(Role::Admin);
  QTest::newRow("viewer") << int(Role::Viewer);
}

void TestTransport::authorisedClient() {
  QFETCH(int, role);
  const KeyPair client = *generateKeyPair();
  TestServer server(keysWith(client, Role(role)));
  zmq::context_t context;
  ControlClient cc(context, server.connection(), client);
  QElapsedTimer timer;
  timer.start();
  RequestResult result = cc.request("hello", {}, 3000ms);
  QVERIFY2(result.ok(), result.failure().message.c_str());
  QVERIFY(timer.elapsed() < 3000 + kSlackMs);
  QVERIFY(!result.reply().isError());
  auto hello = protocol::decodeBody<protocol::Hello>(result.reply().body);
  QVERIFY2(hello.ok(), hello.error().c_str());
  QCOMPARE(hello->role, std::string(roleName(Role(role))));
  // The key from the handler's User-Id, the comment from its metadata.
  QCOMPARE(hello->version, client.publicKey + " / test client");
  QCOMPARE(hello->publisherPort, server.publisherPort());
  QCOMPARE(cc.linkState(), LinkState::Ready);
  // The connection is reused, and the node's error replies come through as replies.
  RequestResult second = cc.request("hosts", {{"x", "y"}}, 2000ms);
  QVERIFY(second.ok());
  QVERIFY(server.zap().admissions() >= 1);
}

void TestTransport::unknownClientKey() {
  const KeyPair known = *generateKeyPair();
  const KeyPair stranger = *generateKeyPair();
  TestServer server(keysWith(known, Role::Admin));
  zmq::context_t context;
  ControlClient cc(context, server.connection(), stranger);
  QElapsedTimer timer;
  timer.start();
  RequestResult result = cc.request("hello", {}, 3000ms);
  const qint64 elapsed = timer.elapsed();
  QVERIFY(!result.ok());
  QCOMPARE(result.failure().kind, FailureKind::NotAuthorised);
  QVERIFY2(result.failure().message.find("not authorised") != std::string::npos,
           result.failure().message.c_str());
  QVERIFY2(result.failure().message.find(stranger.publicKey) != std::string::npos,
           "the message should tell the admin which key to add");
  QVERIFY2(elapsed < 3000 + kSlackMs, qPrintable(QString("took %1 ms").arg(elapsed)));
  qInfo("not authorised reported after %lld ms", elapsed);
  QVERIFY(server.zap().denials() >= 1);
  bool logged = false;
  for (const auto& line : server.logLines())
    logged |= line.find("ZAP: denied") != std::string::npos &&
              line.find(keyFingerprint(stranger.publicKey)) != std::string::npos;
  QVERIFY2(logged, "denial not logged with the key fingerprint");
}

void TestTransport::wrongServerKey() {
  const KeyPair client = *generateKeyPair();
  TestServer server(keysWith(client, Role::Admin));
  ConnectionString wrong = server.connection();
  wrong.serverKey = generateKeyPair()->publicKey;
  zmq::context_t context;
  ControlClient cc(context, wrong, client);
  QElapsedTimer timer;
  timer.start();
  RequestResult result = cc.request("hello", {}, 3000ms);
  const qint64 elapsed = timer.elapsed();
  QVERIFY(!result.ok());
  QCOMPARE(result.failure().kind, FailureKind::ServerKeyMismatch);
  QVERIFY2(result.failure().message.find("server key") != std::string::npos,
           result.failure().message.c_str());
  QVERIFY2(elapsed < 3000 + kSlackMs, qPrintable(QString("took %1 ms").arg(elapsed)));
  qInfo("server key mismatch reported after %lld ms", elapsed);
}

void TestTransport::nothingListening() {
  const KeyPair client = *generateKeyPair();
  zmq::context_t context;
  ControlClient cc(context, ConnectionString{"127.0.0.1", unusedPort(), kKeyA}, client);
  QElapsedTimer timer;
  timer.start();
  RequestResult result = cc.request("hello", {}, 1000ms);
  const qint64 elapsed = timer.elapsed();
  QVERIFY(!result.ok());
  QCOMPARE(result.failure().kind, FailureKind::Unreachable);
  QVERIFY2(result.failure().message.find("unreachable") != std::string::npos,
           result.failure().message.c_str());
  QVERIFY2(elapsed >= 950 && elapsed < 1000 + kSlackMs,
           qPrintable(QString("took %1 ms").arg(elapsed)));
}

void TestTransport::requestTimeout() {
  const KeyPair client = *generateKeyPair();
  TestServer server(keysWith(client, Role::Viewer));
  zmq::context_t context;
  ControlClient cc(context, server.connection(), client);
  QElapsedTimer timer;
  timer.start();
  RequestResult result = cc.request("global", {}, 800ms);  // the test server never answers
  const qint64 elapsed = timer.elapsed();
  QVERIFY(!result.ok());
  QCOMPARE(result.failure().kind, FailureKind::Timeout);
  QVERIFY2(result.failure().message.find("timed out") != std::string::npos,
           result.failure().message.c_str());
  QVERIFY2(elapsed >= 750 && elapsed < 800 + kSlackMs,
           qPrintable(QString("took %1 ms").arg(elapsed)));
  // The next request still works (and is not confused by anything left over).
  RequestResult next = cc.request("hello", {}, 2000ms);
  QVERIFY2(next.ok(), next.failure().message.c_str());
}

void TestTransport::zapReloadsFile() {
  QTemporaryDir dir;
  const fs::path file = fs::path(dir.path().toStdString()) / "authorized_keys";
  const KeyPair client = *generateKeyPair();
  QVERIFY(AuthorizedKeys().save(file).ok());
  TestServer server(file);
  zmq::context_t context;
  {
    ControlClient cc(context, server.connection(), client);
    RequestResult refused = cc.request("hello", {}, 2000ms);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.failure().kind, FailureKind::NotAuthorised);
  }
  AuthorizedKeys keys = keysWith(client, Role::Viewer);
  QVERIFY(keys.save(file).ok());
  server.zap().reload();
  ControlClient cc(context, server.connection(), client);
  RequestResult admitted = cc.request("hello", {}, 2000ms);
  QVERIFY2(admitted.ok(), admitted.failure().message.c_str());
  QCOMPARE(protocol::decodeBody<protocol::Hello>(admitted.reply().body)->role,
           std::string("viewer"));

  // A broken file fails closed: nobody is admitted, and the reason is logged.
  writeFile(file, "this is not a key\n");
  server.zap().reload();
  ControlClient late(context, server.connection(), client);
  RequestResult closed = late.request("hello", {}, 2000ms);
  QVERIFY(!closed.ok());
  QCOMPARE(closed.failure().kind, FailureKind::NotAuthorised);
  bool logged = false;
  for (const auto& line : server.logLines())
    logged |= line.find(":1: the public key") != std::string::npos;
  QVERIFY2(logged, "the parse error of authorized_keys was not logged");
}

void TestTransport::subscriber() {
  const KeyPair client = *generateKeyPair();
  TestServer server(keysWith(client, Role::Viewer));
  zmq::context_t context;
  Subscriber sub(context, server.connection(), server.publisherPort(), client);
  sub.subscribe(protocol::kHostsTopic);
  protocol::HostsDelta delta;
  delta.sequence = 12;
  delta.global.packets = 99;
  // Publish until the subscription has reached the PUB socket (ZeroMQ's slow joiner).
  std::optional<Publication> got;
  QElapsedTimer timer;
  timer.start();
  while (!got && timer.elapsed() < 3000) {
    server.publish("hostsX", "prefix match, not our topic");
    server.publish(std::string(protocol::kHostsTopic), protocol::encodeBody(delta));
    got = sub.receive(100ms);
  }
  QVERIFY2(got.has_value(), "no publication within 3 s");
  QCOMPARE(got->topic, std::string(protocol::kHostsTopic));
  auto decoded = protocol::decodeBody<protocol::HostsDelta>(got->body);
  QVERIFY2(decoded.ok(), decoded.error().c_str());
  QVERIFY(*decoded == delta);
  QCOMPARE(sub.linkState(), LinkState::Ready);

  // A subscriber the node does not know gets nothing and can tell why.
  Subscriber stranger(context, server.connection(), server.publisherPort(), *generateKeyPair());
  stranger.subscribe(protocol::kHostsTopic);
  server.publish(std::string(protocol::kHostsTopic), protocol::encodeBody(delta));
  QVERIFY(!stranger.receive(500ms));
  QCOMPARE(stranger.linkState(), LinkState::NotAuthorised);
}

QTEST_GUILESS_MAIN(TestTransport)
#include "tst_transport.moc"
