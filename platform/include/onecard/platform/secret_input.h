// Secrets for a command (CLI.md): a passphrase comes from an environment variable when set, else
// from a prompt on the controlling terminal with echo off. Never from the command line.
#pragma once

#include <string>

#include "onecard/platform/status.h"

namespace onecard::platform {

// Reads `env_var`, else prompts on /dev/tty (`confirm`: asks twice and compares).
// kFailedPrecondition when neither is available (no variable, no terminal).
Result<std::string> ReadSecret(const char* env_var, const std::string& prompt,
                               bool confirm = false);

}  // namespace onecard::platform
