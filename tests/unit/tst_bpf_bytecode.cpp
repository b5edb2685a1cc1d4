// SPDX-License-Identifier: MIT
// BPF sent as bytecode (the text tcpdump -ddd prints): a valid program gives exactly the
// answer of the same filter compiled from text on every packet of a corpus capture; bad
// programs (out-of-range jumps, unknown opcodes, oversized, malformed text, no final return)
// are refused with a message that says what is wrong.

#include <pcap/pcap.h>

#include <QTest>
#include <string>

#include "node/capture/bpf_filter.h"
#include "node/store/search_request.h"

using netlens::node::capture::BpfFilter;

namespace {

/// `expression` compiled by libpcap for Ethernet, written as tcpdump -ddd writes it.
std::string bytecodeOf(const char* expression) {
  pcap_t* dead = pcap_open_dead(DLT_EN10MB, 262144);
  bpf_program program{};
  std::string text;
  if (pcap_compile(dead, &program, expression, 1, PCAP_NETMASK_UNKNOWN) == 0) {
    text = std::to_string(program.bf_len);
    for (u_int i = 0; i < program.bf_len; ++i) {
      const bpf_insn& in = program.bf_insns[i];
      text += '\n' + std::to_string(in.code) + ' ' + std::to_string(in.jt) + ' ' +
              std::to_string(in.jf) + ' ' + std::to_string(in.k);
    }
    pcap_freecode(&program);
  }
  pcap_close(dead);
  return text;
}

QString refusal(const std::string& text) {
  std::string error;
  const auto filter = BpfFilter::fromBytecode(text, &error);
  return filter ? QString() : QString::fromStdString(error);
}

}  // namespace

class TestBpfBytecode : public QObject {
  Q_OBJECT

 private slots:
  void validProgramMatchesTheExpression_data() {
    QTest::addColumn<QString>("expression");
    for (const char* e : {"tcp", "udp port 53", "host 192.168.1.1 or ip6", "tcp[13] & 2 != 0"})
      QTest::newRow(e) << QString::fromLatin1(e);
  }

  void validProgramMatchesTheExpression() {
    QFETCH(QString, expression);
    const std::string code = bytecodeOf(expression.toLatin1().constData());
    QVERIFY(!code.empty());
    std::string error;
    const auto fromCode = BpfFilter::fromBytecode(code, &error);
    QVERIFY2(fromCode, error.c_str());
    const auto fromText = BpfFilter::compile(expression.toStdString(), DLT_EN10MB, &error);
    QVERIFY2(fromText, error.c_str());
    // The same program with commas between instructions (iptables' form) works too.
    std::string commas = code;
    for (char& c : commas) c = c == '\n' ? ',' : c;
    QVERIFY(BpfFilter::fromBytecode(commas, &error));

    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_open_offline(
        NETLENS_SHARED_DATA "/pcaps/many_protocols_vlan_http_dns_tls.pcap", errbuf);
    QVERIFY2(p, errbuf);
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    int packets = 0;
    int matched = 0;
    while (pcap_next_ex(p, &header, &data) == 1) {
      ++packets;
      const bool a = fromCode->matches(data, header->caplen, header->len);
      QCOMPARE(a, fromText->matches(data, header->caplen, header->len));
      matched += a;
    }
    pcap_close(p);
    QVERIFY(packets > 100);
    QVERIFY(matched > 0 && matched < packets);
  }

  void badProgramsAreRefused_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << ""
                           << "must start with the number of instructions";
    QTest::newRow("words") << "two,6 0 0 0"
                           << "must start with the number of instructions";
    QTest::newRow("count mismatch") << "3,6 0 0 0"
                                    << "says 3 instructions but has 1";
    QTest::newRow("oversized") << "5000,6 0 0 0"
                               << "a program has 1 to 4096";
    QTest::newRow("not four numbers") << "1,6 0 0"
                                      << "is not \"code jt jf k\"";
    QTest::newRow("jt too big") << "1,21 300 0 1"
                                << "is not \"code jt jf k\"";
    QTest::newRow("negative") << "1,6 0 0 -1"
                              << "is not \"code jt jf k\"";
    // ldh [12]; jeq #0x800 jt +5 jf 0 — past the end of a 3-instruction program.
    QTest::newRow("jump past the end") << "3,40 0 0 12,21 5 0 2048,6 0 0 0"
                                       << "instruction 1 jumps to instruction 7, beyond";
    QTest::newRow("ja past the end") << "2,5 0 0 9,6 0 0 0"
                                     << "jumps to instruction 10";
    QTest::newRow("unknown opcode") << "2,255 0 0 0,6 0 0 0"
                                    << "instruction 0 has an unknown opcode (255)";
    // Opcodes libpcap's validator lets through but its interpreter would abort on.
    QTest::newRow("ret x") << "1,14 0 0 0"
                           << "has an unknown opcode (14)";
    QTest::newRow("misc op") << "2,15 0 0 0,6 0 0 0"
                             << "has an unknown opcode (15)";
    QTest::newRow("bad alu op") << "2,244 0 0 1,6 0 0 0"
                                << "has an unknown opcode (244)";
    QTest::newRow("scratch index") << "2,2 0 0 16,6 0 0 0"
                                   << "refused by libpcap's validator";
    QTest::newRow("division by zero") << "3,0 0 0 1,52 0 0 0,22 0 0 0"
                                      << "refused by libpcap's validator";
    QTest::newRow("no final return") << "1,40 0 0 12"
                                     << "refused by libpcap's validator";
  }

  void badProgramsAreRefused() {
    QFETCH(QString, text);
    QFETCH(QString, message);
    const QString error = refusal(text.toStdString());
    QVERIFY2(error.contains(message), qPrintable(error));
  }

  void searchRequestRefusesBadBytecode() {
    netlens::node::store::SearchRequest request;
    std::string problem;
    QVERIFY(!netlens::node::store::parseSearchRequest({{"bpf-code", "1,40 0 0 12"}}, &request,
                                                      &problem));
    QVERIFY2(problem.find("parameter bpf-code: BPF bytecode refused") == 0, problem.c_str());
    QVERIFY2(netlens::node::store::parseSearchRequest({{"bpf-code", bytecodeOf("tcp")}}, &request,
                                                      &problem),
             problem.c_str());
    QVERIFY(!request.criteria.bpfCode.empty());
  }
};

QTEST_GUILESS_MAIN(TestBpfBytecode)
#include "tst_bpf_bytecode.moc"
