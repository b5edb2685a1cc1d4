// SPDX-License-Identifier: MIT
#include "node/capture/pcap_source.h"

#include <pcap/pcap.h>
#include <poll.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "node/capture/classic_pcap_reader.h"
#include "node/capture/pcapng_reader.h"

namespace netlens::node::capture {

namespace {

/// A BPF program compiled for one link type, freed by its owner.
struct CompiledFilter {
  int linkType = 0;
  bpf_program program{};
};

}  // namespace

/// Either a libpcap handle (live interfaces, unusual pcap variants) or one of our file
/// readers (classic pcap, pcapng) with the filter compiled once per link type met in the file.
struct PcapSource::Handle {
  pcap_t* pcap = nullptr;
  std::unique_ptr<RecordReader> reader;
  std::string filter;
  std::vector<CompiledFilter> filters;
  std::atomic<bool> stopRequested{false};
  int selectableFd = -1;  ///< live captures: waited on in poll() when the buffer is drained
  int pollTimeoutMs = 100;

  ~Handle() {
    for (auto& f : filters) pcap_freecode(&f.program);
    if (pcap) pcap_close(pcap);
  }
};

namespace {

/// The DLT_* value libpcap would report for a LINKTYPE_* value of a file. They are equal but
/// for a few early types whose DLT numbers differ between systems.
int dltOfLinkType(int linkType) {
  switch (linkType) {
    case 100:  // LINKTYPE_ATM_RFC1483
      return DLT_ATM_RFC1483;
    case 101:  // LINKTYPE_RAW
      return DLT_RAW;
    case 102:  // LINKTYPE_SLIP_BSDOS
      return DLT_SLIP_BSDOS;
    case 103:  // LINKTYPE_PPP_BSDOS
      return DLT_PPP_BSDOS;
#ifdef DLT_ATM_CLIP
    case 106:  // LINKTYPE_ATM_CLIP
      return DLT_ATM_CLIP;
#endif
    default:
      return linkType;
  }
}

/// Compiles `expression` for `linkType` as libpcap would for a capture of that type.
bool compileFilter(const std::string& expression, int linkType, bpf_program* program,
                   std::string* error) {
  pcap_t* dead = pcap_open_dead(linkType, 262144);
  if (!dead) {
    *error = "cannot compile filter \"" + expression + "\": out of memory";
    return false;
  }
  const bool ok = pcap_compile(dead, program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0;
  if (!ok) *error = "bad filter \"" + expression + "\": " + pcap_geterr(dead);
  pcap_close(dead);
  return ok;
}

std::string permissionHint(const std::string& iface) {
  return "no permission to capture on " + iface +
         ": run as root, or grant the capability once with\n"
         "  sudo setcap cap_net_raw,cap_net_admin=eip \"$(command -v netlens-node)\"";
}

}  // namespace

std::unique_ptr<PcapSource> PcapSource::openInterface(const std::string& name,
                                                      const LiveOptions& options,
                                                      std::string* error) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_create(name.c_str(), errbuf);
  if (!p) {
    *error = "cannot open interface " + name + ": " + errbuf;
    return nullptr;
  }
  pcap_set_snaplen(p, options.snapLength);
  pcap_set_promisc(p, options.promiscuous ? 1 : 0);
  pcap_set_timeout(p, options.readTimeoutMs);
  pcap_set_immediate_mode(p, 1);
  pcap_set_buffer_size(p, options.bufferSizeBytes);
  pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);  // best effort
  const int rc = pcap_activate(p);
  if (rc < 0) {
    std::string detail = pcap_geterr(p);
    pcap_close(p);
    switch (rc) {
      case PCAP_ERROR_NO_SUCH_DEVICE:
        *error = "no such interface: " + name + " (available: " + listInterfaces() + ")";
        break;
      case PCAP_ERROR_PERM_DENIED:
      case PCAP_ERROR_PROMISC_PERM_DENIED:
        *error = permissionHint(name);
        break;
      case PCAP_ERROR_IFACE_NOT_UP:
        *error = "interface " + name + " is down: bring it up with `ip link set " + name + " up`";
        break;
      default:
        *error = "cannot capture on " + name + ": " + detail;
    }
    return nullptr;
  }
  // Non-blocking, so next() can tell "the capture buffer is drained" (and the pipeline hands
  // what it holds to the workers at once) from "a packet"; it then waits in poll().
  if (pcap_setnonblock(p, 1, errbuf) != 0) {
    *error = "cannot capture on " + name + ": " + errbuf;
    pcap_close(p);
    return nullptr;
  }
  std::unique_ptr<PcapSource> s(new PcapSource);
  s->m_handle = new Handle;
  s->m_handle->pcap = p;
  s->m_handle->selectableFd = pcap_get_selectable_fd(p);
  s->m_handle->pollTimeoutMs = options.readTimeoutMs;
  s->m_name = name;
  s->m_live = true;
  s->m_linkType = pcap_datalink(p);
  return s;
}

