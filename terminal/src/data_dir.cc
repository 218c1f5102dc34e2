#include "onecard/terminal/data_dir.h"

#include "onecard/platform/data_dir.h"

namespace onecard::terminal {

std::string ResolveDataDir(const std::string& flag_value) {
  return platform::ResolveDataDir(flag_value, "terminal");
}

}  // namespace onecard::terminal
