// SPDX-License-Identifier: MIT
#include "node/demo/voip_call.h"

#include <utility>
#include <vector>

#include "node/demo/mulaw_tone.h"

namespace netlens::node::demo {

namespace {

constexpr std::uint16_t kSipPort = 5060;
constexpr std::uint8_t kDscpSignalling = 24;  // CS3
constexpr std::uint8_t kDscpVoice = 46;       // EF
constexpr std::int64_t kPacketIntervalNs = 20'000'000;
constexpr std::int64_t kSipT1Ns = 500'000'000;
constexpr const char* kPhoneAgent = "Yealink SIP-T54W 96.86.0.100";
constexpr const char* kPbxAgent = "Asterisk PBX 20.5.0";
constexpr const char* kAllow = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY";

/// Start line, headers (each "Name: value"), Content-Length, blank line, body.
std::string sipMessage(const std::string& startLine, const std::vector<std::string>& headers,
                       const std::string& body = {}, const std::string& contentType = {}) {
  std::string m = startLine + "\r\n";
  for (const auto& h : headers) m += h + "\r\n";
  if (!body.empty()) m += "Content-Type: " + contentType + "\r\n";
  m += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return m;
}

}  // namespace

VoipCall::VoipCall(FrameBuilder& out, DemoRandom random, VoipCallParams params)
    : m_out(out),
      m_random(random),
      m_p(std::move(params)),
      m_phoneAddress(m_p.phone.ip.toString()) {}

std::string VoipCall::hex(int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < digits; ++i) s += kHex[m_random.below(16)];
  return s;
}

std::string VoipCall::via(const std::string& branch) const {
  return "Via: SIP/2.0/UDP " + m_phoneAddress + ":5060;branch=z9hG4bK" + branch + ";rport";
}

std::string VoipCall::sdp(const DemoHost& host, std::uint16_t port, const std::string& user,
                          std::uint64_t sessionId) const {
  const std::string address = host.ip.toString();
  const std::string id = std::to_string(sessionId);
  return "v=0\r\n"
         "o=" +
         user + " " + id + " " + id + " IN IP4 " + address +
         "\r\n"
         "s=Talk\r\n"
         "c=IN IP4 " +
         address +
         "\r\n"
         "t=0 0\r\n"
         "m=audio " +
         std::to_string(port) +
         " RTP/AVP 0 101\r\n"
         "a=rtpmap:0 PCMU/8000\r\n"
         "a=rtpmap:101 telephone-event/8000\r\n"
         "a=fmtp:101 0-15\r\n"
         "a=ptime:20\r\n"
         "a=sendrecv\r\n";
}

void VoipCall::sendFromPhone(std::int64_t t, const std::string& message) {
  m_out.udp(t, m_p.phone, kSipPort, m_p.pbx, kSipPort,
            {reinterpret_cast<const std::uint8_t*>(message.data()), message.size()},
            kDscpSignalling);
}

void VoipCall::sendToPhone(std::int64_t t, const std::string& message) {
  m_out.udp(t, m_p.pbx, kSipPort, m_p.phone, kSipPort,
            {reinterpret_cast<const std::uint8_t*>(message.data()), message.size()},
            kDscpSignalling);
}

