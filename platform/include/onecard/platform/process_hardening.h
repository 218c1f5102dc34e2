// Process hardening for the programs that hold keys in memory (the terminal and server CLIs).
#pragma once

namespace onecard::platform {

// Sets umask 077 (stores, keys and bundles are private to the service account) and turns off core
// dumps and ptrace attachment for this process. Call first thing in main().
void HardenProcess();

}  // namespace onecard::platform
