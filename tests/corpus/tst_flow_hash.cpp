// SPDX-License-Identifier: MIT
// The capture thread shards packets with quickFlowHash() when it can and falls back to a full
// decode otherwise. Both must agree, or one flow would be split between workers.
#include <QDir>
#include <QTest>

#include "node/capture/pcap_source.h"
#include "shared/decoder/flow_hash.h"
#include "shared/decoder/packet_decoder.h"

using namespace netlens;

class TestFlowHash : public QObject {
  Q_OBJECT
 private slots:
  void quickEqualsFull_data() {
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(NETLENS_SHARED_DATA "/pcaps"));
    const auto files = dir.entryList({"*.pcap", "*.pcapng"}, QDir::Files, QDir::Name);
    QVERIFY(files.size() > 50);
    for (const auto& f : files) QTest::newRow(qPrintable(f)) << dir.filePath(f);
  }

  void quickEqualsFull() {
    QFETCH(QString, path);
    std::string error;
    auto source = node::capture::PcapSource::openFile(path.toStdString(), &error);
    if (!source) QSKIP(qPrintable("not readable: " + QString::fromStdString(error)));
    decoder::DecodedPacket packet;
    node::capture::RawPacket raw;
    int quick = 0;
    while (source->next(raw) == node::capture::ReadStatus::Packet) {
      const auto fast = decoder::quickFlowHash(raw.linkType, raw.data, raw.capturedLength);
      if (!fast) continue;
      ++quick;
      decoder::PacketDecoder::decode(raw.linkType, raw.data, raw.capturedLength, raw.wireLength,
                                     raw.timestampNs, packet);
      QCOMPARE(*fast, decoder::symmetricFlowHash(packet));
    }
    qInfo("%d frames took the quick path", quick);
  }
};

QTEST_GUILESS_MAIN(TestFlowHash)
#include "tst_flow_hash.moc"
