// SPDX-License-Identifier: MIT
#include "node/service/node_service.h"

#include <chrono>
#include <cstdio>
#include <random>
#include <zmq.hpp>

#include "node/pipeline/pipeline.h"
#include "node/service/audio_request.h"
#include "node/service/connection_selection.h"
#include "node/service/history_selection.h"
#include "node/service/live_captures.h"
#include "node/store/store_writer.h"
#include "shared/net/ip_groups.h"
#include "shared/protocol/codec.h"
#include "shared/transport/keys.h"
#include "shared/transport/server_socket.h"
#include "shared/transport/zap_handler.h"

namespace netlens::node::service {

using Clock = std::chrono::steady_clock;

namespace {

std::uint64_t randomEpoch() {
  std::random_device random;
  const std::uint64_t e = (std::uint64_t{random()} << 32) ^ random();
  return e == 0 ? 1 : e;  // 0 means "a node without epochs"
}

}  // namespace

struct NodeService::Impl {
  Impl(ServiceConfig c, pipeline::Pipeline& p)
      : config(std::move(c)),
        pipeline(p),
        zap(context, config.authorizedKeysFile,
            [](std::string_view line) {
              std::fprintf(stderr, "netlens-node: %.*s\n", static_cast<int>(line.size()),
                           line.data());
            }),
        live(config.liveTap, p, config.liveIdleTimeout) {}

  void run();
  void handle(const transport::IncomingRequest& in);
  void publishDelta();
  protocol::Reply groupsReply(const protocol::Request& request);
  /// The addresses of the host table in group `name`; false with `problem` for no such group.
  bool groupMembers(const std::string& name, std::vector<net::IpAddress>* members,
                    std::string* problem);
  protocol::Reply setGroups(const protocol::Request& request);
  protocol::GroupList groupList(bool withMembers, std::optional<std::size_t> only);

