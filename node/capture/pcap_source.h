// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>

// libpcap stays behind this interface: only node/capture/*.cpp include <pcap.h>. Capture files
// are read by our own readers (node/capture/classic_pcap_reader.h, pcapng_reader.h; see there
// why); libpcap reads live interfaces and the rare "modified" pcap variants.

namespace netlens::node::capture {

/// One packet as the source hands it out. `data` is valid until the next call to next().
struct RawPacket {
  std::int64_t timestampNs = 0;
  std::uint32_t capturedLength = 0;
  std::uint32_t wireLength = 0;
  int linkType = 0;  ///< per packet: a pcapng file may mix interfaces of several link types
  const std::uint8_t* data = nullptr;
};

/// Result of PcapSource::next().
enum class ReadStatus {
  Packet,   ///< `out` holds a packet
  Timeout,  ///< live source: nothing arrived within the read timeout
  End,      ///< file finished (or the capture was stopped)
  Error,    ///< read error; error() says what (a damaged file stops here, as tshark does)
};

/// Options of a live capture.
struct LiveOptions {
  int snapLength = 262144;
  bool promiscuous = true;
  int bufferSizeBytes = 32 * 1024 * 1024;
  int readTimeoutMs = 100;
};

/// A capture: a live interface through libpcap, or a capture file through our own readers
/// (packets of a pcapng file may have several link types, see RawPacket::linkType; a BPF
/// filter is compiled once per link type and run with pcap_offline_filter). Not thread-safe: one
/// thread reads it; captureDrops() and breakLoop() may be called from another.
class PcapSource {
 public:
  /// Opens a live interface in immediate mode. Errors say what to do: no such interface,
  /// no permission (how to grant cap_net_raw), interface down.
  static std::unique_ptr<PcapSource> openInterface(const std::string& name, const LiveOptions&,
                                                   std::string* error);
  /// Opens a pcap or pcapng file with nanosecond timestamps. For pcapng, linkType() is the
  /// link type of the file's first interface.
  static std::unique_ptr<PcapSource> openFile(const std::string& path, std::string* error);

  ~PcapSource();
  PcapSource(const PcapSource&) = delete;
  PcapSource& operator=(const PcapSource&) = delete;

  /// Compiles and installs a BPF filter; on failure `error` holds libpcap's message. In a
  /// pcapng file, a link type met later that the filter cannot be compiled for ends reading
  /// with ReadStatus::Error.
  bool setFilter(const std::string& expression, std::string* error);

  /// Next packet; a damaged or cut-short file gives Error after the packets before the damage.
  ReadStatus next(RawPacket& out);
  const std::string& error() const { return m_error; }

  int linkType() const { return m_linkType; }
  std::string linkTypeName() const;
  const std::string& name() const { return m_name; }
  bool isLive() const { return m_live; }

  /// Kernel / interface drop counters of a live capture (0 for files).
  std::uint64_t captureDrops() const;
  /// Makes a blocked next() return End soon (thread-safe).
  void breakLoop();

 private:
  PcapSource() = default;
  ReadStatus nextFromReader(RawPacket& out);
  struct Handle;
  Handle* m_handle = nullptr;
  std::string m_name;
  std::string m_error;
  int m_linkType = 0;
  bool m_live = false;
};

/// Names of the interfaces libpcap can open, for error messages.
std::string listInterfaces();

}  // namespace netlens::node::capture
