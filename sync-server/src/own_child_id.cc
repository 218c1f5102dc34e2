#include "own_child_id.h"

namespace onecard::server {

bool IsOwnChildId(const std::string& child_id, const std::string& terminal_id) {
  if (child_id.size() <= terminal_id.size() + 1 || !child_id.starts_with(terminal_id) ||
      child_id[terminal_id.size()] != '-') {
    return false;
  }
  for (size_t i = terminal_id.size() + 1; i < child_id.size(); ++i) {
    if (child_id[i] < '0' || child_id[i] > '9') return false;
  }
  return true;
}

}  // namespace onecard::server