  ServiceConfig config;
  pipeline::Pipeline& pipeline;
  zmq::context_t context{1};
  transport::ZapHandler zap;
  std::optional<zmq::socket_t> router;
  std::optional<zmq::socket_t> pub;
  std::uint16_t publisherPort = 0;
  std::uint64_t sequence = 0;
  /// Random per process, so consoles notice a restarted node whose sequence began again.
  std::uint64_t epoch = randomEpoch();
  std::thread thread;
  std::atomic<bool> stopFlag{false};
  /// Service thread only. Never null after construction.
  std::shared_ptr<const net::IpGroupSet> groups;
  /// Set by set-groups: the next delta carries every host (their group may have changed).
  bool groupsChanged = false;
  LiveCaptures live;
};

protocol::GroupList NodeService::Impl::groupList(bool withMembers,
                                                 std::optional<std::size_t> only) {
  protocol::GroupList list;
  list.packetTime = pipeline.packetTime();
  list.maxGroups = config.maxGroups;
  // Group figures are over the hosts currently in the table: computed from the merged
  // host records at query time, so a new group set applies to everything at once.
  if (!groups->isEmpty()) list.groups = groups->statistics(pipeline.hosts(), withMembers, only);
  return list;
}

bool NodeService::Impl::groupMembers(const std::string& name, std::vector<net::IpAddress>* members,
                                     std::string* problem) {
  const auto index = groups->indexOf(name);
  if (!index) {
    *problem = "parameter name: the node has no group named \"" + name + "\"";
    return false;
  }
  auto records = groups->statistics(pipeline.hosts(), true, index);
  if (!records.empty()) *members = std::move(records.front().members);
  return true;
}

protocol::Reply NodeService::Impl::groupsReply(const protocol::Request& request) {
  std::optional<std::size_t> only;
  bool withMembers = false;
  if (auto it = request.params.find("members"); it != request.params.end()) {
    if (it->second != "0" && it->second != "1")
      return protocol::makeErrorReply(request.requestId, request.operation,
                                      protocol::ErrorCode::InvalidArgument,
                                      "parameter \"members\" takes 0 or 1");
    withMembers = it->second == "1";
  }
  if (auto it = request.params.find("name"); it != request.params.end()) {
    only = groups->indexOf(it->second);
    if (!only)
      return protocol::makeErrorReply(request.requestId, request.operation,
                                      protocol::ErrorCode::InvalidArgument,
                                      "no group named \"" + it->second + "\"");
    withMembers = true;
  }
  return protocol::makeReply(request, protocol::encodeBody(groupList(withMembers, only)));
}

protocol::Reply NodeService::Impl::setGroups(const protocol::Request& request) {
  const auto invalid = [&](std::string message) {
    return protocol::makeErrorReply(request.requestId, request.operation,
                                    protocol::ErrorCode::InvalidArgument, std::move(message));
  };
  auto it = request.params.find("groups");
  if (it == request.params.end()) return invalid("parameter \"groups\" is missing");
  auto definitions = protocol::decodeBody<protocol::GroupDefinitions>(it->second);
  if (!definitions) return invalid(definitions.error());
  auto created = net::IpGroupSet::create(definitions->groups, config.maxGroups);
  if (!created) return invalid(created.error());
  auto next = std::make_shared<const net::IpGroupSet>(std::move(*created));
  if (!config.groupsFile.empty()) {
    // Persist first: a set that would be lost on restart is refused, and nothing changes.
    if (auto st = transport::writePrivateFile(config.groupsFile, next->toText()); !st)
      return protocol::makeErrorReply(request.requestId, request.operation,
                                      protocol::ErrorCode::Internal,
                                      "cannot keep the groups: " + st.error());
  }
  groups = std::move(next);
  groupsChanged = true;
  std::fprintf(stderr, "netlens-node: IP groups replaced (%zu groups)\n", groups->size());
  return protocol::makeReply(request, protocol::encodeBody(groupList(false, std::nullopt)));
}

void NodeService::Impl::handle(const transport::IncomingRequest& in) {
  protocol::ErrorCode code = protocol::ErrorCode::BadRequest;
  std::uint64_t requestId = 0;
  auto request = protocol::decodeRequest(in.envelope, &code, &requestId);
  protocol::Reply reply;
  if (!request) {
    reply = protocol::makeErrorReply(requestId, "", code, request.error());
  } else if (!in.role) {
    reply = protocol::makeErrorReply(request->requestId, request->operation,
                                     protocol::ErrorCode::NotAuthorised,
                                     "this connection has no role; it is not authorised");
  } else {
    const auto* op = protocol::findOperation(request->operation);
    if (op->adminOnly && *in.role != transport::Role::Admin) {
      reply = protocol::makeErrorReply(
          request->requestId, request->operation, protocol::ErrorCode::NotAuthorised,
          "operation \"" + request->operation + "\" needs the admin role; this key is a viewer");
    } else {
      switch (op->id) {
        case protocol::OperationId::Hello: {
          protocol::Hello hello;
          hello.nodeName = config.nodeName;
          hello.version = NETLENS_VERSION;
          hello.role = std::string(transport::roleName(*in.role));
          hello.publisherPort = publisherPort;
          hello.sources = pipeline.sources();
          hello.inactivityGapNs = config.inactivityGapNs;
          hello.analysesOff = pipeline.switches().offNames();
          reply = protocol::makeReply(*request, protocol::encodeBody(hello));
          break;
        }
        case protocol::OperationId::Hosts: {
          // Clone pattern: this snapshot contains every delta up to `sequence`; deltas
          // carry full records, so one applied twice does no harm.
          protocol::HostsSnapshot snapshot;
          snapshot.sequence = sequence;
          snapshot.epoch = epoch;
          snapshot.hosts = pipeline.hosts();
          groups->annotate(snapshot.hosts);
          reply = protocol::makeReply(*request, protocol::encodeBody(snapshot));
          break;
        }
        case protocol::OperationId::Global:
          reply = protocol::makeReply(*request, protocol::encodeBody(pipeline.global()));
          break;
        case protocol::OperationId::Connections: {
          std::string problem;
          auto selection = parseConnectionSelection(request->params, &problem);
          if (!selection) {
            reply = protocol::makeErrorReply(request->requestId, request->operation,
                                             protocol::ErrorCode::InvalidArgument, problem);
            break;
          }
          auto list = selectConnections(pipeline.connections(), *selection, pipeline.packetTime(),
                                        *groups, &problem);
          reply = list ? protocol::makeReply(*request, protocol::encodeBody(*list))
                       : protocol::makeErrorReply(request->requestId, request->operation,
                                                  protocol::ErrorCode::InvalidArgument, problem);
          break;
        }
        case protocol::OperationId::Groups:
          reply = groupsReply(*request);
          break;
        case protocol::OperationId::SetGroups:
          reply = setGroups(*request);
          break;
        case protocol::OperationId::Search: {
          std::string problem;
          store::SearchRequest search;
          protocol::SearchReply found;
          if (!config.store) {
            problem = "this node keeps no packets: start it with --store DIR";
          } else if (parseSearchRequest(request->params, &search, &problem)) {
            config.store->search(search, &found, &problem);
          }
          reply = problem.empty()
                      ? protocol::makeReply(*request, protocol::encodeBody(found))
                      : protocol::makeErrorReply(request->requestId, request->operation,
                                                 protocol::ErrorCode::InvalidArgument, problem);
          break;
        }
        case protocol::OperationId::Rtp:
        case protocol::OperationId::Sip:
        case protocol::OperationId::Calls: {
          // The same figures as `analyze --json rtp|sip|calls`: one pipeline, one assessment.
          if (!request->params.empty()) {
            reply = protocol::makeErrorReply(
                request->requestId, request->operation, protocol::ErrorCode::InvalidArgument,
                "unknown parameter \"" + request->params.begin()->first + "\" (\"" +
                    request->operation + "\" takes none)");
            break;
          }
          const protocol::TimeNs now = pipeline.packetTime();
          std::string body;
          if (op->id == protocol::OperationId::Rtp) {
            body = protocol::encodeBody(protocol::RtpStreamList{now, pipeline.rtpStreams()});
          } else if (op->id == protocol::OperationId::Sip) {
            body = protocol::encodeBody(protocol::SipStatistics{now, pipeline.sipCounters()});
          } else {
            body = protocol::encodeBody(protocol::CallList{now, pipeline.calls()});
          }
          reply = protocol::makeReply(*request, std::move(body));
          break;
        }
        case protocol::OperationId::LiveStart:
        case protocol::OperationId::LiveFetch:
        case protocol::OperationId::LiveStop:
        case protocol::OperationId::LiveList:
          reply = live.handle(*request, ClientIdentity{in.clientKey, in.clientComment, *in.role},
                              *groups);
          break;
        case protocol::OperationId::Audio:
          // The analysis names the streams; their packets come from the store.
          reply = audioReply(*request, pipeline.rtpStreams(), pipeline.calls(), config.store.get());
          break;
        case protocol::OperationId::History: {
          std::string problem;
          auto query = parseHistoryQuery(request->params, &problem);
          if (query && query->group && !groupMembers(*query->group, &query->members, &problem))
            query.reset();
          protocol::HistoryReply history;
          if (!query || !pipeline.history(*query, &history, &problem)) {
            reply = protocol::makeErrorReply(request->requestId, request->operation,
                                             protocol::ErrorCode::InvalidArgument, problem);
            break;
          }
          reply = protocol::makeReply(*request, protocol::encodeBody(history));
          break;
        }
      }
    }
  }
  transport::sendReply(*router, in.routingId, protocol::encodeReply(reply));
}

void NodeService::Impl::publishDelta() {
  protocol::HostsDelta delta;
  pipeline.changedHosts(&delta.changed, &delta.removed);
  if (groupsChanged) {
    delta.changed = pipeline.hosts();
    groupsChanged = false;
  }
  groups->annotate(delta.changed);
  delta.sequence = ++sequence;
  delta.epoch = epoch;
  delta.packetTime = pipeline.packetTime();
  delta.global = pipeline.global();
  transport::publish(*pub, protocol::kHostsTopic, protocol::encodeBody(delta));
}

void NodeService::Impl::run() {
  auto nextPublish = Clock::now() + std::chrono::milliseconds(config.publishIntervalMs);
  while (!stopFlag.load()) {
    zmq::pollitem_t items[] = {{router->handle(), 0, ZMQ_POLLIN, 0}};
    const auto wait =
        std::chrono::duration_cast<std::chrono::milliseconds>(nextPublish - Clock::now());
    try {
      zmq::poll(items, 1, std::chrono::milliseconds(std::clamp<long>(wait.count(), 0, 100)));
    } catch (const zmq::error_t&) {
      continue;
    }
    if (items[0].revents & ZMQ_POLLIN) {
      // Serve what is waiting, but never starve the publisher.
      for (int i = 0; i < 64; ++i) {
        auto in = transport::receiveRequest(*router);
        if (!in) break;
        handle(*in);
      }
    }
    live.expireIdle();
    if (Clock::now() >= nextPublish) {
      publishDelta();
      nextPublish += std::chrono::milliseconds(config.publishIntervalMs);
      if (nextPublish < Clock::now()) {
        nextPublish = Clock::now() + std::chrono::milliseconds(config.publishIntervalMs);
      }
    }
  }
}

NodeService::NodeService(ServiceConfig config, pipeline::Pipeline& pipeline)
    : m_impl(std::make_unique<Impl>(std::move(config), pipeline)) {
  m_impl->groups =
      m_impl->config.groups ? m_impl->config.groups : std::make_shared<const net::IpGroupSet>();
}

NodeService::~NodeService() {
  stop();
}

protocol::Status NodeService::start() {
  Impl& d = *m_impl;
  if (auto st = d.zap.start(); !st) return st;
  d.router.emplace(d.context, zmq::socket_type::router);
  d.pub.emplace(d.context, zmq::socket_type::pub);
  if (auto st = transport::configureCurveServer(*d.router, d.config.serverKeys); !st) return st;
  if (auto st = transport::configureCurveServer(*d.pub, d.config.serverKeys); !st) return st;
  auto port = transport::bindTcp(*d.router, d.config.listenHost, d.config.controlPort);
  if (!port) return protocol::Status::failure(port.error());
  // A fixed control port puts the publisher on the next one (firewall rules can name both);
  // port 0 makes both ephemeral — consoles learn the publisher port from Hello.
  const std::uint16_t wantedPub =
      d.config.controlPort == 0 ? 0 : static_cast<std::uint16_t>(*port + 1);
  auto pubPort = transport::bindTcp(*d.pub, d.config.listenHost, wantedPub);
  if (!pubPort) return protocol::Status::failure("publisher socket: " + pubPort.error());
  m_controlPort = *port;
  d.publisherPort = *pubPort;
  m_publisherPort = *pubPort;
  d.thread = std::thread([&d] { d.run(); });
  return {};
}

void NodeService::stop() {
  if (!m_impl || !m_impl->thread.joinable()) return;
  m_impl->stopFlag = true;
  m_impl->thread.join();
  m_impl->router.reset();
  m_impl->pub.reset();
  m_impl->zap.stop();
}

}  // namespace netlens::node::service
