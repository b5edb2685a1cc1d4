// SPDX-License-Identifier: MIT
#pragma once

namespace netlens::node::cli {

/// Subcommands of netlens-node. Each takes argv after the subcommand name, prints errors
/// (what is wrong and how to fix it) on stderr and returns the process exit code.
int runCommand(int argc, char** argv);
int analyzeCommand(int argc, char** argv);
int queryCommand(int argc, char** argv);
int keygenCommand(int argc, char** argv);
int authorizeCommand(int argc, char** argv);
int connectionStringCommand(int argc, char** argv);
int demoCommand(int argc, char** argv);
int ingestCommand(int argc, char** argv);
int searchCommand(int argc, char** argv);
int audioCommand(int argc, char** argv);

}  // namespace netlens::node::cli
