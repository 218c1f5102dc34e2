// Internal to the sync event conversions (sync_event*.cc).
#pragma once

#include <string>
#include <string_view>

#include "onecard/protocol/status.h"

namespace onecard::sync_event_internal {

// kInvalidArgument with Tr(zh, en). Callers name the event (server: "event <seq> (<type>): ").
Status Malformed(const std::string& zh, const std::string& en);

// Untrusted text quoted in a message: at most 64 bytes, cut at a UTF-8 character boundary.
std::string Quoted(const std::string& text);

}  // namespace onecard::sync_event_internal
