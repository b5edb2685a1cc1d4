// SPDX-License-Identifier: MIT
#include "shared/voip/rtp_payload_types.h"

#include <array>

namespace netlens::voip {

namespace {

// RFC 3551 section 6, tables 4 (audio) and 5 (video); unlisted numbers are unassigned.
constexpr std::array<StaticPayloadType, 35> kStatic = {{
    {"PCMU", 8000},  {"", 0},         {"", 0},         {"GSM", 8000},   {"G723", 8000},
    {"DVI4", 8000},  {"DVI4", 16000}, {"LPC", 8000},   {"PCMA", 8000},  {"G722", 8000},
    {"L16", 44100},  {"L16", 44100},  {"QCELP", 8000}, {"CN", 8000},    {"MPA", 90000},
    {"G728", 8000},  {"DVI4", 11025}, {"DVI4", 22050}, {"G729", 8000},  {"", 0},
    {"", 0},         {"", 0},         {"", 0},         {"", 0},         {"", 0},
    {"CelB", 90000}, {"JPEG", 90000}, {"", 0},         {"nv", 90000},   {"", 0},
    {"", 0},         {"H261", 90000}, {"MPV", 90000},  {"MP2T", 90000}, {"H263", 90000},
}};

}  // namespace

StaticPayloadType staticPayloadType(std::uint8_t payloadType) {
  if (payloadType < kStatic.size()) return kStatic[payloadType];
  return {};
}

}  // namespace netlens::voip
