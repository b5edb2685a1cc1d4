// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

#include "node/demo/demo_frame.h"
#include "node/demo/demo_random.h"
#include "node/demo/frame_builder.h"

namespace netlens::node::demo {

/// Who takes part in the demo call and when. Times are Unix nanoseconds at the capture point.
struct VoipCallParams {
  DemoHost phone;  // the caller, on the local network
  DemoHost pbx;    // SIP registrar and proxy
  DemoHost media;  // the PBX's media relay: the far end of both RTP streams
  std::string user = "1001";
  std::string displayName = "Alice Example";
  std::string callee = "1002";
  std::string domain = "sip.example.com";
  std::int64_t registerAtNs = 0;
  std::int64_t inviteAtNs = 0;
  std::int64_t ringNs = 3'000'000'000;
  std::int64_t talkNs = 20'000'000'000;
  std::int64_t rttNs = 24'000'000;
  std::uint16_t phoneRtpPort = 40000;
  std::uint16_t mediaRtpPort = 30000;
};

/// A SIP phone's registration with digest authentication and one call over UDP 5060:
/// INVITE with SDP (retransmitted once: the first copy is lost), 100 Trying, 180 Ringing,
/// 200 OK with SDP, ACK, G.711 µ-law RTP both ways (20 ms, 160-byte payloads of a 440 Hz
/// tone out and a 660 Hz tone back; the inbound stream has network jitter and a few lost
/// packets), then BYE and 200 OK. Single-threaded; frames go to the FrameBuilder.
class VoipCall {
 public:
  VoipCall(FrameBuilder& out, DemoRandom random, VoipCallParams params);

  void generate();

 private:
  std::string hex(int digits);
  std::string via(const std::string& branch) const;
  std::string sdp(const DemoHost& host, std::uint16_t port, const std::string& user,
                  std::uint64_t sessionId) const;
  void sendFromPhone(std::int64_t t, const std::string& message);
  void sendToPhone(std::int64_t t, const std::string& message);
  void registerPhone(std::int64_t t);
  void rtpStream(std::int64_t start, std::int64_t end, bool fromPhone);

  FrameBuilder& m_out;
  DemoRandom m_random;
  VoipCallParams m_p;
  std::string m_phoneAddress;  // the phone's IP as text
};

}  // namespace netlens::node::demo
