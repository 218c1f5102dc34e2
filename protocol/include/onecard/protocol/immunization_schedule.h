// The National Immunization Programme schedule as data (protocol/data/nip_schedule.tsv, versioned
// with effective dates) and the engine that tells, for a child on a date, which doses are done,
// due, overdue, not yet due, or past the age for catch-up (PRODUCT.md section 4).
//
// Rules of the engine (all from the table, none per vaccine in code):
//  - the schedule version is the one in force on the evaluation date (the earliest version for
//    earlier dates);
//  - a dose is done when the record has that vaccine and dose number, or the dose its
//    `satisfied_by` names (e.g. the 2021 DT dose for the 2025 sixth-year DTaP dose);
//  - recommended date = birth + age_months (day clamped to the month's end) + age_days;
//    due from the recommended date, overdue from recommended + overdue_after_days, and "missed"
//    (no catch-up any more) from birth + catch_up_before_months;
//  - the earliest date a pending dose can be given also respects min_interval_days after the
//    previous dose of the same vaccine (unknown while that dose is not given);
//  - alternative products of one series (JE-L or JE-I, HepA-L or HepA-I): the product with the
//    most doses given is assessed (the first listed when none), the other is left out.
//
// Pure; thread-safe (the national table is parsed once, on first use).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/status.h"

namespace onecard {

struct ScheduledDose {
  std::string version;
  CivilDate effective_from;
  std::optional<CivilDate> effective_to;  // inclusive; nullopt = still in force
  std::string vaccine;
  int dose = 0;
  int age_months = 0;
  int age_days = 0;
  int min_interval_days = 0;
  int overdue_after_days = 0;
  int catch_up_before_months = 0;
  std::string series;
  std::string satisfied_by_vaccine;  // empty when none
  int satisfied_by_dose = 0;
  // Set by Parse: the names above as indexes into the schedule's names (NameId), so that the
  // assessment at ingest compares numbers, not strings. -1: none.
  int vaccine_id = -1, series_id = -1, satisfied_by_id = -1;
};

class ImmunizationSchedule {
 public:
  // Parses the table format of nip_schedule.tsv. Bad input → kInvalidArgument naming the line.
  // Checks: 12 columns, numbers in range, dates real, versions non-overlapping, doses of a vaccine
  // numbered 1..n without gaps within a version.
  static Result<ImmunizationSchedule> Parse(std::string_view tsv);
  // The embedded national table. Aborts when it does not parse (a build defect, not outside input).
  static const ImmunizationSchedule& National();

  // All versions, oldest first.
  std::vector<std::string> Versions() const;
  // The rows of the version in force on `date`, in table order (in a gap between versions, or
  // after the last one closed, the latest that began before `date`; before the first, the first).
  // The reference lives as long as the schedule.
  const std::vector<ScheduledDose>& VersionOn(CivilDate date) const;
  // The days on which VersionOn may answer differently from the day before (each version's first
  // day and the day after its last), ascending.
  std::vector<CivilDate> VersionChanges() const;
  // The index of a vaccine or series name of the table (ScheduledDose's ids), -1 when it has none
  // such; every id is below NameCount().
  int NameId(std::string_view name) const;
  int NameCount() const { return static_cast<int>(names_.size()); }

 private:
  void NumberNames();  // sets names_ and the rows' ids, once Parse has the versions
  struct Version {
    std::string name;
    CivilDate from;
    std::optional<CivilDate> to;
    std::vector<ScheduledDose> rows;
  };
  std::vector<Version> versions_;   // by effective_from; built once by Parse
  std::vector<std::string> names_;  // every vaccine and series name, sorted; the id is the index
};

enum class DoseStatus { kDone, kDue, kOverdue, kNotYetDue, kMissed };
// "done", "due", "overdue", "not_yet_due", "missed".
std::string_view DoseStatusName(DoseStatus status);

struct GivenDose {
  std::string vaccine;
  int dose = 0;
  CivilDate date;
};

struct DoseAssessment {
  std::string vaccine;
  int dose = 0;
  DoseStatus status = DoseStatus::kNotYetDue;
  CivilDate recommended;
  CivilDate overdue_from;
  CivilDate catch_up_until;           // last day a catch-up dose is given
  std::optional<CivilDate> given;     // when done
  std::string given_as;               // when done through satisfied_by, e.g. "DT:1"
  std::optional<CivilDate> earliest;  // when not done: the earliest date it may be given, if known
};

struct ImmunizationAssessment {
  std::string schedule_version;
  CivilDate on;
  std::vector<DoseAssessment> doses;  // by recommended date, then table order

  // {"schedule_version", "on", "done": [...], "due": [...], "overdue": [...], "not_yet_due": [...],
  //  "missed": [...]}, each entry {"vaccine", "dose", "recommended", ...}.
  nlohmann::json ToJson() const;
};

// Assesses a child born on `birth` with the doses `given` on date `on` (not before `birth`).
ImmunizationAssessment AssessImmunizations(const ImmunizationSchedule& schedule, CivilDate birth,
                                           const std::vector<GivenDose>& given, CivilDate on);

// The first day on which a dose the schedule in force on `on` expects and `given` lacks is overdue
// or past its catch-up: the least of min(overdue_from, catch_up_until + 1) over the doses
// AssessImmunizations(schedule, birth, given, on) reports not done; nullopt when all are done.
// The same rules without building the assessment: the vaccination status at ingest asks only
// this (vaccination_status.cc), several times per record.
std::optional<CivilDate> FirstPendingOverdueDay(const ImmunizationSchedule& schedule,
                                                CivilDate birth, std::span<const GivenDose> given,
                                                CivilDate on);

// The doses of a canonical record's "immunizations" list ({vaccine, dose, date}). Entries that are
// malformed → kInvalidArgument naming immunizations[i].
Result<std::vector<GivenDose>> GivenDosesOf(const nlohmann::json& record);

// `date` plus `months` calendar months (the day clamped to the month's end) plus `days` days.
CivilDate AddMonthsAndDays(CivilDate date, int months, int days);

}  // namespace onecard
