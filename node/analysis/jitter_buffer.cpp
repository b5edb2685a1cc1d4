// SPDX-License-Identifier: MIT
#include "node/analysis/jitter_buffer.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace netlens::node::analysis {

namespace {

constexpr double kAlpha = 0.998002;

}  // namespace

bool parseJitterBufferSpec(std::string_view text, JitterBufferConfig* out, std::string* error) {
  const auto colon = text.find(':');
  const std::string_view kind = text.substr(0, colon);
  JitterBufferConfig c;
  if (kind == "fixed") {
    c.mode = JitterBufferConfig::Mode::Fixed;
  } else if (kind == "adaptive") {
    c.mode = JitterBufferConfig::Mode::Adaptive;
  } else {
    *error = "--jitter-buffer takes fixed:MS or adaptive:MAXMS (e.g. fixed:50, adaptive:200)";
    return false;
  }
  if (colon == std::string_view::npos) {
    *error = "--jitter-buffer " + std::string(kind) + " needs its delay in ms (e.g. " +
             std::string(kind) + ":" + (kind == "fixed" ? "50" : "200") + ")";
    return false;
  }
  const std::string_view number = text.substr(colon + 1);
  double ms = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), ms);
  if (number.empty() || ec != std::errc() || end != number.data() + number.size() ||
      !std::isfinite(ms) || ms < JitterBufferConfig::kMinDelayMs ||
      ms > JitterBufferConfig::kMaxDelayMs) {
    *error = "--jitter-buffer: the delay must be a number of ms from 1 to 2000, not \"" +
             std::string(number) + "\"";
    return false;
  }
  c.delayMs = ms;
  *out = c;
  return true;
}

void JitterBuffer::place(double transit, double arrivalMs) {
  if (m_config.mode == JitterBufferConfig::Mode::Fixed) {
    m_delay = m_config.delayMs;
    m_playout = transit + m_delay;
  } else {
    m_delay = std::clamp(4 * m_deviation, JitterBufferConfig::kAdaptiveFloorMs,
                         std::max(m_config.delayMs, JitterBufferConfig::kAdaptiveFloorMs));
    m_playout = m_mean + m_delay;
  }
  m_lastMoveMs = arrivalMs;
}

bool JitterBuffer::add(double arrivalMs, double mediaMs, bool talkspurtStart) {
  const double transit = arrivalMs - mediaMs;
  const bool adaptive = m_config.mode == JitterBufferConfig::Mode::Adaptive;
  if (m_packets == 0 || std::fabs(transit - m_mean) > kResyncMs) {
    m_mean = transit;
    m_deviation = 0;
    place(transit, arrivalMs);
  } else {
    m_mean = kAlpha * m_mean + (1 - kAlpha) * transit;
    m_deviation = kAlpha * m_deviation + (1 - kAlpha) * std::fabs(m_mean - transit);
    if (adaptive ? (talkspurtStart || arrivalMs - m_lastMoveMs >= 1000) : talkspurtStart) {
      place(transit, arrivalMs);
    }
  }
  ++m_packets;
  m_delaySum += m_delay;
  if (transit > m_playout + 1e-9) {
    ++m_discards;
    return true;
  }
  return false;
}

}  // namespace netlens::node::analysis
