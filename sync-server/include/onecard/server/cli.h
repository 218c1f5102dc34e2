// The onecard-server command line (CLI.md). Returns the process exit status: 0 on success;
// errors are printed to stderr as one sentence naming the problem.
#pragma once

#include "onecard/platform/clock.h"

namespace onecard::server {

// `clock` is the time for everything the command does (main() passes platform::SystemClock()).
int RunCli(int argc, char** argv, const platform::Clock& clock);

}  // namespace onecard::server
