// Human-readable rendering of open conflicts (FieldConflict::ToJson form) for the terminal's
// screen.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace onecard::terminal {

// One line per conflict, in the user's language: the value shown (the winner) and the others, each
// with its event id (TERMINAL:SEQ, what `conflicts resolve --value-from` takes) and time.
std::string ConflictText(const nlohmann::json& conflicts);

}  // namespace onecard::terminal
