// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>

#include <string>
#include <vector>

#include "app/models/capture_query.h"
#include "shared/protocol/messages.h"

namespace netlens::app::models {

/// The queries of a call's downloads. Thread: any (pure).
class CallQueries {
  Q_DECLARE_TR_FUNCTIONS(CallQueries)

 public:
  /// "Download call PCAP…": the SIP messages and RTP packets of the call. The "connection"
  /// criterion names every flow the call's SIP messages and RTP streams used (both directions
  /// of each address and port pair, UDP or TCP as seen, at the innermost IP header: through
  /// tags and tunnels) over the call's time, from its first message to the last SIP message
  /// or RTP packet (open while the call runs). Empty params when the call has no message or
  /// stream to name.
  static CaptureQuery pcapOf(const protocol::CallRecord& call,
                             const std::vector<protocol::RtpStreamRecord>& streams);

  /// "Save audio…" of a call: the "audio" parameters and a title for the Captures list.
  static CaptureQuery audioOfCall(const protocol::CallRecord& call);
  /// "Save audio…" of one stream: its SSRC and both endpoints.
  static CaptureQuery audioOfStream(const protocol::RtpStreamRecord& stream);
};

}  // namespace netlens::app::models
