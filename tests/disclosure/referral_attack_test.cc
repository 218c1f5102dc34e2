// The adversarial test of the officials' referral outcomes (docs/disclosure-control.md): an
// official asks every breakdown of referral outcomes they may obtain at one city (every
// combination of area, service, sex and month, at the province, city and each district, over
// every range of whole months and none), through
// the ReportStore exactly as the command line does (never --exact), reads from each share the
// published count behind it, and solves the sums that link the answers (counts_attacker.h): the
// referrals of a group, and separately the completed, declined, declined-as-inappropriate and
// closed-unreached ones. No count of 1 to 4 referrals may come out exactly.
//
// The true counts the attacker is judged against come from --exact queries of the same tables.

#include <gtest/gtest.h>

#include <cmath>

#include "district_store_fixture.h"
#include "onecard/server/report_store.h"

namespace onecard::disclosure {
namespace {

using server::ReferralStatsGroup;
using server::ReferralStatsQuery;
using server::ReferralStatsReport;

const std::vector<std::string> kAreas = {"44", "4403", "440303", "440304", "440305", "440306"};
const std::vector<std::string> kSites = {"LH", "FT", "NS", "BA"};  // of terminals T1..T4
// The ranges of creation months an official may ask ({from, to}; none: open), of the months the
// referrals are created in.
const std::vector<std::pair<std::string, std::string>> kRanges = {{"", ""},
                                                                  {"2026-07-01", "2026-07-31"},
                                                                  {"2026-07-01", "2026-08-31"},
                                                                  {"2026-07-01", "2026-09-30"},
                                                                  {"2026-08-01", "2026-08-31"},
                                                                  {"2026-08-01", "2026-09-30"},
                                                                  {"2026-09-01", "2026-09-30"}};
// The outcomes a group's shares are of, in the report's order after the count.
const std::vector<std::string> kOutcomes = {"completed", "declined", "declined_inappropriate",
                                            "closed_unreached"};

std::optional<double> ShareOf(const ReferralStatsGroup& g, size_t outcome) {
  const std::optional<double> shares[] = {g.completed_share, g.declined_share,
                                          g.declined_inappropriate_share, g.closed_unreached_share};
  return shares[outcome];
}

// What an official knows of the referrals of one outcome in a group from the published group
// count and share (reports.h): the share is published(part) / published(group), at most 1, to 3
// places, none when the part is suppressed. So the published part is one of the values that give
// that share, and the true part lies within kMaxNoise of them.
Bounds OutcomeBounds(std::optional<int64_t> group, std::optional<double> share) {
  using server::kMaxNoise;
  using server::kSmallCell;
  if (!group) return {0, kSmallCell - 1 + kMaxNoise};  // at most the hidden group
  if (!share) return {1, kSmallCell - 1 + kMaxNoise};  // a part published below 5
  int64_t lo = -1, hi = -1;
  for (int64_t p = 0; p <= *group + 2 * kMaxNoise; ++p) {
    if (p != 0 && p < kSmallCell) continue;
    const double s = std::min(
        1.0, std::round(1000.0 * static_cast<double>(p) / static_cast<double>(*group)) / 1000.0);
    if (std::abs(s - *share) > 1e-9) continue;
    if (lo < 0) lo = p;
    hi = p;
  }
  EXPECT_GE(lo, 0) << "no published part gives share " << *share << " of " << *group;
  if (hi == 0) return {0, 0};
  return {std::max<int64_t>(1, lo - kMaxNoise), hi + kMaxNoise};
}

class ReferralAttackTest : public DistrictStoreFixture {
 protected:
  // The children of RegisterChildren(n, seed, secret), then up to two referrals of each from its
  // district's site to another, created in July, August or September 2026, and moved on by a
  // terminal of the target site: completed, declined (each code), closed unreached, accepted or
  // left open.
  void Refer(int n, uint32_t seed, const std::string& secret) {
    std::mt19937 rng(seed);
    std::vector<std::pair<std::string, wire::Event>> moves;
    int referral = 0;
    for (const SyntheticChild& c : RegisterChildren(n, seed, secret)) {
      const int site = c.terminal[1] - '1';
      for (int k = std::uniform_int_distribution<int>(0, 2)(rng); k > 0; --k) {
        const std::string id = c.terminal + "-R" + std::to_string(++referral);
        const int to = (site + 1 + std::uniform_int_distribution<int>(0, 2)(rng)) % 4;
        const int64_t month_ms = int64_t{1'782'864'000'000} +  // 2026-07-01T00:00Z
                                 std::uniform_int_distribution<int64_t>(0, 91)(rng) * 86'400'000;
        Push(
            c.terminal,
            MakeEvent(
                c.terminal, "referral.create", 0, static_cast<uint64_t>(month_ms) << 16, c.child_id,
                {{"referral_id", id},
                 {"child_id", c.child_id},
                 {"service", detail::Pick(rng, {"education", "health", "protection"}, {5, 4, 1})},
                 {"from_site", kSites[static_cast<size_t>(site)]},
                 {"to_site", kSites[static_cast<size_t>(to)]},
                 {"reason", "转介"}}));
        const std::string target = "T" + std::to_string(to + 1);
        const std::string status =
            detail::Pick(rng, {"completed", "declined", "closed_unreached", "accepted", "open"},
                         {35, 20, 15, 15, 15});
        if (status == "open") continue;
        nlohmann::json change = {{"referral_id", id}, {"status", status}};
        if (status == "declined") {
          change["decline_reason"] = detail::Pick(
              rng, {"inappropriate", "no_capacity", "family_refused", "other"}, {3, 4, 2, 1});
        }
        Push(target,
             MakeEvent(target, "referral.status", 0,
                       static_cast<uint64_t>(month_ms + 3'600'000) << 16, c.child_id, change));
      }
    }
  }

