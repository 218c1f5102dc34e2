// A child's vaccination status on a date, from the National Immunization Programme schedule
// (immunization_schedule.h), as the statistics count it (issue 13, dimension `vaccination`), and
// the day that status would change if nothing were recorded.
//
// The status of a canonical record on a day `on`:
//  - kUnknown when the record has no `immunizations` field (never recorded; an empty list is a
//    record of no doses), no valid `birth_date`, an `immunizations` list that is not a list of
//    {vaccine, dose, date}, or `on` is before the birth date;
//  - else kOverdue when any dose of the schedule version in force on `on` is overdue or missed
//    (no catch-up any more: the child is still not up to date);
//  - else kUpToDate (doses due but not yet overdue, or not yet due, count as up to date).
// A dose counts as given from its date on: on a day before a recorded dose's date the child had
// not had it (so a status on a past day is the status the child had then).
//
// Pure; thread-safe. Cost: one assessment of the schedule for most records (measured by
// bench/vaccination_status_bench.cc; docs/performance.md).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/immunization_schedule.h"

namespace onecard {

enum class VaccinationStatus { kUpToDate, kOverdue, kUnknown };
// "up_to_date", "overdue", "unknown".
std::string_view VaccinationStatusName(VaccinationStatus status);

struct VaccinationOutlook {
  VaccinationStatus status = VaccinationStatus::kUnknown;
  // The first day after `on` whose status differs from `status` if the record does not change:
  // a dose falling overdue or past catch-up, a new schedule version taking effect, a recorded
  // dose's date arriving, the birth date for a day before birth. nullopt when the status never
  // changes. Exact: every day from `on` to changes_on - 1 has `status`.
  std::optional<CivilDate> changes_on;
};

// The status of `record` (its birth_date and immunizations) on `on` under `schedule`, and when it
// changes.
VaccinationOutlook VaccinationOutlookOf(const ImmunizationSchedule& schedule,
                                        const nlohmann::json& record, CivilDate on);
// The same under the national schedule (ImmunizationSchedule::National()).
VaccinationOutlook VaccinationOutlookOf(const nlohmann::json& record, CivilDate on);

}  // namespace onecard
