// SPDX-License-Identifier: MIT
#pragma once

namespace netlens::node::cli {

/// `query URL audio --call CALL-ID|--ssrc SSRC [--src A:P] [--dst A:P] [--from NS] [--to NS]
/// --mp3 OUT.mp3|--wav OUT.wav [--separate] [--page-size SIZE] [--key FILE] [--timeout S]`:
/// a running node's stored RTP payloads, page by page ("audio"), written with the offline
/// `audio` command's code. argv starts at the URL. Returns the exit code.
int audioQueryCommand(int argc, char** argv);

}  // namespace netlens::node::cli
