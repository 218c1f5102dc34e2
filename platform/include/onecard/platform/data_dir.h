// Where a OneCard program keeps its state (CLI.md): --data DIR, else $ONECARD_HOME, else
// ~/.onecard/<program>.
#pragma once

#include <string>

namespace onecard::platform {

// `flag_value` when not empty, else $ONECARD_HOME when set and not empty, else
// $HOME/.onecard/<program> (./.onecard/<program> when HOME is unset).
std::string ResolveDataDir(const std::string& flag_value, const std::string& program);

}  // namespace onecard::platform
