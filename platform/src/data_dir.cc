#include "onecard/platform/data_dir.h"

#include <cstdlib>

namespace onecard::platform {

std::string ResolveDataDir(const std::string& flag_value, const std::string& program) {
  if (!flag_value.empty()) return flag_value;
  if (const char* home = std::getenv("ONECARD_HOME"); home != nullptr && *home != '\0') return home;
  const char* user_home = std::getenv("HOME");
  return std::string(user_home != nullptr ? user_home : ".") + "/.onecard/" + program;
}

}  // namespace onecard::platform