std::unique_ptr<PcapSource> PcapSource::openFile(const std::string& path, std::string* error) {
  // Every pcapng file goes through our reader, not only those libpcap refuses: libpcap 1.10
  // stops at the first interface whose link type or snapshot length differs from the first
  // one, which may come after packets were already delivered (so no clean fallback exists),
  // and one reader for the format keeps per-interface link types and timestamps uniform.
  if (PcapngReader::looksLikePcapng(path)) {
    auto reader = std::make_unique<PcapngReader>();
    std::string reason;
    if (!reader->open(path, &reason)) {
      *error = path + " is not a readable pcapng file: " + reason;
      return nullptr;
    }
    std::unique_ptr<PcapSource> s(new PcapSource);
    s->m_handle = new Handle;
    s->m_linkType = dltOfLinkType(reader->firstLinkType());
    s->m_handle->reader = std::move(reader);
    s->m_name = path;
    s->m_live = false;
    return s;
  }
  // Standard classic pcap files go through our reader too: libpcap's two stdio reads per
  // record cost more than the whole analysis of a packet. It reads exactly what libpcap does.
  if (ClassicPcapReader::looksLikeClassicPcap(path)) {
    auto reader = std::make_unique<ClassicPcapReader>();
    if (!reader->open(path, error)) return nullptr;
    std::unique_ptr<PcapSource> s(new PcapSource);
    s->m_handle = new Handle;
    s->m_linkType = dltOfLinkType(reader->firstLinkType());
    s->m_handle->reader = std::move(reader);
    s->m_name = path;
    s->m_live = false;
    return s;
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    *error = "cannot read " + path + ": " + std::strerror(errno) +
             " (check the file name and its permissions)";
    return nullptr;
  }
  // libpcap reads savefiles through stdio in 4 KiB steps; a 1 MiB buffer cuts the read()
  // calls 256-fold, a large share of the cost of reading a file.
  std::setvbuf(file, nullptr, _IOFBF, 1 << 20);
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (!p) {
    std::fclose(file);
    *error = path + " is not a readable pcap or pcapng file: " + errbuf;
    return nullptr;
  }
  std::unique_ptr<PcapSource> s(new PcapSource);
  s->m_handle = new Handle;
  s->m_handle->pcap = p;
  s->m_name = path;
  s->m_live = false;
  s->m_linkType = pcap_datalink(p);
  return s;
}

PcapSource::~PcapSource() {
  delete m_handle;
}

