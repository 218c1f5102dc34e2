// Values of the children table as reports read them. The rows were written by terminals, some
// before today's validation existed, so any column may hold anything: a number, NULL, "alien",
// "2019-02-30". Each reader returns the value when it is one a registration may hold today
// (protocol/src/child_record.cc) and "unknown" otherwise, so a report groups the bad ones under
// one cell and never throws. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "onecard/protocol/child_state.h"
#include "onecard/protocol/status.h"

namespace onecard::server {

// The cell a report shows for a value that is missing or not well-formed.
inline constexpr char kUnknownValue[] = "unknown";

// "M" or "F"; else kUnknownValue.
std::string StoredSex(std::string_view text);
// The first `digits` (1..6) digits of a known 6-digit area code (GB/T 2260); else kUnknownValue.
std::string StoredAreaPrefix(std::string_view text, size_t digits);

// The merged state of a child as stored (children.state); an error when the text is not JSON or
// not a state (a report then shows the child as unreadable, or leaves it out).
Result<ChildState> StoredChildState(std::string_view state_text);
// The serial of the card a stored state shows: its card_serial's current value when it is a
// string; "" when there is none or the state does not read.
std::string StoredCardSerial(std::string_view state_text);

}  // namespace onecard::server
