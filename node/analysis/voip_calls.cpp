// SPDX-License-Identifier: MIT
#include "node/analysis/voip_calls.h"

#include <algorithm>
#include <tuple>

namespace netlens::node::analysis {

namespace {

protocol::SipMessageRecord messageOf(const SipEvent& e) {
  protocol::SipMessageRecord m;
  m.time = e.ts;
  m.srcIp = e.srcIp;
  m.dstIp = e.dstIp;
  m.srcPort = e.srcPort;
  m.dstPort = e.dstPort;
  m.transport = e.transport;
  m.isRequest = e.isRequest;
  m.method = e.method;
  m.requestUri = e.requestUri;
  m.statusCode = e.isRequest ? 0 : e.statusCode;
  m.reason = e.reason;
  m.cseq = e.cseqNumber;
  m.cseqMethod = e.cseqMethod;
  m.sdp = e.sdp;
  m.sdpOmittedBytes = e.sdpOmittedBytes;
  return m;
}

bool buildCall(const std::string& callId, std::vector<const SipEvent*> events, CallRecord& c) {
  std::stable_sort(events.begin(), events.end(),
                   [](const SipEvent* a, const SipEvent* b) { return a->ts < b->ts; });
  const auto invite = std::find_if(events.begin(), events.end(), [](const SipEvent* e) {
    return e->isRequest && e->method == "INVITE";
  });
  if (invite == events.end()) return false;
  c.callId = callId;
  c.from = (*invite)->from;
  c.to = (*invite)->to;
  c.start = (*invite)->ts;
  c.state = "trying";
  bool cancelSeen = false;
  for (const SipEvent* e : events) {
    c.lastSeen = std::max(c.lastSeen, e->ts);
    if (e->isRequest) {
      ++c.counters.methods[e->method];
    } else {
      ++c.counters.responses[e->statusCode];
    }
    ++c.counters.messages;
    for (const auto& m : e->media) {
      const bool known = std::any_of(c.media.begin(), c.media.end(), [&](const auto& x) {
        return x.type == m.type && x.address == m.address && x.port == m.port;
      });
      if (!known) c.media.push_back(m);
    }
    // Transactions by CSeq number and method (an ACK or CANCEL has its own method).
    const std::string& method = e->isRequest ? e->method : e->cseqMethod;
    auto t = std::find_if(c.transactions.begin(), c.transactions.end(), [&](const auto& x) {
      return x.cseq == e->cseqNumber && x.method == method;
    });
    if (e->isRequest) {
      if (t != c.transactions.end()) {
        ++t->retransmissions;
      } else {
        SipTransaction nt;
        nt.method = method;
        nt.cseq = e->cseqNumber;
        nt.requestTime = e->ts;
        c.transactions.push_back(std::move(nt));
      }
    } else if (t != c.transactions.end()) {
      if (t->firstResponseNs < 0) t->firstResponseNs = e->ts - t->requestTime;
      if (e->statusCode >= 200 && t->finalCode == 0) {
        t->finalCode = e->statusCode;
        t->finalTime = e->ts;
      }
    }

    const bool answered = c.answered != 0;
    if (e->isRequest) {
      if (e->method == "INVITE" && !answered && (c.state == "failed")) {
        c.state = "trying";  // a new attempt, e.g. with credentials after 401/407
        c.ended = 0;
      } else if (e->method == "CANCEL" && !answered) {
        cancelSeen = true;
        if (c.state == "trying" || c.state == "ringing") {
          c.state = "cancelled";
          c.ended = e->ts;
        }
      } else if (e->method == "BYE" && c.ended == 0) {
        c.state = answered ? "ended" : "cancelled";
        c.ended = e->ts;
      }
      continue;
    }
    if (e->cseqMethod != "INVITE" || answered) continue;
    const int code = e->statusCode;
    if (code > 100 && code < 200 && c.state == "trying") {
      c.state = "ringing";
    } else if (code >= 200 && code < 300) {
      c.answered = e->ts;
      c.setupNs = e->ts - c.start;
      c.state = "answered";
      c.ended = 0;
    } else if (code >= 300 && (c.state == "trying" || c.state == "ringing")) {
      c.state = cancelSeen ? "cancelled" : "failed";
      c.ended = e->ts;
    }
  }
  if (c.answered != 0) c.durationNs = (c.ended != 0 ? c.ended : c.lastSeen) - c.answered;
  for (const SipEvent* e : events) {
    if (c.messages.size() >= protocol::SipMessageRecord::kMaxPerCall) {
      ++c.messagesOmitted;
      continue;
    }
    c.messages.push_back(messageOf(*e));
  }
  return true;
}

}  // namespace

std::vector<CallRecord> buildCalls(const std::map<std::string, SipCallEvents>& events,
                                   const std::vector<RtpStreamRecord>& streams) {
  std::vector<CallRecord> calls;
  for (const auto& [callId, list] : events) {
    std::vector<const SipEvent*> pointers;
    pointers.reserve(list.events.size());
    for (const auto& e : list.events) pointers.push_back(&e);
    CallRecord c;
    if (!buildCall(callId, std::move(pointers), c)) continue;
    c.messagesOmitted += list.omitted;
    for (const auto& s : streams) {
      if (s.callId == callId) c.ssrcs.push_back(s.ssrc);
    }
    calls.push_back(std::move(c));
  }
  std::sort(calls.begin(), calls.end(), [](const CallRecord& a, const CallRecord& b) {
    return std::tie(a.start, a.callId) < std::tie(b.start, b.callId);
  });
  return calls;
}

}  // namespace netlens::node::analysis
