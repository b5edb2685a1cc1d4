// SPDX-License-Identifier: MIT
// Wire protocol, envelopes: the operation registry, request and reply round trips, and the
// error code a bad request is answered with.

#include <QTest>

#include "tests/common/protocol_fixtures.h"

using namespace netlens;
using namespace netlens::protocol;
using namespace netlens::tests;

Q_DECLARE_METATYPE(std::string)

class TestProtocolEnvelope : public QObject {
  Q_OBJECT

 private slots:
  void registry();
  void requestRoundTrip();
  void replyRoundTrip();
  void requestErrorCodes_data();
  void requestErrorCodes();
};

void TestProtocolEnvelope::registry() {
  // Ids start at 1 and increase, names unique: the append-only contract. Id 5 is reserved
  // (for "history"), so ids may have that gap.
  QCOMPARE(static_cast<int>(kOperations[0].id), 1);
  for (std::size_t i = 0; i < kOperations.size(); ++i) {
    if (i > 0) QVERIFY(kOperations[i].id > kOperations[i - 1].id);
    for (std::size_t j = i + 1; j < kOperations.size(); ++j)
      QVERIFY(kOperations[i].name != kOperations[j].name);
  }
  QCOMPARE(static_cast<int>(findOperation("groups")->id), 6);
  QVERIFY(!findOperation("groups")->adminOnly);
  QCOMPARE(static_cast<int>(findOperation("set-groups")->id), 7);
  QVERIFY(findOperation("set-groups")->adminOnly);
  QVERIFY(!findOperation("hosts")->adminOnly);
  QCOMPARE(findOperation("hello")->id, OperationId::Hello);
  QCOMPARE(findOperation("hosts")->id, OperationId::Hosts);
  QCOMPARE(findOperation("global")->id, OperationId::Global);
  QCOMPARE(findOperation("history")->id, OperationId::History);
  QCOMPARE(static_cast<int>(OperationId::History), 5);  // on the wire by name; ids for tables
  QVERIFY(findOperation("nope") == nullptr);
  QCOMPARE(operationName(OperationId::Hosts), std::string_view("hosts"));
}

void TestProtocolEnvelope::requestRoundTrip() {
  Request r;
  r.requestId = 0xFFFFFFFFFFFFFFFFull;
  r.operation = "hosts";
  r.params = {{"filter", "(ip.src == 10.0.0.1)"}, {"bpf", std::string("\0\x01\xff", 3)}};
  Result<Request> d = decodeRequest(encodeRequest(r));
  QVERIFY2(d.ok(), d.error().c_str());
  QCOMPARE(d->version, kProtocolVersion);
  QCOMPARE(d->requestId, r.requestId);
  QCOMPARE(d->operation, r.operation);
  QVERIFY(d->params == r.params);
}

void TestProtocolEnvelope::replyRoundTrip() {
  Request req;
  req.requestId = 5;
  req.operation = "hello";
  const std::string body = encodeBody(sampleHello());
  Result<Reply> ok = decodeReply(encodeReply(makeReply(req, body)));
  QVERIFY2(ok.ok(), ok.error().c_str());
  QVERIFY(!ok->isError());
  QCOMPARE(ok->requestId, std::uint64_t(5));
  QCOMPARE(ok->operation, std::string("hello"));
  QCOMPARE(ok->body, body);
  QVERIFY(*decodeBody<Hello>(ok->body) == sampleHello());

  Result<Reply> err = decodeReply(
      encodeReply(makeErrorReply(6, "hosts", ErrorCode::NotAuthorised, "viewers may not do this")));
  QVERIFY2(err.ok(), err.error().c_str());
  QVERIFY(err->isError());
  QCOMPARE(err->requestId, std::uint64_t(6));
  QCOMPARE(err->error->code, ErrorCode::NotAuthorised);
  QCOMPARE(err->error->message, std::string("viewers may not do this"));
  QVERIFY(err->body.empty());
  QCOMPARE(errorCodeName(ErrorCode::NotAuthorised), std::string_view("not authorised"));
}

void TestProtocolEnvelope::requestErrorCodes_data() {
  QTest::addColumn<std::string>("bytes");
  QTest::addColumn<int>("code");
  QTest::addColumn<quint64>("requestId");
  using B = MsgpackBuilder;
  QTest::newRow("garbage") << std::string("\xc1") << int(ErrorCode::BadRequest) << quint64(0);
  QTest::newRow("version")
      << B().map(3).str("v").uint(9).str("id").uint(41).str("op").str("hello").bytes()
      << int(ErrorCode::UnsupportedVersion) << quint64(41);
  QTest::newRow("unknown op")
      << B().map(3).str("v").uint(1).str("id").uint(42).str("op").str("zz").bytes()
      << int(ErrorCode::UnknownOperation) << quint64(42);
  QTest::newRow("bad params") << B().map(4)
                                     .str("v")
                                     .uint(1)
                                     .str("id")
                                     .uint(43)
                                     .str("op")
                                     .str("hello")
                                     .str("p")
                                     .array(0)
                                     .bytes()
                              << int(ErrorCode::BadRequest) << quint64(43);
}

void TestProtocolEnvelope::requestErrorCodes() {
  QFETCH(std::string, bytes);
  QFETCH(int, code);
  QFETCH(quint64, requestId);
  ErrorCode got = ErrorCode::Internal;
  std::uint64_t id = 0;
  QVERIFY(!decodeRequest(bytes, &got, &id).ok());
  QCOMPARE(int(got), code);
  QCOMPARE(quint64(id), requestId);
}

QTEST_GUILESS_MAIN(TestProtocolEnvelope)
#include "tst_protocol_envelope.moc"
