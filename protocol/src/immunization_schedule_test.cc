#include "onecard/protocol/immunization_schedule.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "onecard/protocol/child_record.h"
#include "onecard/protocol/i18n.h"

namespace onecard {
namespace {

CivilDate D(const char* text) {
  auto d = CivilDate::Parse(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? *d : CivilDate{};
}

// "HepB:1" -> status name, for one assessment.
std::map<std::string, std::string> Statuses(const ImmunizationAssessment& a) {
  std::map<std::string, std::string> out;
  for (const DoseAssessment& d : a.doses)
    out[d.vaccine + ":" + std::to_string(d.dose)] = std::string(DoseStatusName(d.status));
  return out;
}

const DoseAssessment* Find(const ImmunizationAssessment& a, const std::string& vaccine, int dose) {
  for (const DoseAssessment& d : a.doses) {
    if (d.vaccine == vaccine && d.dose == dose) return &d;
  }
  return nullptr;
}

struct ChildCase {
  const char* name;
  const char* birth;
  const char* on;
  std::vector<GivenDose> given;
  const char* version;
  std::map<std::string, std::string> expected;  // a subset of the doses: "vaccine:dose" -> status
  std::vector<std::string> absent;              // doses that must not be listed
};

std::vector<GivenDose> OnTimeUntilSevenMonths() {
  return {{"HepB", 1, D("2024-01-10")}, {"BCG", 1, D("2024-01-11")},   {"HepB", 2, D("2024-02-10")},
          {"IPV", 1, D("2024-03-10")},  {"IPV", 2, D("2024-04-10")},   {"DTaP", 1, D("2024-04-12")},
          {"bOPV", 1, D("2024-05-10")}, {"DTaP", 2, D("2024-05-12")},  {"DTaP", 3, D("2024-06-12")},
          {"HepB", 3, D("2024-07-10")}, {"MPSV-A", 1, D("2024-07-11")}};
}

TEST(ImmunizationSchedule, ChildrenOfSeveralAgesAndGaps) {
  const ChildCase cases[] = {
      {"newborn on the day of birth",
       "2025-03-01",
       "2025-03-01",
       {},
       "2025",
       {{"HepB:1", "due"},
        {"BCG:1", "due"},
        {"HepB:2", "not_yet_due"},
        {"DTaP:1", "not_yet_due"},
        {"MMR:1", "not_yet_due"}},
       {"DT:1"}},
      {"newborn two days old without the birth dose",
       "2025-03-01",
       "2025-03-03",
       {},
       "2025",
       {{"HepB:1", "overdue"}, {"BCG:1", "due"}},
       {}},
      {"infant on time until seven months (2021 schedule)",
       "2024-01-10",
       "2024-08-20",
       OnTimeUntilSevenMonths(),
       "2021",
       {{"HepB:1", "done"},
        {"HepB:3", "done"},
        {"BCG:1", "done"},
        {"IPV:2", "done"},
        {"bOPV:1", "done"},
        {"DTaP:3", "done"},
        {"MPSV-A:1", "done"},
        {"MMR:1", "not_yet_due"},
        {"MPSV-A:2", "not_yet_due"},
        {"JE-L:1", "not_yet_due"},
        {"DTaP:4", "not_yet_due"},
        {"DT:1", "not_yet_due"}},
       {"JE-I:1", "HepA-I:1", "DTaP:5"}},
      {"two-year-old with only the birth doses",
       "2023-06-01",
       "2025-06-15",
       {{"HepB", 1, D("2023-06-01")}, {"BCG", 1, D("2023-06-02")}},
       "2025",
       {{"HepB:1", "done"},
        {"HepB:2", "overdue"},
        {"HepB:3", "overdue"},
        {"IPV:1", "overdue"},
        {"DTaP:4", "overdue"},
        {"MMR:2", "overdue"},
        {"MPSV-A:1", "missed"},
        {"MPSV-A:2", "missed"},
        {"JE-L:1", "overdue"},
        {"JE-L:2", "due"},
        {"HepA-L:1", "overdue"},
        {"bOPV:2", "not_yet_due"},
        {"DTaP:5", "not_yet_due"},
        {"MPSV-AC:1", "not_yet_due"}},
       {"DT:1", "JE-I:1", "HepA-I:1"}},
      {"five-year-old who never had BCG",
       "2020-04-01",
       "2025-06-01",
       {{"HepB", 1, D("2020-04-01")}},
       "2025",
       {{"BCG:1", "missed"},
        {"HepB:2", "overdue"},
        {"DTaP:1", "overdue"},
        {"DTaP:5", "not_yet_due"}},
       {}},
      {"inactivated JE and HepA series chosen by the doses given",
       "2022-01-15",
       "2025-02-01",
       {{"JE-I", 1, D("2022-09-15")}, {"JE-I", 2, D("2022-09-23")}, {"HepA-I", 1, D("2023-07-15")}},
       "2025",
       {{"JE-I:1", "done"},
        {"JE-I:2", "done"},
        {"JE-I:3", "overdue"},
        {"JE-I:4", "not_yet_due"},
        {"HepA-I:1", "done"},
        {"HepA-I:2", "overdue"}},
       {"JE-L:1", "JE-L:2", "HepA-L:1"}},
      {"eight-year-old whose DT under the 2021 schedule counts for the 2025 sixth-year DTaP",
       "2017-05-01",
       "2025-09-01",
       {{"DTaP", 1, D("2017-08-01")},
        {"DTaP", 2, D("2017-09-01")},
        {"DTaP", 3, D("2017-10-01")},
        {"DTaP", 4, D("2018-11-01")},
        {"DT", 1, D("2023-05-10")}},
       "2025",
       {{"DTaP:4", "done"}, {"DTaP:5", "done"}, {"MPSV-AC:2", "overdue"}},
       {"DT:1"}},
      {"twelve-year-old: DTaP catch-up over, MMR still caught up",
       "2013-02-01",
       "2025-03-01",
       {},
       "2025",
       {{"DTaP:1", "missed"},
        {"DTaP:5", "missed"},
        {"MMR:1", "overdue"},
        {"BCG:1", "missed"},
        {"JE-L:2", "overdue"}},
       {}},
      {"evaluated before the first version: the 2021 schedule",
       "2019-01-01",
       "2020-06-01",
       {},
       "2021",
       {{"DTaP:1", "overdue"}, {"DT:1", "not_yet_due"}},
       {"DTaP:5"}},
  };
  const ImmunizationSchedule& schedule = ImmunizationSchedule::National();
  for (const ChildCase& c : cases) {
    ImmunizationAssessment a = AssessImmunizations(schedule, D(c.birth), c.given, D(c.on));
    EXPECT_EQ(a.schedule_version, c.version) << c.name;
    std::map<std::string, std::string> got = Statuses(a);
    for (const auto& [dose, status] : c.expected) {
      auto it = got.find(dose);
      if (it == got.end()) {
        ADD_FAILURE() << c.name << ": " << dose << " not listed";
        continue;
      }
      EXPECT_EQ(it->second, status) << c.name << ": " << dose;
    }
    for (const std::string& dose : c.absent)
      EXPECT_FALSE(got.contains(dose)) << c.name << ": " << dose << " listed";
    for (size_t i = 1; i < a.doses.size(); ++i) {
      EXPECT_LE(a.doses[i - 1].recommended, a.doses[i].recommended) << c.name << ": order";
    }
  }
}

TEST(ImmunizationSchedule, DatesIntervalsAndJson) {
  // HepB 1 given late, at two months: HepB 2 may follow only 28 days later; HepB 3 waits for
  // HepB 2.
  ImmunizationAssessment a = AssessImmunizations(ImmunizationSchedule::National(), D("2025-01-31"),
                                                 {{"HepB", 1, D("2025-03-31")}}, D("2025-04-10"));
  const DoseAssessment* hepb2 = Find(a, "HepB", 2);
  ASSERT_NE(hepb2, nullptr);
  EXPECT_EQ(hepb2->recommended, D("2025-02-28"));  // one month after 31 January: clamped
  EXPECT_EQ(hepb2->status, DoseStatus::kOverdue);
  ASSERT_TRUE(hepb2->earliest.has_value());
  EXPECT_EQ(*hepb2->earliest, D("2025-04-28"));
  const DoseAssessment* hepb3 = Find(a, "HepB", 3);
  ASSERT_NE(hepb3, nullptr);
  EXPECT_FALSE(hepb3->earliest.has_value());
  EXPECT_EQ(Find(a, "BCG", 1)->catch_up_until, D("2029-01-30"));

  nlohmann::json j = a.ToJson();
  EXPECT_EQ(j["schedule_version"], "2025");
  EXPECT_EQ(j["on"], "2025-04-10");
  ASSERT_EQ(j["done"].size(), 1u);
  EXPECT_EQ(j["done"][0]["vaccine"], "HepB");
  EXPECT_EQ(j["done"][0]["date"], "2025-03-31");
  bool found = false;
  for (const auto& e : j["overdue"]) {
    if (e["vaccine"] == "HepB" && e["dose"] == 2) {
      found = true;
      EXPECT_EQ(e["earliest"], "2025-04-28");
    }
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(j["missed"].empty());

  EXPECT_EQ(AddMonthsAndDays(D("2024-01-31"), 1, 0), D("2024-02-29"));
  EXPECT_EQ(AddMonthsAndDays(D("2024-08-31"), 8, 7), D("2025-05-07"));
  EXPECT_EQ(AddMonthsAndDays(D("2010-12-15"), 216, 0), D("2028-12-15"));
}

// Versions with a gap: the one in force, else the latest begun, else the first; VersionChanges
// lists every day the answer may change, and VersionOn hands out the schedule's own rows.
TEST(ImmunizationSchedule, VersionOnAndVersionChanges) {
  auto schedule = ImmunizationSchedule::Parse(
      "B\t2022-01-01\t\tBCG\t1\t0\t0\t0\t30\t48\tBCG\t\n"
      "A\t2020-01-01\t2020-12-31\tBCG\t1\t0\t0\t0\t10\t48\tBCG\t\n");
  ASSERT_TRUE(schedule.ok()) << schedule.status().message();
  EXPECT_EQ(schedule->Versions(), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(schedule->VersionChanges(),
            (std::vector<CivilDate>{D("2020-01-01"), D("2021-01-01"), D("2022-01-01")}));
  const struct {
    const char* on;
    const char* version;
  } rows[] = {{"2019-05-01", "A"},
              {"2020-12-31", "A"},
              {"2021-06-01", "A"},
              {"2022-01-01", "B"},
              {"2030-01-01", "B"}};
  for (const auto& row : rows) {
    ASSERT_EQ(schedule->VersionOn(D(row.on)).size(), 1u);
    EXPECT_EQ(schedule->VersionOn(D(row.on)).front().version, row.version) << row.on;
  }
  EXPECT_EQ(&schedule->VersionOn(D("2023-01-01")), &schedule->VersionOn(D("2024-01-01")));
}

TEST(ImmunizationSchedule, NationalTableCoversTheRecordsVaccineCodes) {
  const ImmunizationSchedule& schedule = ImmunizationSchedule::National();
  EXPECT_EQ(schedule.Versions(), (std::vector<std::string>{"2021", "2025"}));
  std::set<std::string> in_2021, in_2025;
  for (const auto& d : schedule.VersionOn(D("2023-01-01"))) in_2021.insert(d.vaccine);
  for (const auto& d : schedule.VersionOn(D("2026-01-01"))) in_2025.insert(d.vaccine);
  std::set<std::string> codes;
  for (auto c : ImmunizationVaccineCodes()) codes.insert(std::string(c));
  EXPECT_EQ(in_2021, codes);
  codes.erase("DT");
  EXPECT_EQ(in_2025, codes);
  int dtap_2025 = 0;
  for (const auto& d : schedule.VersionOn(D("2026-01-01")))
    dtap_2025 += d.vaccine == "DTaP" ? 1 : 0;
  EXPECT_EQ(dtap_2025, 5);
}

// English messages for the duration of a test; the previous language is restored.
class EnglishMessages {
 public:
  EnglishMessages() : saved_(CurrentLanguage()) { SetLanguage(Language::kEn); }
  ~EnglishMessages() { SetLanguage(saved_); }

 private:
  Language saved_;
};

TEST(ImmunizationSchedule, MalformedTablesAreRefusedNamingTheLine) {
  EnglishMessages english;
  const std::string good = "v1\t2021-03-01\t\tHepB\t1\t0\t0\t0\t1\t216\tHepB\t\n";
  ASSERT_TRUE(ImmunizationSchedule::Parse(good).ok());
  struct Case {
    const char* what;
    std::string table;
    const char* must_mention;
  };
  const Case cases[] = {
      {"empty", "# only a comment\n", "empty"},
      {"too few columns", "v1\t2021-03-01\t\tHepB\t1\n", "line 1"},
      {"bad date", "v1\t2021-02-30\t\tHepB\t1\t0\t0\t0\t1\t216\tHepB\t\n", "effective_from"},
      {"negative age", "v1\t2021-03-01\t\tHepB\t1\t-1\t0\t0\t1\t216\tHepB\t\n", "age_months"},
      {"dose zero", "v1\t2021-03-01\t\tHepB\t0\t0\t0\t0\t1\t216\tHepB\t\n", "dose"},
      {"catch-up before the age", "v1\t2021-03-01\t\tHepB\t1\t20\t0\t0\t1\t12\tHepB\t\n",
       "catch_up_before_months"},
      {"dose gap", good + "v1\t2021-03-01\t\tHepB\t3\t6\t0\t0\t1\t216\tHepB\t\n", "line 2"},
      {"repeated dose", good + good, "repeats"},
      {"overlapping versions", good + "v2\t2024-01-01\t\tHepB\t1\t0\t0\t0\t1\t216\tHepB\t\n",
       "overlaps"},
      {"bad satisfied_by", "v1\t2021-03-01\t\tHepB\t1\t0\t0\t0\t1\t216\tHepB\tDT\n",
       "satisfied_by"},
      {"dates differ in a version", good + "v1\t2021-04-01\t\tBCG\t1\t0\t0\t0\t1\t48\tBCG\t\n",
       "effective dates"},
  };
  for (const Case& c : cases) {
    auto parsed = ImmunizationSchedule::Parse(c.table);
    ASSERT_FALSE(parsed.ok()) << c.what;
    EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidArgument) << c.what;
    EXPECT_NE(parsed.status().message().find(c.must_mention), std::string::npos)
        << c.what << ": " << parsed.status().message();
  }
}

TEST(ImmunizationSchedule, GivenDosesOfARecord) {
  nlohmann::json record = {
      {"immunizations", {{{"vaccine", "BCG"}, {"dose", 1}, {"date", "2016-03-16"}}}}};
  auto doses = GivenDosesOf(record);
  ASSERT_TRUE(doses.ok());
  ASSERT_EQ(doses->size(), 1u);
  EXPECT_EQ((*doses)[0].date, D("2016-03-16"));
  EXPECT_TRUE(GivenDosesOf(nlohmann::json::object())->empty());
  record["immunizations"][0]["date"] = "2016-13-01";
  EXPECT_NE(GivenDosesOf(record).status().message().find("immunizations[0]"), std::string::npos);
  record["immunizations"] = "no";
  EXPECT_FALSE(GivenDosesOf(record).ok());
}

}  // namespace
}  // namespace onecard
