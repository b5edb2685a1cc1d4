// SPDX-License-Identifier: MIT
// The connections table's columns for countries, QoS markings, layer 7 (TLS, HTTP, response
// time) and the receive window: what they show, sort on and offer to filter expressions.
//
// QoS columns show both directions as "client→server / server→client", each the marking of
// the direction's latest packet with a "*" when an earlier packet of that direction carried
// another; "–" where the direction had none (no VLAN tag, no MPLS). Filters see the two
// directions as two values, so `dscp == 46` holds when either direction is EF.

#include <QLocale>
#include <QStringList>
#include <algorithm>
#include <cmath>

#include "app/models/connection_table_model.h"
#include "shared/net/tls_names.h"

namespace netlens::app::models {

namespace {

using Model = ConnectionTableModel;
using protocol::ConnectionRecord;
using protocol::QosInfo;

/// A direction's marking of a QoS column, and whether it changed; value -1: none.
std::pair<int, bool> marking(const QosInfo& q, int column) {
  switch (column) {
    case Model::Dscp:
      return {q.dscp, q.dscpChanged};
    case Model::VlanPcp:
      return {q.vlanPcp, q.vlanPcpChanged};
    case Model::MplsTc:
      return {q.mplsTc, q.mplsTcChanged};
    default:
      return {-1, false};
  }
}

bool isQosColumn(int column) {
  return column == Model::Dscp || column == Model::VlanPcp || column == Model::MplsTc;
}

QString markingText(const QosInfo& q, int column) {
  const auto [value, changed] = marking(q, column);
  if (value < 0) return QStringLiteral("–");
  return QString::number(value) + (changed ? QStringLiteral("*") : QString());
}

QString labelsText(const QosInfo& q) {
  if (q.mplsLabels.empty()) return QStringLiteral("–");
  QStringList parts;
  for (auto l : q.mplsLabels) parts << QString::number(l);
  return parts.join(QLatin1Char(',')) + (q.mplsLabelsChanged ? QStringLiteral("*") : QString());
}

QString text(const std::string& s) {
  return QString::fromStdString(s);
}

protocol::TimeNs responseMean(const ConnectionRecord& r) {
  return r.responseTime.count == 0 ? -1 : static_cast<protocol::TimeNs>(r.responseTime.meanNs);
}

/// Window usage of one direction in whole percent, -1 unknown (handshake not captured).
int usagePercent(const protocol::TcpDirectionStats& t) {
  const double pct = t.windowUsagePercent();
  return pct < 0 ? -1 : static_cast<int>(std::lround(pct));
}

bool isWindowColumn(int column) {
  return column == ConnectionTableModel::WindowUsage || column == ConnectionTableModel::WindowFull;
}

/// One direction's figure of a window column (-1: unknown).
qlonglong windowFigure(const protocol::TcpDirectionStats& t, int column) {
  return column == ConnectionTableModel::WindowUsage ? usagePercent(t)
                                                     : static_cast<qlonglong>(t.windowFull);
}

/// The detail columns added last whose values are numbers: their raw value (-1: none).
bool isDetailNumber(int column) {
  return column == ConnectionTableModel::RetransBytes ||
         column == ConnectionTableModel::HttpRequests ||
         column == ConnectionTableModel::HttpErrors || column == ConnectionTableModel::TlsHello ||
         column == ConnectionTableModel::TlsFirstData;
}

qlonglong detailNumber(const ConnectionRecord& r, int column) {
  switch (column) {
    case ConnectionTableModel::RetransBytes:
      return r.protocol == 6
                 ? static_cast<qlonglong>(r.c2sTcp.retransmittedBytes + r.s2cTcp.retransmittedBytes)
                 : -1;
    case ConnectionTableModel::HttpRequests:
      return r.http ? static_cast<qlonglong>(r.http->requests) : -1;
    case ConnectionTableModel::HttpErrors:
      return r.http ? static_cast<qlonglong>(r.http->statusFamilies[3] + r.http->statusFamilies[4])
                    : -1;
    case ConnectionTableModel::TlsHello:
      return r.tls ? r.tls->helloNs : -1;
    case ConnectionTableModel::TlsFirstData:
      return r.tls ? r.tls->firstDataNs : -1;
    default:
      return -1;
  }
}

}  // namespace

QString ConnectionTableModel::extraTitle(int column) {
  switch (column) {
    case ClientCountry:
      return tr("Client country");
    case ServerCountry:
      return tr("Server country");
    case Dscp:
      return tr("DSCP");
    case VlanPcp:
      return tr("VLAN PCP");
    case MplsTc:
      return tr("MPLS TC");
    case MplsLabels:
      return tr("MPLS labels");
    case TlsServerName:
      return tr("TLS server name");
    case TlsVersion:
      return tr("TLS version");
    case TlsCipher:
      return tr("TLS cipher");
    case HttpHost:
      return tr("HTTP host");
    case HttpUrl:
      return tr("HTTP URL");
    case HttpStatus:
      return tr("HTTP status");
    case ResponseTime:
      return tr("Response time");
    case WindowUsage:
      return tr("Window usage");
    case WindowFull:
      return tr("Window full");
    case ClientGroup:
      return tr("Client group");
    case ServerGroup:
      return tr("Server group");
    case RetransBytes:
      return tr("Retransmitted bytes");
    case HttpMethod:
      return tr("HTTP method");
    case HttpUserAgent:
      return tr("User agent");
    case HttpContentType:
      return tr("Content type");
    case HttpRequests:
      return tr("HTTP requests");
    case HttpErrors:
      return tr("HTTP errors");
    case TlsAlpn:
      return tr("ALPN");
    case TlsHello:
      return tr("TLS hello time");
    case TlsFirstData:
      return tr("TLS first data");
    default:
      return {};
  }
}

QString ConnectionTableModel::extraToolTip(int column) {
  switch (column) {
    case Dscp:
    case VlanPcp:
    case MplsTc:
    case MplsLabels:
      return tr(
          "Client→server / server→client, as the latest packet of each direction "
          "carried it; * marks a direction whose marking changed, – one without it");
    case TlsVersion:
    case TlsCipher:
      return tr("Negotiated by the server (ServerHello)");
    case HttpHost:
    case HttpUrl:
    case HttpStatus:
    case HttpMethod:
    case HttpUserAgent:
    case HttpContentType:
      return tr("Of the last HTTP transaction of the connection");
    case ResponseTime:
      return tr("TCP: mean time from a client request to the server's first response byte");
    case RetransBytes:
      return tr("Bytes of the retransmitted segments, both directions");
    case HttpErrors:
      return tr("Responses with a 4xx or 5xx status");
    case TlsAlpn:
      return tr("The application protocol the server selected (else the client's first)");
    case TlsHello:
      return tr("ClientHello → ServerHello");
    case TlsFirstData:
      return tr("ClientHello → the server's first application data");
    case WindowUsage:
      return tr(
          "Client / server: the largest receive window announced, as a share of the largest "
          "the negotiated window scale allows (unknown without the handshake)");
    case WindowFull:
      return tr(
          "Client / server: segments that filled the other side's receive window (the "
          "sender was held back by the window, tshark's window_full)");
    default:
      return {};
  }
}

QString ConnectionTableModel::extraText(const ConnectionRecord& r, int column) {
  switch (column) {
    case ClientCountry:
      return text(r.clientCountry);
    case ServerCountry:
      return text(r.serverCountry);
    case Dscp:
    case VlanPcp:
    case MplsTc:
      if (r.c2sQos.dscp < 0 && r.s2cQos.dscp < 0) return {};  // no packet carried markings
      return markingText(r.c2sQos, column) + QStringLiteral(" / ") + markingText(r.s2cQos, column);
    case MplsLabels:
      if (r.c2sQos.mplsLabels.empty() && r.s2cQos.mplsLabels.empty()) return {};
      return labelsText(r.c2sQos) + QStringLiteral(" / ") + labelsText(r.s2cQos);
    case TlsServerName:
      return r.tls ? text(r.tls->serverName) : QString();
    case TlsVersion:
      return r.tls && r.tls->version != 0 ? text(net::tlsVersionLabel(r.tls->version)) : QString();
    case TlsCipher:
      return r.tls && r.tls->version != 0 ? text(net::cipherSuiteLabel(r.tls->cipher)) : QString();
    case HttpHost:
      return r.http ? text(r.http->host) : QString();
    case HttpUrl:
      return r.http ? text(r.http->url) : QString();
    case HttpStatus:
      return r.http && r.http->status != 0 ? QString::number(r.http->status) : QString();
    case ResponseTime:
      return formatDuration(QLocale(), responseMean(r));
    case WindowUsage: {
      if (r.protocol != 6) return {};
      const auto one = [](const protocol::TcpDirectionStats& t) {
        const int pct = usagePercent(t);
        return pct < 0 ? QStringLiteral("–") : QStringLiteral("%1 %").arg(pct);
      };
      return one(r.c2sTcp) + QStringLiteral(" / ") + one(r.s2cTcp);
    }
    case WindowFull:
      if (r.protocol != 6) return {};
      return QString::number(r.c2sTcp.windowFull) + QStringLiteral(" / ") +
             QString::number(r.s2cTcp.windowFull);
    case ClientGroup:
      return text(r.clientGroup);
    case ServerGroup:
      return text(r.serverGroup);
    case HttpMethod:
      return r.http ? text(r.http->method) : QString();
    case HttpUserAgent:
      return r.http ? text(r.http->userAgent) : QString();
    case HttpContentType:
      return r.http ? text(r.http->contentType) : QString();
    case TlsAlpn:
      return r.tls ? text(r.tls->alpn) : QString();
    case TlsHello:
    case TlsFirstData:
      return formatDuration(QLocale(), detailNumber(r, column));
    case RetransBytes:
    case HttpRequests:
    case HttpErrors: {
      const qlonglong n = detailNumber(r, column);
      return n < 0 ? QString() : QString::number(n);
    }
    default:
      return {};
  }
}

QVariant ConnectionTableModel::extraRaw(const ConnectionRecord& r, int column) {
  if (isQosColumn(column)) {
    // Sortable as one number: the client's marking, then the server's (none first).
    return (marking(r.c2sQos, column).first + 1) * 256 + marking(r.s2cQos, column).first + 1;
  }
  if (isWindowColumn(column)) {
    // Sorted by the larger direction's figure.
    return std::max(windowFigure(r.c2sTcp, column), windowFigure(r.s2cTcp, column));
  }
  if (isDetailNumber(column)) return detailNumber(r, column);
  switch (column) {
    case HttpStatus:
      return r.http ? r.http->status : 0;
    case ResponseTime:
      return static_cast<qlonglong>(responseMean(r));
    default:
      return extraText(r, column);
  }
}

bool ConnectionTableModel::extraIsNumeric(int column) {
  return isQosColumn(column) || isWindowColumn(column) || isDetailNumber(column) ||
         column == HttpStatus || column == ResponseTime;
}

bool ConnectionTableModel::extraLess(const ConnectionRecord& a, const ConnectionRecord& b,
                                     int column) {
  if (extraIsNumeric(column))
    return extraRaw(a, column).toLongLong() < extraRaw(b, column).toLongLong();
  return extraText(a, column).compare(extraText(b, column), Qt::CaseInsensitive) < 0;
}

int ConnectionTableModel::extraValueCount(const ConnectionRecord& r, int column) {
  // QoS: one value per direction that carried the marking.
  if (isQosColumn(column))
    return (marking(r.c2sQos, column).first >= 0 ? 1 : 0) +
           (marking(r.s2cQos, column).first >= 0 ? 1 : 0);
  if (isWindowColumn(column)) {
    if (r.protocol != 6) return 0;
    return (windowFigure(r.c2sTcp, column) >= 0 ? 1 : 0) +
           (windowFigure(r.s2cTcp, column) >= 0 ? 1 : 0);
  }
  if (isDetailNumber(column)) return detailNumber(r, column) < 0 ? 0 : 1;
  switch (column) {
    case HttpStatus:
      return r.http && r.http->status != 0 ? 1 : 0;
    case ResponseTime:
      return r.responseTime.count == 0 ? 0 : 1;
    default:
      return 1;
  }
}

double ConnectionTableModel::extraNumber(const ConnectionRecord& r, int column, int index) {
  if (isQosColumn(column)) {
    const int c2s = marking(r.c2sQos, column).first;
    return index == 0 && c2s >= 0 ? c2s : marking(r.s2cQos, column).first;
  }
  if (isWindowColumn(column)) {
    const qlonglong c2s = windowFigure(r.c2sTcp, column);
    return static_cast<double>(index == 0 && c2s >= 0 ? c2s : windowFigure(r.s2cTcp, column));
  }
  if (column == TlsHello || column == TlsFirstData)
    return static_cast<double>(detailNumber(r, column)) / 1e6;  // ms
  if (isDetailNumber(column)) return static_cast<double>(detailNumber(r, column));
  if (column == ResponseTime) return static_cast<double>(responseMean(r)) / 1e6;  // ms
  if (column == HttpStatus) return r.http ? r.http->status : 0;
  return 0;
}

QString ConnectionTableModel::extraExportText(const ConnectionRecord& r, int column) {
  if (column == TlsHello || column == TlsFirstData) {  // microseconds, as ResponseTime
    const qlonglong ns = detailNumber(r, column);
    return ns < 0 ? QString() : QString::number(static_cast<double>(ns) / 1e3, 'f', 3);
  }
  return extraText(r, column);
}

QString ConnectionTableModel::extraValueText(const ConnectionRecord& r, int column, int) {
  return extraText(r, column);
}

void ConnectionTableModel::addExtraFilterColumns(std::vector<FilterColumn>& columns) {
  using Type = FilterValueType;
  const auto one = [&](QString key, QStringList aliases, int column, Type type) {
    columns.push_back(FilterColumn{std::move(key), std::move(aliases), column, type, false});
  };
  const auto list = [&](QString key, QStringList aliases, int column, Type type) {
    columns.push_back(FilterColumn{std::move(key), std::move(aliases), column, type, true});
  };
  one(QStringLiteral("client_country"), {}, ClientCountry, Type::Text);
  one(QStringLiteral("server_country"), {}, ServerCountry, Type::Text);
  list(QStringLiteral("dscp"), {}, Dscp, Type::Number);
  list(QStringLiteral("vlan_pcp"), {QStringLiteral("pcp")}, VlanPcp, Type::Number);
  list(QStringLiteral("mpls_tc"), {QStringLiteral("tc")}, MplsTc, Type::Number);
  one(QStringLiteral("sni"), {QStringLiteral("tls_server_name")}, TlsServerName, Type::Text);
  one(QStringLiteral("tls_version"), {}, TlsVersion, Type::Text);
  one(QStringLiteral("cipher"), {QStringLiteral("tls_cipher")}, TlsCipher, Type::Text);
  one(QStringLiteral("http_host"), {}, HttpHost, Type::Text);
  one(QStringLiteral("url"), {QStringLiteral("http_url")}, HttpUrl, Type::Text);
  list(QStringLiteral("http_status"), {QStringLiteral("status")}, HttpStatus, Type::Number);
  list(QStringLiteral("response_time"), {QStringLiteral("rt")}, ResponseTime, Type::Number);
  list(QStringLiteral("window_usage"), {}, WindowUsage, Type::Number);
  list(QStringLiteral("window_full"), {}, WindowFull, Type::Number);
  one(QStringLiteral("client_group"), {}, ClientGroup, Type::Text);
  one(QStringLiteral("server_group"), {}, ServerGroup, Type::Text);
  list(QStringLiteral("retrans_bytes"), {}, RetransBytes, Type::Number);
  one(QStringLiteral("http_method"), {QStringLiteral("method")}, HttpMethod, Type::Text);
  one(QStringLiteral("user_agent"), {QStringLiteral("ua")}, HttpUserAgent, Type::Text);
  one(QStringLiteral("content_type"), {}, HttpContentType, Type::Text);
  list(QStringLiteral("http_requests"), {QStringLiteral("requests")}, HttpRequests, Type::Number);
  list(QStringLiteral("http_errors"), {}, HttpErrors, Type::Number);
  one(QStringLiteral("alpn"), {}, TlsAlpn, Type::Text);
  list(QStringLiteral("tls_hello"), {}, TlsHello, Type::Number);
  list(QStringLiteral("tls_first_data"), {}, TlsFirstData, Type::Number);
}

}  // namespace netlens::app::models
