// SPDX-License-Identifier: MIT
#include "node/analysis/tcp_stream_cursor.h"

namespace netlens::node::analysis {

StreamChunk TcpStreamCursor::accept(std::uint32_t seq, std::uint8_t tcpFlags,
                                    const std::uint8_t* payload, std::uint32_t capturedLength,
                                    std::uint32_t segmentLength) {
  using namespace decoder::tcpflag;
  StreamChunk out;
  if (payload == nullptr) capturedLength = 0;
  if (segmentLength < capturedLength) segmentLength = capturedLength;
  // A reset's sequence number need not be in the window (RFC 5961 challenges), and it ends
  // the stream anyway.
  if ((tcpFlags & kRst) != 0) return out;

  if ((tcpFlags & kSyn) != 0) {
    if (!m_synSeen || seq != m_isn) {
      m_isn = seq;
      m_next = seq + 1;
      m_started = true;
      m_synSeen = true;
      m_finished = false;
    }
    ++seq;  // data on a SYN (TCP Fast Open) follows the SYN's own sequence number
  } else if (!m_started) {
    // Mid-connection start; even a pure ACK tells where the stream stands.
    m_next = seq;
    m_started = true;
  }
  if (m_finished) return out;

  // Serial-number arithmetic (RFC 1982): the signed distance handles wrap-around.
  const auto offset = static_cast<std::int32_t>(seq - m_next);
  std::uint32_t skip = 0;
  if (offset > 0) {
    out.gapBefore = static_cast<std::uint32_t>(offset);
    m_next = seq;
  } else if (offset < 0) {
    skip = static_cast<std::uint32_t>(-static_cast<std::int64_t>(offset));
  }

  if (skip < segmentLength) {
    if (skip < capturedLength) {
      out.data = payload + skip;
      out.length = capturedLength - skip;
    }
    out.gapAfter = segmentLength - (skip > capturedLength ? skip : capturedLength);
    m_next = seq + segmentLength;
  }
  if ((tcpFlags & kFin) != 0 && seq + segmentLength == m_next) {
    out.fin = true;
    m_finished = true;
    ++m_next;
  }
  return out;
}

}  // namespace netlens::node::analysis
