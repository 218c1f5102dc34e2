#include "onecard/server/data_dir.h"

#include "onecard/platform/data_dir.h"

namespace onecard::server {

std::string ResolveDataDir(const std::string& flag_value) {
  return platform::ResolveDataDir(flag_value, "server");
}

}  // namespace onecard::server
