#include "onecard/terminal/data_dir.h"

#include <cstdlib>

namespace onecard::terminal {

std::string ResolveDataDir(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (const char* home = std::getenv("ONECARD_HOME"); home != nullptr && *home != '\0') return home;
  const char* user_home = std::getenv("HOME");
  return std::string(user_home != nullptr ? user_home : ".") + "/.onecard/terminal";
}

}  // namespace onecard::terminal
