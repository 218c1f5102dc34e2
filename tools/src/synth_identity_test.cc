// The identity resolver on the synthetic population: order independence on realistic data, and
// floors for precision and recall (the full-size figures are in docs/performance.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "onecard/protocol/identity_resolver.h"
#include "onecard/tools/synth_population.h"

namespace onecard::synth {
namespace {

TEST(SynthIdentity, ResolvesTheSyntheticPopulation) {
  SynthOptions options;
  options.count = 20000;
  options.seed = 99;
  std::vector<IdentityRecord> records;
  std::map<std::string, std::string> person_of;
  ASSERT_TRUE(GeneratePopulation(options, [&](SynthRecord&& r) {
                Result<IdentityRecord> record = IdentityRecordFromChild(r.record);
                ASSERT_TRUE(record.ok()) << record.status().message();
                records.push_back(*record);
                person_of[r.record_id] = r.person_id;
              }).ok());
  auto resolve = [](const std::vector<IdentityRecord>& v) {
    IdentityResolver resolver;
    for (const IdentityRecord& r : v) EXPECT_TRUE(resolver.Add(r).ok());
    return resolver.Resolve();
  };
  IdentityResolution first = resolve(records);
  std::mt19937 rng(3);
  std::shuffle(records.begin(), records.end(), rng);
  IdentityResolution shuffled = resolve(records);
  EXPECT_EQ(shuffled.clusters, first.clusters);
  ASSERT_EQ(shuffled.review.size(), first.review.size());
  for (std::size_t i = 0; i < first.review.size(); ++i)
    EXPECT_EQ(shuffled.review[i].a, first.review[i].a);

  std::map<std::string, int> per_person;
  for (const auto& [id, person] : person_of) ++per_person[person];
  std::size_t true_pairs = 0, linked = 0, correct = 0;
  for (const auto& [person, n] : per_person)
    true_pairs += static_cast<std::size_t>(n * (n - 1) / 2);
  for (const auto& cluster : first.clusters) {  // pairwise, as in bench/identity_bench.cc
    for (std::size_t i = 0; i < cluster.size(); ++i) {
      for (std::size_t j = i + 1; j < cluster.size(); ++j) {
        ++linked;
        correct += person_of[cluster[i]] == person_of[cluster[j]];
      }
    }
  }
  ASSERT_GT(true_pairs, 1500u);
  EXPECT_GE(static_cast<double>(correct) / static_cast<double>(linked), 0.99);
  EXPECT_GE(static_cast<double>(correct) / static_cast<double>(true_pairs), 0.93);
}

}  // namespace
}  // namespace onecard::synth