void VoipCall::registerPhone(std::int64_t t) {
  const std::string aor = "<sip:" + m_p.user + "@" + m_p.domain + ">";
  const std::string from = "From: \"" + m_p.displayName + "\" " + aor + ";tag=" + hex(10);
  const std::string to = "To: \"" + m_p.displayName + "\" " + aor;
  const std::string callId = "Call-ID: " + hex(24) + "@" + m_phoneAddress;
  const std::string contact = "Contact: <sip:" + m_p.user + "@" + m_phoneAddress + ":5060>";
  const std::string requestLine = "REGISTER sip:" + m_p.domain + " SIP/2.0";
  const std::string nonce = hex(32);
  const std::string serverTag = ";tag=as" + hex(8);

  const std::string branch1 = hex(16);
  sendFromPhone(t, sipMessage(requestLine, {via(branch1), "Max-Forwards: 70", from, to, callId,
                                            "CSeq: 1 REGISTER", contact, "Expires: 3600",
                                            std::string("User-Agent: ") + kPhoneAgent}));
  t += m_p.rttNs;
  sendToPhone(
      t, sipMessage("SIP/2.0 401 Unauthorized",
                    {via(branch1) + "=5060", from, to + serverTag, callId, "CSeq: 1 REGISTER",
                     "WWW-Authenticate: Digest realm=\"" + m_p.domain + "\", nonce=\"" + nonce +
                         "\", algorithm=MD5, qop=\"auth\"",
                     std::string("Server: ") + kPbxAgent}));
  t += m_random.between(2'000'000, 8'000'000);
  const std::string branch2 = hex(16);
  const std::string authorization =
      "Authorization: Digest username=\"" + m_p.user + "\", realm=\"" + m_p.domain +
      "\", nonce=\"" + nonce + "\", uri=\"sip:" + m_p.domain + "\", response=\"" + hex(32) +
      "\", algorithm=MD5, cnonce=\"" + hex(8) + "\", qop=auth, nc=00000001";
  sendFromPhone(
      t, sipMessage(requestLine, {via(branch2), "Max-Forwards: 70", from, to, callId,
                                  "CSeq: 2 REGISTER", contact, authorization, "Expires: 3600",
                                  std::string("User-Agent: ") + kPhoneAgent}));
  t += m_p.rttNs;
  sendToPhone(t, sipMessage("SIP/2.0 200 OK", {via(branch2) + "=5060", from, to + serverTag, callId,
                                               "CSeq: 2 REGISTER", contact + ";expires=3600",
                                               std::string("Server: ") + kPbxAgent}));
}

