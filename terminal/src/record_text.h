// Human-readable rendering of a child record for the terminal's screen.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace onecard::terminal {

// Multi-line "label: value" text in the user's language.
std::string RecordText(const nlohmann::json& record);
// The line shown for a closed record (children_repository.h ClosedRecord): its id, that it
// closed at 18 and when.
std::string ClosedRecordText(const nlohmann::json& closed);

}  // namespace onecard::terminal
