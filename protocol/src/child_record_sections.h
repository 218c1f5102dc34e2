// Internal: validators of the structured parts of the child record (guardians, caregiver, school,
// immunizations, consent). Each returns the normalised part or an error naming the field path.
// Pure and thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "child_record_fields.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/status.h"

namespace onecard::child_record_internal {

// 0–4 guardians; at most one father and one mother; no ID number twice, none equal to
// `child_id_number` (empty when the child has none).
Result<nlohmann::json> Guardians(const nlohmann::json& value, const Rules& rules,
                                 const std::string& child_id_number);
Result<nlohmann::json> Caregiver(const nlohmann::json& value);
Result<nlohmann::json> School(const nlohmann::json& value);
// Doses with dates between `birth` and rules.today, no (vaccine, dose) twice; sorted by
// (date, vaccine, dose).
Result<nlohmann::json> Immunizations(const nlohmann::json& value, CivilDate birth,
                                     const Rules& rules);
// {by, relation, date}; "self" only for a child aged 14 or more on the consent date.
Result<nlohmann::json> Consent(const nlohmann::json& value, CivilDate birth, const Rules& rules);

}  // namespace onecard::child_record_internal
