#include "onecard/protocol/vaccination_status.h"

#include <algorithm>
#include <span>
#include <vector>

namespace onecard {
namespace {

using nlohmann::json;

// What the status depends on besides the day: the birth date and the doses, by date.
struct DoseHistory {
  CivilDate birth;
  std::vector<GivenDose> doses;
};

std::optional<DoseHistory> HistoryOf(const json& record) {
  if (!record.is_object()) return std::nullopt;
  auto birth = record.find("birth_date");
  auto immunizations = record.find("immunizations");
  if (birth == record.end() || !birth->is_string() || immunizations == record.end() ||
      immunizations->is_null()) {
    return std::nullopt;
  }
  auto birth_date = CivilDate::Parse(birth->get_ref<const std::string&>());
  auto doses = GivenDosesOf(record);
  if (!birth_date.ok() || !doses.ok()) return std::nullopt;
  DoseHistory out{*birth_date, std::move(*doses)};
  std::stable_sort(out.doses.begin(), out.doses.end(),
                   [](const GivenDose& a, const GivenDose& b) { return a.date < b.date; });
  return out;
}

CivilDate NextDay(CivilDate day) { return CivilDate::FromDays(day.ToDays() + 1); }

// Between two consecutive "regime" days (a schedule version change, a recorded dose's date) the
// schedule rows and the doses given are fixed, and the status is up to date until the first day a
// pending dose is overdue or past catch-up, overdue from that day on. Returns that day for the
// regime that holds `from` (nullopt: no pending dose, never overdue within the regime).
std::optional<CivilDate> FirstOverdueDay(const ImmunizationSchedule& schedule,
                                         const DoseHistory& history, CivilDate from) {
  // The doses given by `from`: a prefix, as they are by date.
  auto later = std::find_if(history.doses.begin(), history.doses.end(),
                            [&](const GivenDose& d) { return d.date > from; });
  return FirstPendingOverdueDay(schedule, history.birth,
                                std::span<const GivenDose>(history.doses.begin(), later), from);
}

// The days after `on` on which a new regime begins, ascending.
std::vector<CivilDate> RegimeStartsAfter(const ImmunizationSchedule& schedule,
                                         const DoseHistory& history, CivilDate on) {
  std::vector<CivilDate> out;
  for (CivilDate change : schedule.VersionChanges()) {
    if (change > on) out.push_back(change);
  }
  for (const GivenDose& d : history.doses) {
    if (d.date > on) out.push_back(d.date);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::string_view VaccinationStatusName(VaccinationStatus status) {
  // In the order of the enum.
  constexpr std::string_view kNames[] = {"up_to_date", "overdue", "unknown"};
  return kNames[static_cast<size_t>(status)];
}

VaccinationOutlook VaccinationOutlookOf(const ImmunizationSchedule& schedule, const json& record,
                                        CivilDate on) {
  std::optional<DoseHistory> history = HistoryOf(record);
  if (!history) return {VaccinationStatus::kUnknown, std::nullopt};
  if (on < history->birth) return {VaccinationStatus::kUnknown, history->birth};

  std::optional<CivilDate> overdue_from = FirstOverdueDay(schedule, *history, on);
  const bool overdue = overdue_from && *overdue_from <= on;
  VaccinationOutlook out{overdue ? VaccinationStatus::kOverdue : VaccinationStatus::kUpToDate,
                         std::nullopt};
  const std::vector<CivilDate> starts = RegimeStartsAfter(schedule, *history, on);
  CivilDate first_day = NextDay(on);  // the first day of the regime still to look at, after `on`
  for (size_t next = 0;; ++next) {
    // The first day from `first_day` on whose status in this regime differs.
    std::optional<CivilDate> change;
    if (!overdue && overdue_from) change = std::max(first_day, *overdue_from);
    if (overdue && (!overdue_from || first_day < *overdue_from)) change = first_day;
    const bool last = next == starts.size();
    if (change && (last || *change < starts[next])) {
      out.changes_on = change;
      return out;
    }
    if (last) return out;
    first_day = starts[next];
    overdue_from = FirstOverdueDay(schedule, *history, first_day);
  }
}

VaccinationOutlook VaccinationOutlookOf(const json& record, CivilDate on) {
  return VaccinationOutlookOf(ImmunizationSchedule::National(), record, on);
}

}  // namespace onecard