bool PcapSource::setFilter(const std::string& expression, std::string* error) {
  if (expression.empty()) return true;
  if (m_handle->reader) {
    // Compiled now for the first interface, so a bad expression is reported at once; other
    // link types are compiled when their first packet arrives.
    for (auto& f : m_handle->filters) pcap_freecode(&f.program);
    m_handle->filters.clear();
    m_handle->filter = expression;
    CompiledFilter first{m_linkType, {}};
    if (!compileFilter(expression, m_linkType, &first.program, error)) return false;
    m_handle->filters.push_back(first);
    return true;
  }
  bpf_program program{};
  if (pcap_compile(m_handle->pcap, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
    *error = "bad filter \"" + expression + "\": " + pcap_geterr(m_handle->pcap);
    return false;
  }
  const int rc = pcap_setfilter(m_handle->pcap, &program);
  pcap_freecode(&program);
  if (rc != 0) {
    *error = "cannot install filter \"" + expression + "\": " + pcap_geterr(m_handle->pcap);
    return false;
  }
  return true;
}

ReadStatus PcapSource::next(RawPacket& out) {
  if (m_handle->reader) return nextFromReader(out);
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  const int rc = pcap_next_ex(m_handle->pcap, &header, &data);
  if (rc == 1) {
    out.timestampNs = static_cast<std::int64_t>(header->ts.tv_sec) * 1'000'000'000 +
                      static_cast<std::int64_t>(header->ts.tv_usec);  // nano precision
    out.capturedLength = header->caplen;
    out.wireLength = header->len;
    out.linkType = m_linkType;
    out.data = data;
    return ReadStatus::Packet;
  }
  if (rc == 0) {
    // Drained: wait for more (bounded, so a stop request is noticed), report a timeout so
    // the caller flushes what it holds.
    if (m_handle->selectableFd >= 0) {
      pollfd pfd{m_handle->selectableFd, POLLIN, 0};
      ::poll(&pfd, 1, m_handle->pollTimeoutMs);
    }
    return ReadStatus::Timeout;
  }
  if (rc == PCAP_ERROR_BREAK) return ReadStatus::End;
  m_error = m_name + ": " + pcap_geterr(m_handle->pcap);
  return ReadStatus::Error;
}

ReadStatus PcapSource::nextFromReader(RawPacket& out) {
  FileRecord record;
  for (;;) {
    if (m_handle->stopRequested.load(std::memory_order_relaxed)) return ReadStatus::End;
    switch (m_handle->reader->next(record)) {
      case RecordReader::Status::End:
        return ReadStatus::End;
      case RecordReader::Status::Error:
        m_error = m_name + ": " + m_handle->reader->error();
        return ReadStatus::Error;
      case RecordReader::Status::Packet:
        break;
    }
    const int linkType = dltOfLinkType(record.linkType);
    if (!m_handle->filter.empty()) {
      const bpf_program* program = nullptr;
      for (const auto& f : m_handle->filters) {
        if (f.linkType == linkType) program = &f.program;
      }
      if (!program) {
        CompiledFilter compiled{linkType, {}};
        std::string why;
        if (!compileFilter(m_handle->filter, linkType, &compiled.program, &why)) {
          m_error = m_name + ": interface " + std::to_string(record.interfaceId) + " (link type " +
                    std::to_string(linkType) + "): " + why;
          return ReadStatus::Error;
        }
        m_handle->filters.push_back(compiled);
        program = &m_handle->filters.back().program;
      }
      pcap_pkthdr header{};
      header.caplen = record.capturedLength;
      header.len = record.wireLength;
      if (pcap_offline_filter(program, &header, record.data) == 0) continue;
    }
    out.timestampNs = record.timestampNs;
    out.capturedLength = record.capturedLength;
    out.wireLength = record.wireLength;
    out.linkType = linkType;
    out.data = record.data;
    return ReadStatus::Packet;
  }
}

std::string PcapSource::linkTypeName() const {
  const char* n = pcap_datalink_val_to_name(m_linkType);
  return n ? n : "DLT_" + std::to_string(m_linkType);
}

std::uint64_t PcapSource::captureDrops() const {
  if (!m_live || !m_handle->pcap) return 0;
  pcap_stat st{};
  if (pcap_stats(m_handle->pcap, &st) != 0) return 0;
  return static_cast<std::uint64_t>(st.ps_drop) + st.ps_ifdrop;
}

void PcapSource::breakLoop() {
  m_handle->stopRequested = true;
  if (m_handle->pcap) pcap_breakloop(m_handle->pcap);
}

std::string listInterfaces() {
  pcap_if_t* all = nullptr;
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  if (pcap_findalldevs(&all, errbuf) != 0 || !all) return "none found";
  std::string names;
  for (pcap_if_t* d = all; d; d = d->next) {
    if (!names.empty()) names += ", ";
    names += d->name;
  }
  pcap_freealldevs(all);
  return names;
}

}  // namespace netlens::node::capture
