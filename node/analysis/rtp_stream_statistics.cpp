// SPDX-License-Identifier: MIT
#include "node/analysis/rtp_stream_statistics.h"

#include <cmath>

#include "shared/voip/rtp_payload_types.h"

namespace netlens::node::analysis {

std::int64_t RtpStreamStatistics::expected() const {
  if (m_packets == 0) return 0;
  return static_cast<std::int64_t>(m_stopSeq) + 65536LL * m_cycles - m_startSeq + 1;
}

void RtpStreamStatistics::add(std::int64_t timeNs, std::uint16_t sequence, std::uint32_t timestamp,
                              std::uint8_t payloadType, bool marker, std::uint32_t clockRate) {
  if (m_packets == 0) {
    m_firstNs = m_lastNs = timeNs;
    m_startSeq = m_stopSeq = m_seq = sequence;
    m_firstTimestamp = m_lastTimestamp = timestamp;
    m_payloadType = payloadType;
    m_packets = 1;
    return;
  }
  // Milliseconds relative to the stream's start keep full precision in a double.
  const double now = static_cast<double>(timeNs - m_firstNs) / 1e6;
  m_lastNs = timeNs;

  // Wrap-arounds: a number below the first one means a new cycle has begun; one above it
  // again ends the "under" phase. (Late packets around the wrap can fool this, as they fool
  // Wireshark; agreeing with it matters more here.)
  if (sequence < m_startSeq && !m_under) {
    ++m_cycles;
    m_under = true;
  } else if (sequence == 0 && m_stopSeq == 65535 && !m_under) {
    ++m_cycles;
    m_under = true;
  } else if (sequence > m_startSeq && m_under) {
    m_under = false;
  }

  const int last = m_seq;
  const int seq = sequence;
  if (last + 1 == seq || (last == 65535 && seq == 0)) {
    m_seq = sequence;
  } else if (last + 1 < seq || last - seq > 0xFF00) {
    m_seq = sequence;  // a jump forward: packets lost (or a wrap with its packets lost)
    ++m_sequenceErrors;
  } else {
    ++m_sequenceErrors;  // late or repeated
    if (seq == last) ++m_duplicates;
  }

  const bool comfortNoise = voip::isComfortNoise(payloadType);
  const bool followsComfortNoise = voip::isComfortNoise(m_payloadType);
  m_payloadType = payloadType;

  // Whole kilohertz, as Wireshark divides: a clock below 1 kHz gives no jitter.
  const std::uint32_t kHz = clockRate / 1000;
  if (kHz != 0) {
    const double nominal =
        static_cast<double>(static_cast<std::uint32_t>(timestamp - m_firstTimestamp)) / kHz;
    const double expectedArrival = m_time + (nominal - m_lastNominal);
    const double diff = std::fabs(now - expectedArrival);
    m_jitter = (15 * m_jitter + diff) / 16;
    m_delta = now - m_time;
    m_lastNominal = nominal;
  }

  bool wrongTimestamp = false;
  if (marker) wrongTimestamp = !(timestamp > m_lastTimestamp);
  if (!marker && !comfortNoise && !followsComfortNoise && !wrongTimestamp) {
    if (m_delta > m_maxDelta) m_maxDelta = m_delta;
    if (kHz != 0) {
      if (m_jitter > m_maxJitter) m_maxJitter = m_jitter;
      const double n = static_cast<double>(m_packets - 1);
      m_meanJitter = (m_meanJitter * n + m_jitter) / (n + 1);
    }
  }
  m_time = now;
  m_lastTimestamp = timestamp;
  m_stopSeq = sequence;
  ++m_packets;
}

}  // namespace netlens::node::analysis
