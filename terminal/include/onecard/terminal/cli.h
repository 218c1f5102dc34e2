// The onecard-terminal command line (CLI.md). Returns the process exit status: 0 on success;
// errors are printed to stderr as one sentence naming the problem.
#pragma once

#include <vector>

#include "onecard/platform/clock.h"
#include "onecard/terminal/command.h"

namespace onecard::terminal {

// `clock` is the time for everything the command does (main() passes platform::SystemClock()).
// `more`: commands beyond the terminal library's own, listed after them (the desk's).
int RunCli(int argc, char** argv, const platform::Clock& clock,
           const std::vector<TerminalCommand>& more = {});

}  // namespace onecard::terminal
