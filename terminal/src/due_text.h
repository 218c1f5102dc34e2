// The text form of an immunization assessment for `onecard-terminal due` (the --json form is
// ImmunizationAssessment::ToJson). Vaccine names in the user's language.
#pragma once

#include <string>

#include "onecard/protocol/immunization_schedule.h"

namespace onecard::terminal {

std::string DueText(const std::string& child_id, const ImmunizationAssessment& assessment);

}  // namespace onecard::terminal
