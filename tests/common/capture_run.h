// SPDX-License-Identifier: MIT
#pragma once

// Reads one corpus capture to its end through the node's own pipeline, as `netlens-node
// analyze` does, and keeps what the corpus tests compare.

#include <QString>
#include <string>
#include <vector>

#include "node/pipeline/pipeline.h"
#include "tests/common/tshark_reference.h"

namespace netlens::tests {

/// What the pipeline produced for one capture.
struct CaptureRun {
  bool opened = false;
  QString openError;
  std::vector<protocol::HostRecord> hosts;
  std::vector<protocol::ConnectionRecord> connections;
  protocol::GlobalStats global;
};

inline CaptureRun runCapture(const QString& capture, int workers) {
  node::pipeline::PipelineConfig config;
  config.workers = workers;
  node::pipeline::Pipeline pipeline(config);
  CaptureRun r;
  std::string error;
  r.opened = pipeline.addFile(capturePath(capture).toStdString(), &error);
  if (!r.opened) {
    r.openError = QString::fromStdString(error);
    return r;
  }
  pipeline.start();
  pipeline.waitForFiles();
  r.hosts = pipeline.hosts();
  r.connections = pipeline.connections();
  r.global = pipeline.global();
  pipeline.stop();
  return r;
}

}  // namespace netlens::tests
