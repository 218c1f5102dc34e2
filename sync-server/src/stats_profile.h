// What the statistics model (stats_cube.h) knows of one child record: its value in each counted
// attribute, packed into one integer, on a given day ("the statistics' date"), and the first later
// day on which time alone would change one of them (a birthday that starts a new age band, a due
// dose falling overdue). Issue 13; docs/statistics.md. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "onecard/protocol/child_state.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/vaccination_status.h"

namespace onecard::server {

// The attributes a counts question may break down by, besides the two areas. Each value has an
// index (0 is always "unknown", or "none" for the card): 4 bits per attribute in StatsAttributes.
enum class StatsAttribute {
  kCategory,      // migrant, left_behind, other
  kSex,           // M, F
  kAgeBand,       // 0-2, 3-5, 6-11, 12-14, 15-17, 18+
  kSchoolStatus,  // enrolled, not_enrolled, dropped_out
  kSchoolStage,   // preschool, primary, junior, senior, vocational (school_stage.h)
  kVaccination,   // up_to_date, overdue (NIP schedule on the statistics' date)
  kCard,          // issued
};
inline constexpr int kStatsAttributeCount = 7;

// The dimension name of an attribute ("category", "age_band", …), as `--by` takes it.
std::string_view StatsAttributeName(StatsAttribute attribute);
// The attribute of a dimension name; nullopt for any other name (areas included).
std::optional<StatsAttribute> StatsAttributeNamed(std::string_view name);
// The values of an attribute, by index.
const std::vector<std::string_view>& StatsAttributeValues(StatsAttribute attribute);

// The packed values of all attributes: index of attribute a at bits [4a, 4a + 4).
using StatsAttributes = uint32_t;
// The value (text) of `attribute` in `packed`.
std::string_view StatsAttributeValue(StatsAttributes packed, StatsAttribute attribute);
// Whether the record profiled as `attributes` is closed (ageing_out.h: 18 or older on the
// statistics' day, age band "18+"). Closed records stay in the cells, where the daily roll moves
// them on their birthday, but no answer counts them.
bool StatsRecordClosed(StatsAttributes attributes);

// A child record as the statistics count it on one day.
struct StatsProfile {
  StatsAttributes attributes = 0;
  // The first day after the profile's day on which, with no new fact, an attribute would change;
  // nullopt when none ever would (no valid birth date and no dose schedule ahead).
  std::optional<CivilDate> changes_on;
};

// The columns of a children row the statistics read as stored (ingest writes them from the state's
// winners; a row stored otherwise is counted by its columns, as the reports always counted it).
struct StatsColumns {
  std::string_view category, sex, birth_date;
  // The record's card serial is revoked (revocations): its card counts as none, as a registrar
  // would say of a child whose only card was reported lost, until a new card is written.
  bool card_revoked = false;
};

// The card serial a record holds ("" for none): the one its card dimension looks up in the
// revocations.
std::string_view StatsCardSerial(const ChildState& state);

// The profile on `on` of the record with `columns` and `state` (school, doses, card serial).
// Never fails: a value no registration may hold today is "unknown" (stored_values.h).
// `vaccination`, when given, is the record's vaccination status on `on`, already worked out
// (VaccinationOutlookOf of its birth date and doses; event_checks.h does it outside the lock).
StatsProfile ProfileOf(const StatsColumns& columns, const ChildState& state, CivilDate on,
                       const VaccinationOutlook* vaccination = nullptr);

}  // namespace onecard::server