void VoipCall::rtpStream(std::int64_t start, std::int64_t end, bool fromPhone) {
  DemoRandom r = m_random.fork(fromPhone ? 1 : 2);
  MulawTone tone(fromPhone ? 440.0 : 660.0, fromPhone ? -12.0 : -18.0);
  auto sequence = static_cast<std::uint16_t>(r.next());
  auto timestamp = static_cast<std::uint32_t>(r.next());
  const auto ssrc = static_cast<std::uint32_t>(r.next());
  // One burst of three lost packets a third of the way in, plus rare single losses.
  const std::int64_t burstAt = start + (end - start) / 3;
  std::int64_t lostUntil = 0;
  bool first = true;
  for (std::int64_t sent = start; sent < end; sent += kPacketIntervalNs) {
    std::vector<std::uint8_t> packet{0x80, static_cast<std::uint8_t>(first ? 0x80 : 0x00),
                                     static_cast<std::uint8_t>(sequence >> 8),
                                     static_cast<std::uint8_t>(sequence)};
    for (int shift = 24; shift >= 0; shift -= 8) {
      packet.push_back(static_cast<std::uint8_t>(timestamp >> shift));
    }
    for (int shift = 24; shift >= 0; shift -= 8) {
      packet.push_back(static_cast<std::uint8_t>(ssrc >> shift));
    }
    const auto payload = tone.nextFrame(160);
    packet.insert(packet.end(), payload.begin(), payload.end());
    if (fromPhone) {
      // Sent next to the capture point: only the phone's scheduling wobble.
      m_out.udp(sent + r.between(0, 300'000), m_p.phone, m_p.phoneRtpPort, m_p.media,
                m_p.mediaRtpPort, packet, kDscpVoice);
    } else {
      if (lostUntil == 0 && sent >= burstAt) lostUntil = sent + 3 * kPacketIntervalNs;
      const bool lost = (sent >= burstAt && sent < lostUntil) || r.chance(0.004);
      if (!lost) {
        // Jitter on the way in: the delay varies per packet, packets keep their order.
        const std::int64_t delay = m_p.rttNs / 2 + r.between(0, 6'000'000);
        m_out.udp(sent + delay, m_p.media, m_p.mediaRtpPort, m_p.phone, m_p.phoneRtpPort, packet,
                  kDscpVoice);
      }
    }
    first = false;
    ++sequence;
    timestamp += 160;
  }
}

void VoipCall::generate() {
  registerPhone(m_p.registerAtNs);

  std::int64_t t = m_p.inviteAtNs;
  const std::string to = "To: <sip:" + m_p.callee + "@" + m_p.domain + ">";
  const std::string from =
      "From: \"" + m_p.displayName + "\" <sip:" + m_p.user + "@" + m_p.domain + ">;tag=" + hex(10);
  const std::string callId = "Call-ID: " + hex(24) + "@" + m_phoneAddress;
  const std::string contact = "Contact: <sip:" + m_p.user + "@" + m_phoneAddress + ":5060>";
  const std::string calleeContact =
      "Contact: <sip:" + m_p.callee + "@" + m_p.pbx.ip.toString() + ":5060>";
  const std::string toTagged = to + ";tag=as" + hex(8);
  const std::string branch = hex(16);
  const std::string agent = std::string("User-Agent: ") + kPhoneAgent;
  const std::string server = std::string("Server: ") + kPbxAgent;

  const std::string offer = sdp(m_p.phone, m_p.phoneRtpPort, m_p.user, m_random.below(1u << 30));
  const std::string invite =
      sipMessage("INVITE sip:" + m_p.callee + "@" + m_p.domain + " SIP/2.0",
                 {via(branch), "Max-Forwards: 70", from, to, callId, "CSeq: 1 INVITE", contact,
                  std::string("Allow: ") + kAllow, "Supported: replaces, timer", agent},
                 offer, "application/sdp");
  sendFromPhone(t, invite);
  t += kSipT1Ns;  // the first copy was lost on the way: timer A fires
  sendFromPhone(t, invite);
  t += m_p.rttNs;
  sendToPhone(t, sipMessage("SIP/2.0 100 Trying",
                            {via(branch) + "=5060", from, to, callId, "CSeq: 1 INVITE", server}));
  t += m_random.between(30'000'000, 120'000'000);
  sendToPhone(t, sipMessage("SIP/2.0 180 Ringing", {via(branch) + "=5060", from, toTagged, callId,
                                                    "CSeq: 1 INVITE", calleeContact, server}));
  t += m_p.ringNs;
  const std::string answer = sdp(m_p.media, m_p.mediaRtpPort, m_p.callee, m_random.below(1u << 30));
  sendToPhone(t, sipMessage("SIP/2.0 200 OK",
                            {via(branch) + "=5060", from, toTagged, callId, "CSeq: 1 INVITE",
                             calleeContact, std::string("Allow: ") + kAllow, server},
                            answer, "application/sdp"));
  t += m_random.between(3'000'000, 10'000'000);
  sendFromPhone(
      t,
      sipMessage("ACK sip:" + m_p.callee + "@" + m_p.pbx.ip.toString() + ":5060 SIP/2.0",
                 {via(hex(16)), "Max-Forwards: 70", from, toTagged, callId, "CSeq: 1 ACK", agent}));

  const std::int64_t mediaStart = t + m_random.between(5'000'000, 15'000'000);
  const std::int64_t mediaEnd = mediaStart + m_p.talkNs;
  rtpStream(mediaStart, mediaEnd, true);
  rtpStream(mediaStart + m_p.rttNs / 2, mediaEnd, false);

  t = mediaEnd + m_random.between(1'000'000, 5'000'000);
  const std::string byeBranch = hex(16);
  sendFromPhone(
      t, sipMessage(
             "BYE sip:" + m_p.callee + "@" + m_p.pbx.ip.toString() + ":5060 SIP/2.0",
             {via(byeBranch), "Max-Forwards: 70", from, toTagged, callId, "CSeq: 2 BYE", agent}));
  t += m_p.rttNs;
  sendToPhone(t, sipMessage("SIP/2.0 200 OK", {via(byeBranch) + "=5060", from, toTagged, callId,
                                               "CSeq: 2 BYE", server}));
}

}  // namespace netlens::node::demo
