// Cell key perturbation (cell_key.h): the rules the officials' counts rely on, checked over the
// whole key space in even steps, so that the shares of the perturbation table are measured.

#include "cell_key.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace onecard::server {
namespace {

// `steps` keys spread evenly over [0, 2^32).
std::vector<uint32_t> EvenKeys(uint32_t steps) {
  std::vector<uint32_t> keys;
  for (uint32_t i = 0; i < steps; ++i) {
    keys.push_back(static_cast<uint32_t>((uint64_t{i} << 32) / steps + 7));
  }
  return keys;
}

TEST(CellKey, AnEmptyCellIsPublishedAsZeroWhateverItsKey) {
  for (uint32_t key : {0u, 1u, 0x80000000u, 0xffffffffu}) EXPECT_EQ(PublishCount({0, key}), 0);
}

TEST(CellKey, NoTrueCountOfOneToFourIsEverShownAndNoneBecomesZero) {
  for (int64_t n = 1; n <= 4; ++n) {
    int shown = 0;
    for (uint32_t key : EvenKeys(100000)) {
      std::optional<int64_t> published = PublishCount({n, key});
      if (!published) continue;
      ++shown;
      EXPECT_GE(*published, kSmallCell) << n;
      EXPECT_LE(*published, n + kMaxNoise) << n;
    }
    // Some small counts are shown, perturbed upwards: a published 5 to 8 may be a true 1 to 4, so
    // that "shown" does not mean "at least 5".
    EXPECT_GT(shown, 0) << n;
  }
}

TEST(CellKey, TheNoiseFollowsTheTableAndIsUnbiasedFromFive) {
  const std::vector<uint32_t> keys = EvenKeys(100000);
  for (int64_t n : {5, 6, 17, 100, 12345}) {
    std::map<int, int> seen;
    double sum = 0;
    for (uint32_t key : keys) {
      const int noise = Noise(n, key);
      ++seen[noise];
      sum += noise;
      EXPECT_EQ(PublishCount({n, key}),
                n + noise < kSmallCell ? std::nullopt : std::optional<int64_t>(n + noise));
    }
    for (int noise = -kMaxNoise; noise <= kMaxNoise; ++noise) {
      const double expected =
          100000.0 * kNoiseWeights[static_cast<size_t>(noise + kMaxNoise)] / kNoiseWeightTotal;
      EXPECT_NEAR(seen[noise], expected, 2.0) << "n " << n << " noise " << noise;
    }
    EXPECT_NEAR(sum / static_cast<double>(keys.size()), 0.0, 0.001) << n;
  }
}

TEST(CellKey, SmallCountsKeepTheRelativeWeightsAboveOne) {
  // n = 2: noises -1 … +4 only; their shares keep the table's proportions.
  std::map<int, int> seen;
  for (uint32_t key : EvenKeys(100000)) ++seen[Noise(2, key)];
  EXPECT_EQ(seen.count(-2), 0u);
  const double total = 190 + 230 + 190 + 120 + 55 + 20;
  EXPECT_NEAR(seen[-1], 100000 * 190 / total, 2.0);
  EXPECT_NEAR(seen[4], 100000 * 20 / total, 2.0);
}

TEST(CellKey, TheSameCellIsAlwaysPublishedTheSameAndKeysAddModulo2To32) {
  EXPECT_EQ(PublishCount({40, 123456789}), PublishCount({40, 123456789}));
  KeyedCount cell{1, 0xfffffff0u};
  cell.Add({2, 0x20u});
  EXPECT_EQ(cell.n, 3);
  EXPECT_EQ(cell.key, 0x10u);
  const std::vector<std::optional<int64_t>> published = PublishCounts({{0, 5}, {40, 123456789}});
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[0], 0);
  EXPECT_EQ(published[1], PublishCount({40, 123456789}));
}

}  // namespace
}  // namespace onecard::server
