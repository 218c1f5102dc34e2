// Children a terminal registers are numbered in its own namespace: "<terminal_id>-<n>" (sync.md,
// "Who may change a child"). Internal to the server library.
#pragma once

#include <string>

namespace onecard::server {

// Whether `child_id` is "<terminal_id>-<digits>".
bool IsOwnChildId(const std::string& child_id, const std::string& terminal_id);

}  // namespace onecard::server
