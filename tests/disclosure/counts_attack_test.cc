// The adversarial test of the officials' counts (docs/disclosure-control.md): an official asks
// every table they may obtain at one city (every breakdown of up to three dimensions, at the
// province, city and each district, of the children living there and of those who moved out;
// with moves, every flows table and the coverage figures too), through the ReportStore exactly as
// the command line and the API do (never --exact), and solves the sums that link the answers
// (counts_attacker.h, flows_attacker.h). Counts of 1 to 4 children must not come out exactly.
//
// The true counts the attacker is judged against come from --exact queries of the same tables.

#include <gtest/gtest.h>

#include <iostream>

#include "cell_key.h"
#include "counts.h"
#include "counts_attacker.h"
#include "coverage.h"
#include "district_store_fixture.h"
#include "flows.h"
#include "flows_attacker.h"
#include "onecard/protocol/crypto.h"
#include "onecard/server/report_store.h"
#include "record_key.h"
#include "server_store_fixture.h"
#include "synthetic_districts.h"

namespace onecard::disclosure {
namespace {

using server::CountsQuery;
using server::CountsReport;
using server::FlowsQuery;
using server::FlowsReport;

// The dimensions an official may break counts down by, each area at every length.
const std::vector<std::string> kDimensions = {"category",
                                              "sex",
                                              "age_band",
                                              "school_status",
                                              "school_stage",
                                              "vaccination",
                                              "card",
                                              "hukou_area:2",
                                              "hukou_area:4",
                                              "hukou_area:6",
                                              "residence_area:2",
                                              "residence_area:4",
                                              "residence_area:6"};
// The most dimensions one question may combine: every table an official may obtain is asked.
constexpr size_t kMaxAsked = server::kMaxCountsDimensions;
const std::vector<std::string> kAreas = {"44", "4403", "440303", "440304", "440305", "440306"};

PublishedTable AsPublished(const CountsReport& r) {
  PublishedTable t{r.area, r.moved_out, r.dimensions, r.total, {}};
  for (const server::CountsCell& cell : r.groups) t.cells.push_back({cell.values, cell.count});
  return t;
}

PublishedFlows AsPublished(const FlowsReport& r) {
  PublishedFlows t{r.area,         r.from,  r.to,        r.from_digits, r.to_digits,
                   r.hukou_digits, r.total, r.moved_out, r.moved_in,    {}};
  for (const server::FlowsCell& c : r.groups) {
    t.cells.push_back({c.from, c.to, c.hukou, c.month, c.count});
  }
  return t;
}

class CountsAttackTest : public server::ServerStoreFixture {
 protected:
  // The store with a cell key secret fixed by `secret_text` (so that the perturbations, and the
  // test, are the same on every run), then `n` children of `seed` registered.
  // With `move_seed`, some of them then move once (SyntheticDistrictMoves) in the first half of
  // 2026.
  void RegisterChildren(int n, uint32_t seed, const std::string& secret_text,
                        std::optional<uint32_t> move_seed = std::nullopt) {
    CreateStore(DistrictSites(), DistrictTerminals());
    const Bytes digest = Sha256(AsBytes(secret_text));
    ASSERT_TRUE(store_->SetSecret(server::kCellKeySecretName, SecretBytes(digest)).ok());
    std::map<std::string, std::vector<wire::Event>> pushes;
    const std::vector<SyntheticChild> children = SyntheticDistrictChildren(n, seed);
    for (const SyntheticChild& c : children) {
      std::vector<wire::Event>& events = pushes[c.terminal];
      const uint64_t seq = events.size() + 1;
      events.push_back(MakeUpsert(c.terminal, seq, (1000 + seq) << 16, c.child_id, c.fields));
    }
    for (const SyntheticMove& m :
         move_seed ? SyntheticDistrictMoves(children, *move_seed) : std::vector<SyntheticMove>{}) {
      std::vector<wire::Event>& events = pushes[m.terminal];
      events.push_back(
          MakeUpsert(m.terminal, events.size() + 1, m.unix_ms << 16, m.child_id, m.fields));
    }
    for (const auto& [terminal, events] : pushes) {
      auto acked = store_->Ingest(terminal, events);
      ASSERT_TRUE(acked.ok()) << acked.status().message();
      ASSERT_EQ(*acked, events.size()) << terminal << ": every registration is stored";
    }
  }

  static CountsQuery Query(const std::string& area, bool moved_out,
                           const std::vector<std::string>& by) {
    CountsQuery q;
    q.area_prefix = area;
    q.moved_out = moved_out;
    q.by = by;
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
    q.requested_by = "attack test";
    auto r = static_cast<server::ReportStore&>(*store_).Counts(q);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : CountsReport{};
  }

  // Asks every table, records each set's true count, solves, and judges the attacker's bounds.
  // With `flows`, the flows tables and coverage figures too.
  AttackOutcome Attack(const BoundsRule& rule, bool flows = false) {
    IntervalSolver solver;
    CountsAttacker attacker(solver);
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
    if (flows) {
      tables += AttackFlows(solver, rule, truth);
      AskCoverage(solver, rule);
    }
    return SolveAndJudge(solver, truth, tables, "persons");
  }

