// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace netlens::voip {

/// One a=rtpmap line (RFC 4566 section 6): payload type → encoding name and clock rate.
struct SdpRtpmap {
  std::uint8_t payloadType = 0;
  std::string_view encoding;  ///< "PCMA", "telephone-event"... as written
  std::uint32_t clockRate = 0;
};

/// One m= line with the c= that applies to it (its own, else the session's).
struct SdpMedia {
  std::string_view type;                   ///< "audio", "video", "image"...
  std::uint16_t port = 0;                  ///< 0: the stream is rejected / disabled
  std::string_view transport;              ///< "RTP/AVP", "udptl"...
  std::string_view address;                ///< the connection address, without /ttl; may be empty
  std::vector<std::uint8_t> payloadTypes;  ///< the fmt list, when it is numeric (RTP)
  std::vector<SdpRtpmap> rtpmaps;
};

/// A session description. Views into the text given to parseSdp.
struct SdpSession {
  std::string_view address;  ///< session-level c=
  std::vector<SdpMedia> media;
};

/// Parses an SDP body (lines "x=value", CR LF or LF). Unknown lines are skipped; a malformed
/// m=, c= or a=rtpmap line is skipped (counted in `malformedLines`). False when the text has
/// no "v=" line at all. Allocates (vectors); meant for signalling, not per RTP packet.
/// Thread-safe (no state).
bool parseSdp(std::string_view text, SdpSession& out, std::uint32_t* malformedLines = nullptr);

}  // namespace netlens::voip
