// What the adversarial tests share (docs/disclosure-control.md): a real server store of the four
// Shenzhen district sites (synthetic_districts.h) with a fixed cell key secret, what an official
// knows of a published value, and every combination of dimensions an official may ask.
// Test code only.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cell_key.h"
#include "counts_attacker.h"
#include "onecard/protocol/crypto.h"
#include "record_key.h"
#include "server_store_fixture.h"
#include "synthetic_districts.h"

namespace onecard::disclosure {

// Every combination of up to `max` of `dims` (the empty one first), each in `dims`' order.
inline std::vector<std::vector<std::string>> Combinations(const std::vector<std::string>& dims,
                                                          size_t max) {
  std::vector<std::vector<std::string>> out = {{}};
  for (size_t size = 1; size <= max; ++size) {
    std::vector<bool> chosen(dims.size(), false);
    std::fill(chosen.begin(), chosen.begin() + static_cast<std::ptrdiff_t>(size), true);
    do {
      std::vector<std::string> combo;
      for (size_t i = 0; i < dims.size(); ++i)
        if (chosen[i]) combo.push_back(dims[i]);
      out.push_back(combo);
    } while (std::prev_permutation(chosen.begin(), chosen.end()));
  }
  return out;
}

// What an official knows of a value under cell key perturbation (cell_key.h), whose table is
// public: 0 is an empty cell; a shown count is the true count moved by at most kMaxNoise and never
// below 1; a suppressed one ("<5") is a non-empty cell published below 5, so at most
// 4 + kMaxNoise.
inline Bounds CellKeyPerturbation(std::optional<int64_t> published, bool /*is_total*/) {
  using server::kMaxNoise;
  if (!published) return {1, server::kSmallCell - 1 + kMaxNoise};
  if (*published == 0) return {0, 0};
  return {std::max<int64_t>(1, *published - kMaxNoise), *published + kMaxNoise};
}

// The same set reached through two questions has one true count: records each set of `exact` (a
// table of true counts) in `truth`.
inline void RecordTruth(const PublishedTable& exact, std::map<std::string, int64_t>& truth) {
  const auto record = [&](const std::string& set, int64_t n) {
    auto [it, added] = truth.emplace(set, n);
    EXPECT_EQ(it->second, n) << set << " counted twice differently";
  };
  record(CountsAttacker::SetOf(exact, {}), exact.total.value_or(-1));
  for (const PublishedCell& c : exact.cells) {
    record(CountsAttacker::SetOf(exact, c.values), c.count.value_or(-1));
  }
}

struct AttackOutcome {
  size_t tables = 0, sets = 0, small = 0, recovered = 0;
  size_t small_flows = 0, recovered_flows = 0;  // of those, sets of persons who moved ("flow...")
  size_t narrowed_to_two = 0;  // small counts the attacker knows to be one of two values
};

// Solves, checks that the attacker's bounds hold every set's true count (a set absent from
// `truth` is empty), and counts the true counts of 1 to 4 it recovered exactly; prints the figures
// (`what` names what the sets hold).
inline AttackOutcome SolveAndJudge(IntervalSolver& attacker,
                                   const std::map<std::string, int64_t>& truth, size_t tables,
                                   const std::string& what) {
  attacker.Solve();
  AttackOutcome o;
  o.tables = tables;
  for (const auto& [set, var] : attacker.sets()) {
    const Bounds b = attacker.BoundsOf(var);
    const int64_t n = truth.count(set) != 0 ? truth.at(set) : 0;
    EXPECT_TRUE(b.lo <= n && n <= b.hi)
        << set << " holds " << n << ", not in the attacker's [" << b.lo << ", " << b.hi << "]";
    if (n >= 1 && n <= 4) ++o.small;
    if (n >= 1 && n <= 4 && set.starts_with("flow")) ++o.small_flows;
    if (n >= 1 && n <= 4 && set.starts_with("flow") && b.lo == b.hi) ++o.recovered_flows;
    if (n >= 1 && n <= 4 && b.lo == b.hi) ++o.recovered;
    if (n >= 1 && n <= 4 && b.hi - b.lo == 1) ++o.narrowed_to_two;
  }
  o.sets = attacker.sets().size();
  std::cout << "asked " << o.tables << " tables: " << o.sets << " sets of " << what << ", "
            << attacker.relations() << " relations; " << o.recovered << " of " << o.small
            << " true counts of 1-4 recovered exactly, " << o.narrowed_to_two
            << " narrowed to two values";
  if (o.small_flows > 0)
    std::cout << "; of moves: " << o.recovered_flows << " of " << o.small_flows;
  std::cout << "\n";
  return o;
}

class DistrictStoreFixture : public server::ServerStoreFixture {
 protected:
  // The store with a cell key secret fixed by `secret_text` (so that the perturbations, and the
  // test, are the same on every run), then `n` children of `seed` registered. Returns the
  // children.
  std::vector<SyntheticChild> RegisterChildren(int n, uint32_t seed,
                                               const std::string& secret_text) {
    CreateStore(DistrictSites(), DistrictTerminals());
    const Bytes digest = Sha256(AsBytes(secret_text));
    EXPECT_TRUE(store_->SetSecret(server::kCellKeySecretName, SecretBytes(digest)).ok());
    std::vector<SyntheticChild> children = SyntheticDistrictChildren(n, seed);
    for (const SyntheticChild& c : children) {
      std::vector<wire::Event>& events = pushes_[c.terminal];
      const uint64_t seq = events.size() + 1;
      events.push_back(MakeUpsert(c.terminal, seq, (1000 + seq) << 16, c.child_id, c.fields));
    }
    for (const auto& [terminal, events] : pushes_) {
      auto acked = store_->Ingest(terminal, events);
      EXPECT_TRUE(acked.ok()) << acked.status().message();
      if (acked.ok()) {
        EXPECT_EQ(*acked, events.size()) << terminal << ": every one is stored";
      }
    }
    return children;
  }

  // Pushes `event` (its seq set to the terminal's next) from `terminal`, after all it pushed.
  void Push(const std::string& terminal, wire::Event event) {
    std::vector<wire::Event>& events = pushes_[terminal];
    event.set_seq(events.size() + 1);
    events.push_back(event);
    auto acked = store_->Ingest(terminal, {event});
    EXPECT_TRUE(acked.ok()) << acked.status().message();
  }

  std::map<std::string, std::vector<wire::Event>> pushes_;  // by terminal, all it pushed
};

}  // namespace onecard::disclosure
