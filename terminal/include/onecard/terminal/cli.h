// The onecard-terminal command line (CLI.md). Returns the process exit status: 0 on success;
// errors are printed to stderr as one sentence naming the problem.
#pragma once

namespace onecard::terminal {

int RunCli(int argc, char** argv);

}  // namespace onecard::terminal
