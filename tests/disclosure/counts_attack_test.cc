// The adversarial test of the officials' counts (docs/disclosure-control.md): an official asks
// every table they may obtain at one city (every breakdown of up to three dimensions, at the
// province, city and each district, of the children living there and of those who moved out),
// through the ReportStore exactly as the command line does (never --exact), and solves the sums
// that link the answers (counts_attacker.h). Counts of 1 to 4 children must not come out exactly.
//
// The true counts the attacker is judged against come from --exact queries of the same tables.

#include <gtest/gtest.h>

#include <iostream>

#include "counts.h"
#include "district_store_fixture.h"
#include "onecard/server/report_store.h"

namespace onecard::disclosure {
namespace {

using server::CountsQuery;
using server::CountsReport;

// The dimensions an official may break counts down by, each area at every length.
const std::vector<std::string> kDimensions = {
    "category",     "sex",          "age_band",         "school_status",    "hukou_area:2",
    "hukou_area:4", "hukou_area:6", "residence_area:2", "residence_area:4", "residence_area:6"};
// The most dimensions one question may combine: every table an official may obtain is asked.
constexpr size_t kMaxAsked = server::kMaxCountsDimensions;
const std::vector<std::string> kAreas = {"44", "4403", "440303", "440304", "440305", "440306"};
constexpr char kToday[] = "2026-06-01";

PublishedTable AsPublished(const CountsReport& r) {
  PublishedTable t{r.area, r.moved_out, r.dimensions, r.total, {}};
  for (const server::CountsCell& cell : r.groups) t.cells.push_back({cell.values, cell.count});
  return t;
}

class CountsAttackTest : public DistrictStoreFixture {
 protected:
  static CountsQuery Query(const std::string& area, bool moved_out,
                           const std::vector<std::string>& by) {
    CountsQuery q;
    q.area_prefix = area;
    q.moved_out = moved_out;
    q.by = by;
    q.today = kToday;
    return q;
  }

  // The official's question, through the ReportStore as the command line asks it.
  CountsReport Ask(const CountsQuery& q) {
    auto r = static_cast<server::ReportStore&>(*store_).Counts(q);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : CountsReport{};
  }

  // The true counts of the same question, for judging the attacker (not an official's question).
  CountsReport Truth(CountsQuery q) {
    q.exact = true;
    auto r = server::ServerStoreInternals::WithDatabase(
        *store_, [&](schema::Database& db) { return server::ComputeCounts(db, q); });
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : CountsReport{};
  }

  // Asks every table, records each set's true count, solves, and judges the attacker's bounds.
  AttackOutcome Attack(const BoundsRule& rule) {
    CountsAttacker attacker;
    std::map<std::string, int64_t> truth;
    size_t tables = 0;
    for (bool moved_out : {false, true}) {
      for (const std::string& area : kAreas) {
        for (const auto& by : Combinations(kDimensions, kMaxAsked)) {
          const CountsQuery q = Query(area, moved_out, by);
          attacker.AddTable(AsPublished(Ask(q)), rule);
          RecordTruth(AsPublished(Truth(q)), truth);
          ++tables;
        }
      }
    }
    // A question with one dimension more is refused.
    CountsQuery more = Query("4403", false, {"category", "sex", "age_band", "school_status"});
    EXPECT_EQ(static_cast<server::ReportStore&>(*store_).Counts(more).status().code(),
              ErrorCode::kInvalidArgument);
    return SolveAndJudge(attacker, truth, tables, "persons");
  }
};

// Before cell key perturbation, counts hid each small cell inside its own table (and one more
// cell beside a lone hidden one). Commit 2154daf ran this attack against that: it recovered 4933
// of the 5153 true counts of 1 to 4 exactly (docs/disclosure-control.md, "Why not suppression").
TEST_F(CountsAttackTest, CellKeyPerturbationGivesAwayNoSmallCount) {
  RegisterChildren(320, 20261101, "counts-attack-test/1");
  AttackOutcome o = Attack(CellKeyPerturbation);
  EXPECT_GT(o.small, 1000u) << "the population must have many small cells to protect";
  EXPECT_EQ(o.recovered, 0u) << o.recovered << " of " << o.small;
}

// The same attack with another secret (so other perturbations) and another population.
TEST_F(CountsAttackTest, CellKeyPerturbationHoldsForAnotherSecretAndPopulation) {
  RegisterChildren(400, 7, "counts-attack-test/2");
  AttackOutcome o = Attack(CellKeyPerturbation);
  EXPECT_GT(o.small, 1000u);
  EXPECT_EQ(o.recovered, 0u) << o.recovered << " of " << o.small;
}

}  // namespace
}  // namespace onecard::disclosure
