// SPDX-License-Identifier: MIT
// The batch reader gives what `pread` gives, through io_uring and without it: ranges here and
// there in two files, more of them than one batch holds, in any order, ranges running past
// the end of a file (fewer bytes), wholly past it (none), empty ones and no file (an
// error). A segment file read ahead through it gives the same records as read one by one,
// and a record the index places wrongly (read ahead short) is still read the plain way.

#include <fcntl.h>
#include <unistd.h>

#include <QTemporaryDir>
#include <QTest>
#include <random>
#include <string>
#include <vector>

#include "node/store/batch_reader.h"
#include "node/store/segment_file.h"
#include "shared/pcap/pcap_writer.h"

using netlens::node::store::BatchReader;
using netlens::node::store::SegmentFile;
using netlens::node::store::SegmentRecord;
namespace pcap = netlens::pcap;

namespace {

std::string writeFile(const QTemporaryDir& dir, const char* name, std::size_t size, unsigned seed) {
  std::string bytes(size, '\0');
  std::mt19937 random(seed);
  for (auto& c : bytes) c = static_cast<char>(random());
  const std::string path = dir.filePath(name).toStdString();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || ::write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size()))
    qFatal("cannot write %s", path.c_str());
  ::close(fd);
  return path;
}

/// What `pread` gives for `r` (the expected result and bytes).
std::pair<std::int64_t, std::string> expected(const BatchReader::Request& r) {
  std::string bytes(r.length, '\0');
  const ssize_t got = ::pread(r.fd, bytes.data(), r.length, static_cast<off_t>(r.offset));
  if (got < 0) return {-errno, {}};
  bytes.resize(static_cast<std::size_t>(got));
  return {got, bytes};
}

}  // namespace

class TestBatchReader : public QObject {
  Q_OBJECT

 private slots:
  void readsWhatPreadReads_data();
  void readsWhatPreadReads();
  void segmentReadAhead_data();
  void segmentReadAhead();
};

void TestBatchReader::readsWhatPreadReads_data() {
  QTest::addColumn<bool>("useRing");
  QTest::newRow("io_uring") << true;
  QTest::newRow("pread") << false;
}

void TestBatchReader::readsWhatPreadReads() {
  QFETCH(bool, useRing);
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string a = writeFile(dir, "a", 300'000, 1);
  const std::string b = writeFile(dir, "b", 5'000, 2);
  const int fa = ::open(a.c_str(), O_RDONLY | O_CLOEXEC);
  const int fb = ::open(b.c_str(), O_RDONLY | O_CLOEXEC);
  QVERIFY(fa >= 0 && fb >= 0);

  std::vector<BatchReader::Request> requests;
  std::mt19937 random(7);
  for (int i = 0; i < 3 * int{BatchReader::kRingEntries} + 5; ++i) {
    const bool inA = i % 3 != 0;
    const std::uint64_t size = inA ? 300'000 : 5'000;
    BatchReader::Request r;
    r.fd = inA ? fa : fb;
    r.offset = random() % size;
    r.length = 1 + random() % 2'000;
    requests.push_back(r);
  }
  requests.push_back({fb, 4'990, 100});  // runs past the end: 10 bytes
  requests.push_back({fb, 6'000, 100});  // wholly past it: none
  requests.push_back({fa, 100, 0});      // empty
  requests.push_back({-1, 0, 16});       // no file: an error (EBADF)
  requests.push_back({fa, 299'999, 1});  // the last byte
  std::vector<std::string> buffers(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    buffers[i].assign(requests[i].length, '\0');
    requests[i].into = reinterpret_cast<std::uint8_t*>(buffers[i].data());
    requests[i].result = 12345;
  }

  BatchReader reader(useRing);
  for (int round = 0; round < 2; ++round) {  // the ring is reused
    reader.read(requests);
    if (!useRing) QVERIFY(!reader.usesRing());
    for (std::size_t i = 0; i < requests.size(); ++i) {
      const auto [result, bytes] = expected(requests[i]);
      QCOMPARE(requests[i].result, result);
      if (result > 0) QCOMPARE(buffers[i].substr(0, static_cast<std::size_t>(result)), bytes);
    }
  }
  if (useRing && !reader.usesRing())
    qInfo("io_uring is not available here: both rows read with pread");
  ::close(fa);
  ::close(fb);
}

void TestBatchReader::segmentReadAhead_data() {
  QTest::addColumn<bool>("useRing");
  QTest::newRow("io_uring") << true;
  QTest::newRow("pread") << false;
}

void TestBatchReader::segmentReadAhead() {
  QFETCH(bool, useRing);
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string path = dir.filePath("0000000001.pcap").toStdString();
  pcap::PcapWriter writer;
  std::string error;
  QVERIFY2(writer.open(path, 1, pcap::kDefaultSnapLength, &error), error.c_str());
  std::vector<std::uint64_t> offsets;
  std::vector<std::string> payloads;
  std::mt19937 random(3);
  for (int i = 0; i < 200; ++i) {
    offsets.push_back(writer.bytesWritten());
    std::string payload(20 + random() % (i % 50 == 0 ? 9'000 : 1'400), '\0');
    for (auto& c : payload) c = static_cast<char>(random());
    payloads.push_back(payload);
    QVERIFY(writer.writePacket(1'700'000'000'000'000'000 + i,
                               {reinterpret_cast<const std::uint8_t*>(payload.data()),
                                static_cast<std::uint32_t>(payload.size())},
                               static_cast<std::uint32_t>(payload.size() + i), &error));
  }
  QVERIFY(writer.close(&error));
  const std::uint64_t size = writer.bytesWritten();
  std::vector<std::uint64_t> ends(offsets.begin() + 1, offsets.end());
  ends.push_back(size);

  // Every other record, one end unknown (0) and one wrong (too short: the index and the file
  // disagree, so the record is read again the plain way).
  std::vector<std::uint64_t> chosen;
  std::vector<std::uint64_t> chosenEnds;
  std::vector<std::size_t> which;
  for (std::size_t i = 0; i < offsets.size(); i += 2) {
    chosen.push_back(offsets[i]);
    chosenEnds.push_back(i == 10 ? 0 : i == 20 ? offsets[i] + 20 : ends[i]);
    which.push_back(i);
  }
  BatchReader reader(useRing);
  SegmentFile file(path, size);
  QVERIFY(file.isOpen());
  const std::size_t batch = 16;
  for (std::size_t k = 0; k < chosen.size(); ++k) {
    if (k % batch == 0) {
      const std::size_t n = std::min(batch, chosen.size() - k);
      file.readAhead(reader, std::span(chosen).subspan(k, n), std::span(chosenEnds).subspan(k, n));
    }
    SegmentRecord record;
    QVERIFY(file.record(chosen[k], &record, chosenEnds[k]));
    const std::string& payload = payloads[which[k]];
    QCOMPARE(std::size_t{record.capturedLength}, payload.size());
    QCOMPARE(std::size_t{record.wireLength}, payload.size() + which[k]);
    QCOMPARE(record.timestampNs, 1'700'000'000'000'000'000 + std::int64_t(which[k]));
    QCOMPARE(std::string(reinterpret_cast<const char*>(record.data), record.capturedLength),
             payload);
  }
  // A record cut off by the size given: not complete, read ahead or not.
  SegmentFile shorter(path, size - 1);
  const std::uint64_t last = offsets.back();
  shorter.readAhead(reader, std::span(&last, 1), std::span(&size, 1));
  SegmentRecord record;
  QVERIFY(!shorter.record(last, &record, size));
}

QTEST_GUILESS_MAIN(TestBatchReader)
#include "tst_batch_reader.moc"
