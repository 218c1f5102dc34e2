#include "stats_profile.h"

#include <algorithm>
#include <array>

#include "counts.h"
#include "onecard/protocol/school_stage.h"
#include "onecard/protocol/vaccination_status.h"
#include "stored_values.h"

namespace onecard::server {
namespace {

// The school stage values: unknown, then every stage (school_stage.h) in order of schooling.
std::vector<std::string_view> StageValues() {
  std::vector<std::string_view> values = {kUnknownValue};
  for (const SchoolStage& stage : SchoolStages()) values.push_back(stage.code);
  return values;
}

struct AttributeTable {
  std::string_view name;
  std::vector<std::string_view> values;  // index 0: the value of a missing or unreadable field
};

const std::array<AttributeTable, kStatsAttributeCount>& Tables() {
  static const std::array<AttributeTable, kStatsAttributeCount> tables = {{
      {"category", {kUnknownValue, "migrant", "left_behind", "other"}},
      {"sex", {kUnknownValue, "M", "F"}},
      {"age_band", {kUnknownValue, "0-2", "3-5", "6-11", "12-14", "15-17", "18+"}},
      {"school_status", {kUnknownValue, "enrolled", "not_enrolled", "dropped_out"}},
      {"school_stage", StageValues()},
      {"vaccination", {kUnknownValue, "up_to_date", "overdue"}},
      {"card", {"none", "issued"}},
  }};
  return tables;
}

int Shift(StatsAttribute a) { return 4 * static_cast<int>(a); }

// The index of `text` among the attribute's values; 0 (unknown) when it is none of them.
StatsAttributes IndexOf(StatsAttribute a, std::string_view text) {
  const auto& values = Tables()[static_cast<size_t>(a)].values;
  auto it = std::find(values.begin() + 1, values.end(), text);
  return it == values.end() ? 0 : static_cast<StatsAttributes>(it - values.begin());
}

// The winner of `field` as text; empty when it is not a string.
std::string_view WinnerText(const ChildState& state, const char* field) {
  const FieldValue* v = state.Winner(field);
  return v != nullptr && v->value.is_string()
             ? std::string_view(v->value.get_ref<const std::string&>())
             : std::string_view();
}

// The member `key` of the school object as text ("" when absent or not a string).
std::string_view SchoolText(const ChildState& state, const char* key) {
  const FieldValue* v = state.Winner("school");
  if (v == nullptr || !v->value.is_object()) return {};
  auto it = v->value.find(key);
  return it != v->value.end() && it->is_string()
             ? std::string_view(it->get_ref<const std::string&>())
             : std::string_view();
}

// The first day after `on` on which the age band of a child born on `birth` changes, if any.
std::optional<CivilDate> AgeBandChange(CivilDate birth, CivilDate on) {
  for (int years : {3, 6, 12, 15, 18}) {
    CivilDate d = BirthdayAt(birth, years);
    if (d > on) return d;
  }
  return std::nullopt;
}

std::optional<CivilDate> Earlier(std::optional<CivilDate> a, std::optional<CivilDate> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

// The vaccination status on `on` of the record's doses (vaccination_status.h): unknown when no
// dose was ever recorded; and the day it would change.
VaccinationOutlook Vaccination(const ChildState& state, std::string_view birth_date, CivilDate on) {
  if (state.doses().empty()) return {};
  return VaccinationOutlookOf(
      nlohmann::json{{"birth_date", birth_date}, {"immunizations", state.doses().List()}}, on);
}

}  // namespace

std::string_view StatsAttributeName(StatsAttribute attribute) {
  return Tables()[static_cast<size_t>(attribute)].name;
}

std::optional<StatsAttribute> StatsAttributeNamed(std::string_view name) {
  for (int a = 0; a < kStatsAttributeCount; ++a) {
    if (Tables()[static_cast<size_t>(a)].name == name) return static_cast<StatsAttribute>(a);
  }
  return std::nullopt;
}

const std::vector<std::string_view>& StatsAttributeValues(StatsAttribute attribute) {
  return Tables()[static_cast<size_t>(attribute)].values;
}

std::string_view StatsAttributeValue(StatsAttributes packed, StatsAttribute attribute) {
  const auto& values = StatsAttributeValues(attribute);
  const size_t index = (packed >> Shift(attribute)) & 0xF;
  return index < values.size() ? values[index] : values[0];
}

bool StatsRecordClosed(StatsAttributes attributes) {
  return StatsAttributeValue(attributes, StatsAttribute::kAgeBand) == "18+";
}

std::string_view StatsCardSerial(const ChildState& state) {
  return WinnerText(state, "card_serial");
}

StatsProfile ProfileOf(const StatsColumns& columns, const ChildState& state, CivilDate on,
                       const VaccinationOutlook* known_vaccination) {
  StatsProfile p;
  auto set = [&p](StatsAttribute a, std::string_view text) {
    p.attributes |= IndexOf(a, text) << Shift(a);
  };
  set(StatsAttribute::kCategory, columns.category);
  set(StatsAttribute::kSex, columns.sex);
  set(StatsAttribute::kSchoolStatus, SchoolText(state, "status"));
  const FieldValue* school = state.Winner("school");
  set(StatsAttribute::kSchoolStage, school != nullptr ? SchoolStageOf(school->value) : "");
  const bool card = !StatsCardSerial(state).empty() && !columns.card_revoked;
  set(StatsAttribute::kCard, card ? "issued" : "none");
  Result<CivilDate> birth = CivilDate::Parse(columns.birth_date);
  if (!birth.ok()) return p;  // age band and vaccination unknown
  if (*birth > on) {          // born after the statistics' day (not rolled yet): known from then on
    p.changes_on = *birth;
    return p;
  }
  set(StatsAttribute::kAgeBand, AgeBand(AgeInYears(*birth, on)));
  const VaccinationOutlook vaccination = known_vaccination != nullptr
                                             ? *known_vaccination
                                             : Vaccination(state, columns.birth_date, on);
  set(StatsAttribute::kVaccination, VaccinationStatusName(vaccination.status));
  p.changes_on = Earlier(AgeBandChange(*birth, on), vaccination.changes_on);
  return p;
}

}  // namespace onecard::server
