// Human-readable rendering of a child record for the terminal's screen.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace onecard::terminal {

// Multi-line "label: value" text in the user's language.
std::string RecordText(const nlohmann::json& record);
// The line shown for a closed record (children_repository.h ClosedRecord): its id, that it
// closed at 18 and when.
std::string ClosedRecordText(const nlohmann::json& closed);

// The label of a record field or of a member of one of its objects (guardian, caregiver, school,
// consent, dose: "relation", "phone"...), in the user's language; `name` itself when unknown.
std::string FieldLabel(std::string_view name);
// A scalar value of the field or member `name` as shown: a code in words ("father" -> "父亲"), an
// area code with its name ("440306 宝安区"), a non-string value as its JSON text. Never throws.
std::string ValueText(std::string_view name, const nlohmann::json& value);

}  // namespace onecard::terminal
