#include "onecard/protocol/vaccination_status.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace onecard {
namespace {

using nlohmann::json;

CivilDate D(const char* text) { return CivilDate::Parse(text).value(); }
CivilDate Plus(CivilDate day, int64_t days) { return CivilDate::FromDays(day.ToDays() + days); }

json Dose(const char* vaccine, int dose, const char* date) {
  return {{"vaccine", vaccine}, {"dose", dose}, {"date", date}};
}

// The status by its definition (vaccination_status.h), one day at a time: the doses dated up to
// `day`, assessed on `day`; any overdue or missed dose makes the child overdue.
VaccinationStatus StatusByDefinition(const json& record, CivilDate day) {
  if (!record.contains("immunizations") || !record.contains("birth_date"))
    return VaccinationStatus::kUnknown;
  auto birth = CivilDate::Parse(record["birth_date"].get<std::string>());
  auto doses = GivenDosesOf(record);
  if (!birth.ok() || !doses.ok() || day < *birth) return VaccinationStatus::kUnknown;
  std::vector<GivenDose> given;
  for (const GivenDose& d : *doses) {
    if (d.date <= day) given.push_back(d);
  }
  for (const DoseAssessment& a :
       AssessImmunizations(ImmunizationSchedule::National(), *birth, given, day).doses) {
    if (a.status == DoseStatus::kOverdue || a.status == DoseStatus::kMissed)
      return VaccinationStatus::kOverdue;
  }
  return VaccinationStatus::kUpToDate;
}

TEST(VaccinationStatus, Names) {
  EXPECT_EQ(VaccinationStatusName(VaccinationStatus::kUpToDate), "up_to_date");
  EXPECT_EQ(VaccinationStatusName(VaccinationStatus::kOverdue), "overdue");
  EXPECT_EQ(VaccinationStatusName(VaccinationStatus::kUnknown), "unknown");
}

TEST(VaccinationStatus, UnknownWithoutARecordOfDosesOrABirthDate) {
  const json never_recorded = {{"birth_date", "2020-01-01"}};
  const json null_list = {{"birth_date", "2020-01-01"}, {"immunizations", nullptr}};
  const json malformed = {{"birth_date", "2020-01-01"}, {"immunizations", {{{"vaccine", 1}}}}};
  const json bad_birth = {{"birth_date", "2020-02-30"}, {"immunizations", json::array()}};
  const json no_birth = {{"immunizations", json::array()}};
  for (const json& record :
       {never_recorded, null_list, malformed, bad_birth, no_birth, json("x"), json::array()}) {
    VaccinationOutlook o = VaccinationOutlookOf(record, D("2026-11-23"));
    EXPECT_EQ(o.status, VaccinationStatus::kUnknown) << record.dump();
    EXPECT_EQ(o.changes_on, std::nullopt) << record.dump();
  }
  // Before birth the status is unknown until the birth date.
  VaccinationOutlook unborn = VaccinationOutlookOf(
      {{"birth_date", "2026-06-01"}, {"immunizations", json::array()}}, D("2026-05-01"));
  EXPECT_EQ(unborn.status, VaccinationStatus::kUnknown);
  EXPECT_EQ(unborn.changes_on, D("2026-06-01"));
}

TEST(VaccinationStatus, DueIsUpToDateOverdueAndMissedAreOverdue) {
  // A newborn with nothing recorded: HepB 1 is due at birth and overdue the next day.
  const json newborn = {{"birth_date", "2026-03-10"}, {"immunizations", json::array()}};
  VaccinationOutlook birth_day = VaccinationOutlookOf(newborn, D("2026-03-10"));
  EXPECT_EQ(birth_day.status, VaccinationStatus::kUpToDate);
  EXPECT_EQ(birth_day.changes_on, D("2026-03-11"));
  VaccinationOutlook next_day = VaccinationOutlookOf(newborn, D("2026-03-11"));
  EXPECT_EQ(next_day.status, VaccinationStatus::kOverdue);
  EXPECT_EQ(next_day.changes_on, std::nullopt);  // nothing is recorded: overdue for good

  // With HepB 1 and BCG at birth: up to date until HepB 2 (1 month) is 30 days late.
  json covered = newborn;
  covered["immunizations"] = {Dose("HepB", 1, "2026-03-10"), Dose("BCG", 1, "2026-03-10")};
  VaccinationOutlook o = VaccinationOutlookOf(covered, D("2026-04-01"));
  EXPECT_EQ(o.status, VaccinationStatus::kUpToDate);  // HepB 2 is due from 2026-04-10
  EXPECT_EQ(o.changes_on, D("2026-05-10"));
}

TEST(VaccinationStatus, ARecordedDoseCountsFromItsDate) {
  // Born 2026-01-01, HepB 1 given late on 2026-01-05 (overdue from 2026-01-02), BCG on day one.
  const json record = {
      {"birth_date", "2026-01-01"},
      {"immunizations", {Dose("HepB", 1, "2026-01-05"), Dose("BCG", 1, "2026-01-01")}}};
  VaccinationOutlook before = VaccinationOutlookOf(record, D("2026-01-03"));
  EXPECT_EQ(before.status, VaccinationStatus::kOverdue);
  EXPECT_EQ(before.changes_on, D("2026-01-05"));
  EXPECT_EQ(VaccinationOutlookOf(record, D("2026-01-05")).status, VaccinationStatus::kUpToDate);
}

TEST(VaccinationStatus, ANewScheduleVersionChangesTheStatusOnItsFirstDay) {
  // Born 2024-10-01 with every dose due by the 2021 schedule. The 2025 schedule moves DTaP 1
  // from 3 to 2 months: overdue from 2024-12-31 by it, so from its first day, 2025-01-01.
  const json record = {{"birth_date", "2024-10-01"},
                       {"immunizations",
                        {Dose("HepB", 1, "2024-10-01"), Dose("BCG", 1, "2024-10-02"),
                         Dose("HepB", 2, "2024-11-01"), Dose("IPV", 1, "2024-12-01")}}};
  VaccinationOutlook o = VaccinationOutlookOf(record, D("2024-12-20"));
  EXPECT_EQ(o.status, VaccinationStatus::kUpToDate);
  EXPECT_EQ(o.changes_on, D("2025-01-01"));
  EXPECT_EQ(VaccinationOutlookOf(record, D("2025-01-01")).status, VaccinationStatus::kOverdue);
}

// A random record: born between `born_from` and `born_to`, each scheduled dose recorded with a
// probability that differs per record, on a day around its recommended age (early, on time, late,
// or after the day asked about).
json RandomRecord(std::mt19937& rng, CivilDate born_from, CivilDate born_to) {
  std::uniform_int_distribution<int64_t> birth_day(born_from.ToDays(), born_to.ToDays());
  const CivilDate birth = CivilDate::FromDays(birth_day(rng));
  json record = {{"birth_date", birth.ToString()}};
  if (rng() % 20 == 0) return record;  // never recorded
  const double share[] = {0.0, 0.6, 0.9, 0.97, 1.0};
  const double p = share[rng() % 5];
  std::uniform_int_distribution<int> offset(-20, 120);
  std::bernoulli_distribution recorded(p);
  std::set<std::pair<std::string, int>> seen;
  json doses = json::array();
  for (const char* version_day : {"2023-01-01", "2026-01-01"}) {
    for (const ScheduledDose& d : ImmunizationSchedule::National().VersionOn(D(version_day))) {
      if (!seen.insert({d.vaccine, d.dose}).second || !recorded(rng)) continue;
      CivilDate day = Plus(AddMonthsAndDays(birth, d.age_months, d.age_days), offset(rng));
      doses.push_back(Dose(d.vaccine.c_str(), d.dose, std::max(day, birth).ToString().c_str()));
    }
  }
  record["immunizations"] = doses;
  return record;
}

// changes_on is exact: the status holds on every day before it and differs on it; without it the
// status holds for good. Checked against the definition, day by day at the edges and at random
// days in between, for many records and days.
TEST(VaccinationStatus, ChangesOnIsExactForManyRecords) {
  std::mt19937 rng(20261123);
  std::map<std::string, int> seen;  // what the records exercised
  for (int i = 0; i < 3000; ++i) {
    // Three in four: any child on any day of its childhood. One in four: infants on the last days
    // of the 2021 schedule, whose status the 2025 schedule changes.
    const bool any = i % 4 != 0;
    const json record = any ? RandomRecord(rng, D("2006-01-01"), D("2026-11-23"))
                            : RandomRecord(rng, D("2024-09-01"), D("2024-11-30"));
    const CivilDate birth = D(record["birth_date"].get<std::string>().c_str());
    std::uniform_int_distribution<int64_t> on_offset(-60, 18 * 366);
    std::uniform_int_distribution<int64_t> late_2024(D("2024-12-01").ToDays(),
                                                     D("2024-12-31").ToDays());
    const CivilDate on = any ? Plus(birth, on_offset(rng)) : CivilDate::FromDays(late_2024(rng));
    SCOPED_TRACE(record.dump() + " on " + on.ToString());
    const VaccinationOutlook o = VaccinationOutlookOf(record, on);
    ASSERT_EQ(o.status, StatusByDefinition(record, on));
    ++seen[std::string(VaccinationStatusName(o.status))];
    const CivilDate end = o.changes_on ? *o.changes_on : Plus(on, 40 * 366);
    ASSERT_GT(end, on);
    std::uniform_int_distribution<int64_t> between(on.ToDays(), end.ToDays() - 1);
    for (int k = 0; k < 12; ++k) {
      const CivilDate day = CivilDate::FromDays(between(rng));
      ASSERT_EQ(StatusByDefinition(record, day), o.status) << day.ToString();
    }
    ASSERT_EQ(StatusByDefinition(record, Plus(end, -1)), o.status);
    if (!o.changes_on) {
      ++seen["never changes"];
      ASSERT_EQ(StatusByDefinition(record, end), o.status);
      continue;
    }
    ASSERT_NE(StatusByDefinition(record, *o.changes_on), o.status) << o.changes_on->ToString();
    ++seen[*o.changes_on == D("2025-01-01") ? "changes with the 2025 schedule" : "changes"];
  }
  for (const char* what : {"up_to_date", "overdue", "unknown", "never changes", "changes",
                           "changes with the 2025 schedule"}) {
    EXPECT_GT(seen[what], 0) << what;
  }
}

}  // namespace
}  // namespace onecard
