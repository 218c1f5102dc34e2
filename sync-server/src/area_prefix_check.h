// The area prefix a report is asked about (flows, coverage): checked before the store is read.
// Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "onecard/protocol/status.h"

namespace onecard::server {

// Ok when `prefix` is 1 to 6 ASCII digits; else kInvalidArgument naming `flag` ("--area").
Status CheckAreaPrefix(const std::string& prefix, std::string_view flag);

}  // namespace onecard::server