  ReferralStatsReport Ask(ReferralStatsQuery q) {
    auto r = static_cast<server::ReportStore&>(*store_).ReferralStats(q);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : ReferralStatsReport{};
  }

  // The table of one outcome (none: all referrals) of a report, its counts as given: the
  // published or true group counts, or for an outcome none (the attacker reads it from the share,
  // OutcomeBounds) unless `exact`, where the true part is the exact share of the exact count.
  static PublishedTable Table(const ReferralStatsReport& r, std::optional<size_t> outcome,
                              bool exact) {
    PublishedTable t{r.area, false, r.dimensions, outcome ? std::nullopt : r.total, {}};
    t.subset = outcome ? "status=" + kOutcomes[*outcome] : "";
    if (!r.from.empty()) t.period = r.from.substr(0, 7) + ".." + r.to.substr(0, 7);
    for (const ReferralStatsGroup& g : r.groups) {
      std::optional<int64_t> count = g.count;
      if (outcome) {
        count = exact ? std::optional<int64_t>(std::llround(ShareOf(g, *outcome).value_or(0) *
                                                            static_cast<double>(*g.count)))
                      : std::nullopt;
      }
      t.cells.push_back({g.values, count});
    }
    return t;
  }

  // Asks every question (each also gives a table per outcome), then solves and judges.
  AttackOutcome Attack() {
    IntervalSolver solver;
    CountsAttacker attacker(solver);
    std::map<std::string, int64_t> truth;
    size_t tables = 0;
    for (const auto& [from, to] : kRanges) {
      for (const std::string& area : kAreas) {
        for (const auto& by : Combinations(server::kReferralDimensions, 4)) {
          if (by.empty()) continue;        // the total of every other question
          tables += 1 + kOutcomes.size();  // the groups' table and one per outcome
          AddQuestion({area, false, "", by, from, to}, attacker, truth);
        }
      }
    }
    // A range of days that are not whole months is refused.
    EXPECT_EQ(static_cast<server::ReportStore&>(*store_)
                  .ReferralStats({"4403", false, "", {}, "2026-07-02", "2026-07-31"})
                  .status()
                  .code(),
              ErrorCode::kInvalidArgument);
    return SolveAndJudge(solver, truth, tables, "referrals");
  }

  // Asks `q` and its exact twin: the groups' table and one table per outcome go to the attacker,
  // the true counts to `truth`.
  void AddQuestion(const ReferralStatsQuery& q, CountsAttacker& attacker,
                   std::map<std::string, int64_t>& truth) {
    ReferralStatsQuery exact_q = q;
    exact_q.exact = true;
    exact_q.requested_by = "disclosure-test";
    const ReferralStatsReport asked = Ask(q);
    const ReferralStatsReport exact = Ask(exact_q);
    attacker.AddTable(Table(asked, std::nullopt, false), CellKeyPerturbation);
    RecordTruth(Table(exact, std::nullopt, true), truth);
    for (size_t outcome = 0; outcome < kOutcomes.size(); ++outcome) {
      std::vector<Bounds> cells;
      for (const ReferralStatsGroup& g : asked.groups)
        cells.push_back(OutcomeBounds(g.count, ShareOf(g, outcome)));
      attacker.AddTable(Table(asked, outcome, false), {0, kUnbounded}, cells);
      // No total of an outcome is published; its truth is the sum of the groups'.
      PublishedTable true_parts = Table(exact, outcome, true);
      true_parts.total = 0;
      for (const PublishedCell& c : true_parts.cells) *true_parts.total += c.count.value_or(0);
      RecordTruth(true_parts, truth);
    }
  }
};

TEST_F(ReferralAttackTest, CellKeyPerturbationGivesAwayNoSmallReferralCount) {
  Refer(320, 20261206, "referral-attack-test/1");
  AttackOutcome o = Attack();
  EXPECT_GT(o.small, 500u) << "the referrals must form many small groups to protect";
  EXPECT_EQ(o.recovered, 0u) << o.recovered << " of " << o.small;
}

}  // namespace
}  // namespace onecard::disclosure
