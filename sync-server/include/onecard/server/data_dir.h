// Where the server keeps its state (CLI.md): --data DIR, else $ONECARD_HOME, else
// ~/.onecard/server.
#pragma once

#include <string>

namespace onecard::server {

std::string ResolveDataDir(const std::string& flag_value);

}  // namespace onecard::server
