// SPDX-License-Identifier: MIT
#include "node/demo/demo_traffic.h"

#include <cstdio>

#include "node/demo/demo_scenario.h"
#include "shared/pcap/pcap_writer.h"

namespace netlens::node::demo {

std::vector<DemoFrame> generateDemoFrames(const DemoOptions& options) {
  if (!(options.seconds > 0)) return {};
  DemoScenario scenario(options);
  return scenario.generate();
}

bool writeDemoCapture(const std::string& path, const DemoOptions& options, std::string* error) {
  if (!(options.seconds > 0)) {
    if (error != nullptr) *error = "demo capture length must be positive";
    return false;
  }
  const auto frames = generateDemoFrames(options);
  const std::string temporary = path + ".tmp";
  pcap::PcapWriter writer;
  if (!writer.open(temporary, error)) return false;
  for (const auto& frame : frames) {
    if (!writer.writePacket(frame.timestampNs, frame.bytes, 0, error)) {
      writer.close(nullptr);
      std::remove(temporary.c_str());
      return false;
    }
  }
  if (!writer.close(error)) {
    std::remove(temporary.c_str());
    return false;
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    if (error != nullptr) *error = "cannot rename " + temporary + " to " + path;
    std::remove(temporary.c_str());
    return false;
  }
  return true;
}

}  // namespace netlens::node::demo
