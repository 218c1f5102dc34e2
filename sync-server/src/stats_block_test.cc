// The encoding of a statistics block (stats_block.h) and the choice of the cube level a question
// reads (stats_cube.h).
#include "stats_block.h"

#include <gtest/gtest.h>

#include "stats_cube.h"

namespace onecard::server {
namespace {

TEST(StatsBlockTest, CellsSurviveEncodingInTailOrder) {
  std::vector<StatsBlockCell> cells;
  ASSERT_TRUE(ChangeStatsBlock(cells, 0x2301, 3, 0xFFFFFFF0u).ok());
  ASSERT_TRUE(ChangeStatsBlock(cells, 0x0001, 1, 7).ok());
  ASSERT_TRUE(ChangeStatsBlock(cells, 0xFFFF, 70000, 1).ok());
  ASSERT_TRUE(ChangeStatsBlock(cells, 0x2301, 2, 0x20).ok());  // key sum wraps modulo 2^32
  const Bytes encoded = EncodeStatsBlock(cells);
  ASSERT_EQ(encoded.size(), 3 * kStatsBlockCellBytes);
  Result<std::vector<StatsBlockCell>> decoded = DecodeStatsBlock(encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ASSERT_EQ(decoded->size(), 3u);
  EXPECT_EQ((*decoded)[0].tail, 0x0001u);
  EXPECT_EQ((*decoded)[1].tail, 0x2301u);
  EXPECT_EQ((*decoded)[1].count.n, 5);
  EXPECT_EQ((*decoded)[1].count.key, 0x10u);
  EXPECT_EQ((*decoded)[2].tail, 0xFFFFu);
  EXPECT_EQ((*decoded)[2].count.n, 70000);
}

TEST(StatsBlockTest, ACellCountedOutToZeroLeavesTheBlock) {
  std::vector<StatsBlockCell> cells;
  ASSERT_TRUE(ChangeStatsBlock(cells, 5, 2, 100).ok());
  ASSERT_TRUE(ChangeStatsBlock(cells, 9, 1, 4).ok());
  ASSERT_TRUE(ChangeStatsBlock(cells, 5, -2, 0u - 100u).ok());
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0].tail, 9u);
  EXPECT_TRUE(EncodeStatsBlock({}).empty());
}

TEST(StatsBlockTest, ACountBelowZeroIsRefused) {
  std::vector<StatsBlockCell> cells;
  ASSERT_TRUE(ChangeStatsBlock(cells, 5, 1, 1).ok());
  Status s = ChangeStatsBlock(cells, 5, -2, 0);
  EXPECT_EQ(s.code(), ErrorCode::kInternal);
  EXPECT_NE(s.message().find("-1"), std::string::npos) << s.message();
}

TEST(StatsBlockTest, ADamagedEncodingIsCorruption) {
  const Bytes damaged(kStatsBlockCellBytes + 3, 0);
  Result<std::vector<StatsBlockCell>> decoded = DecodeStatsBlock(damaged);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), ErrorCode::kCorruption);
}

TEST(StatsBlockTest, HeadAndTailSplitThePackedAttributes) {
  const StatsAttributes packed = 0x0213'5321;
  EXPECT_EQ(StatsHead(packed), 0x321u);
  EXPECT_EQ(StatsTail(packed), 0x2135u);
  EXPECT_EQ(StatsJoin(StatsHead(packed), StatsTail(packed)), packed);
}

TEST(StatsLevelTest, AQuestionReadsTheCoarsestLevelKeepingItsDigits) {
  const auto level = [](int residence, int hukou) { return StatsLevelFor(residence, hukou).id(); };
  EXPECT_EQ(level(2, 0), 20);
  EXPECT_EQ(level(2, 2), 22);
  EXPECT_EQ(level(2, 4), 26);  // a province by hukou city: one row per hukou county and head
  EXPECT_EQ(level(2, 6), 26);
  EXPECT_EQ(level(4, 0), 40);
  EXPECT_EQ(level(4, 2), 44);
  EXPECT_EQ(level(4, 6), 46);
  EXPECT_EQ(level(6, 0), 60);
  EXPECT_EQ(level(6, 2), 66);
  EXPECT_EQ(level(6, 6), 66);
}

}  // namespace
}  // namespace onecard::server
