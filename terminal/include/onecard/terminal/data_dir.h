// Where a terminal keeps its state (CLI.md): --data DIR, else $ONECARD_HOME, else
// ~/.onecard/terminal.
#pragma once

#include <string>

namespace onecard::terminal {

std::string ResolveDataDir(const std::string& flag_value);

}  // namespace onecard::terminal
