// The onecard-server command line (CLI.md). Returns the process exit status: 0 on success;
// errors are printed to stderr as one sentence naming the problem.
#pragma once

namespace onecard::server {

int RunCli(int argc, char** argv);

}  // namespace onecard::server