  // Every flows table the official may ask at each area: every level of the from- and to-areas,
  // without and with each level of the hukou area, over each month of the first half of 2026,
  // each half of a month, each quarter and the half year. Returns the number of tables asked.
  size_t AttackFlows(IntervalSolver& solver, const BoundsRule& rule,
                     std::map<std::string, int64_t>& truth) {
    std::vector<std::pair<std::string, std::string>> periods = {
        {"2026-01-01", "2026-03-31"}, {"2026-04-01", "2026-06-30"}, {"2026-01-01", "2026-06-30"}};
    for (int m = 1; m <= 6; ++m) {
      const std::string month = "2026-0" + std::to_string(m);
      const std::string end = FlowsAttacker::MonthEnd(month);
      periods.insert(periods.end(),
                     {{month + "-01", end}, {month + "-01", month + "-15"}, {month + "-16", end}});
    }
    FlowsAttacker attacker(solver);
    size_t tables = 0;
    for (const std::string& area : kAreas) {
      for (size_t from_digits : {2, 4, 6}) {
        for (size_t to_digits : {2, 4, 6}) {
          for (size_t hukou_digits : {0, 2, 4, 6}) {
            for (const auto& [from, to] : periods) {
              FlowsQuery q{area, from, to, from_digits, to_digits, hukou_digits, false, ""};
              auto asked = static_cast<server::ReportStore&>(*store_).Flows(q);
              EXPECT_TRUE(asked.ok()) << asked.status().message();
              attacker.AddTable(AsPublished(asked.ok() ? *asked : FlowsReport{}), rule);
              RecordFlowsTruth(q, truth);
              ++tables;
            }
          }
        }
      }
    }
    attacker.RelateMonthsToHalves();
    return tables;
  }

  // The true counts of a flows question (not an official's question).
  void RecordFlowsTruth(FlowsQuery q, std::map<std::string, int64_t>& truth) {
    q.exact = true;
    auto r = server::ServerStoreInternals::WithDatabase(
        *store_, [&](schema::Database& db) { return server::ComputeFlows(db, q); });
    ASSERT_TRUE(r.ok()) << r.status().message();
    const PublishedFlows exact = AsPublished(*r);
    Record(FlowsAttacker::FigureSet(exact, "total"), exact.total.value_or(-1), truth);
    Record(FlowsAttacker::FigureSet(exact, "out"), exact.moved_out.value_or(-1), truth);
    Record(FlowsAttacker::FigureSet(exact, "in"), exact.moved_in.value_or(-1), truth);
    for (const PublishedFlowCell& c : exact.cells) {
      Record(FlowsAttacker::CellSet(exact, c), c.count.value_or(-1), truth);
    }
  }

  // Estimates for the city and its districts, then the coverage at every area: each registered
  // figure is a counts cell by category, and must be the very figure counts publishes for it.
  void AskCoverage(IntervalSolver& solver, const BoundsRule& rule) {
    for (const char* area : {"4403", "440303", "440304", "440305", "440306"}) {
      for (const char* category : {"migrant", "left_behind", "all"}) {
        ASSERT_TRUE(
            store_->SetCoverageEstimate({area, category, 120, "抽样调查", 2025, "t", ""}).ok());
      }
    }
    for (const std::string& area : kAreas) {
      auto coverage = server::ComputeCoverage(*store_, area, platform::SystemClock());
      ASSERT_TRUE(coverage.ok()) << coverage.status().message();
      for (const server::CoverageRow& row : coverage->rows) {
        const PublishedTable counts = AsPublished(Ask(Query(row.area, false, {"category"})));
        std::optional<int64_t> published = counts.total;
        std::vector<std::string> cell;
        if (row.category != "all") {
          cell = {row.category};
          published = 0;
          for (const PublishedCell& c : counts.cells)
            if (c.values == cell) published = c.count;
        }
        EXPECT_EQ(row.registered, published) << row.area << " " << row.category;
        solver.Narrow(solver.Var(CountsAttacker::SetOf(counts, cell)),
                      rule(row.registered, row.category == "all"));
      }
    }
  }

  // The same set of persons reached through two questions has one true count.
  static void Record(const std::string& set, int64_t n, std::map<std::string, int64_t>& truth) {
    auto [it, added] = truth.emplace(set, n);
    EXPECT_EQ(it->second, n) << set << " counted twice differently";
  }
  static void RecordTruth(const PublishedTable& exact, std::map<std::string, int64_t>& truth) {
    const auto record = [&](const std::string& set, int64_t n) { Record(set, n, truth); };
    record(CountsAttacker::SetOf(exact, {}), exact.total.value_or(-1));
    for (const PublishedCell& c : exact.cells) {
      record(CountsAttacker::SetOf(exact, c.values), c.count.value_or(-1));
    }
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

// With moves: the official also asks every flows table (each level, each month, half month,
// quarter and the half year, at every area) and the coverage of every area with an estimate, and
// relates them all.
TEST_F(CountsAttackTest, FlowsAndCoverageGiveAwayNoSmallCountEither) {
  RegisterChildren(320, 20261101, "counts-attack-test/3", 20261206);
  AttackOutcome o = Attack(CellKeyPerturbation, /*flows=*/true);
  EXPECT_GT(o.small_flows, 1000u) << "the moves must make many small flows to protect";
  EXPECT_EQ(o.recovered, 0u) << o.recovered << " of " << o.small;
}

}  // namespace
}  // namespace onecard::disclosure
