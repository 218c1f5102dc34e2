// Human-readable rendering of a child record for the terminal's screen.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace onecard::terminal {

// Multi-line "label: value" text in the user's language.
std::string RecordText(const nlohmann::json& record);

}  // namespace onecard::terminal
