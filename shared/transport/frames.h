// SPDX-License-Identifier: MIT
#pragma once

#include <vector>
#include <zmq.hpp>

namespace netlens::transport {

/// Receives the frames of one waiting message without blocking: empty when nothing is
/// waiting. Every frame of a message is received, so a malformed framing is drained, never
/// left to corrupt the next message. Thread: the socket's thread. May throw zmq::error_t
/// (e.g. when the context is terminating), like the socket calls it wraps.
inline std::vector<zmq::message_t> receiveFrames(zmq::socket_t& socket) {
  std::vector<zmq::message_t> frames;
  for (;;) {
    zmq::message_t frame;
    if (!socket.recv(frame, zmq::recv_flags::dontwait)) break;
    const bool more = frame.more();
    frames.push_back(std::move(frame));
    if (!more) break;
  }
  return frames;
}

}  // namespace netlens::transport
