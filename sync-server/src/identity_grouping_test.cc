#include "identity_grouping.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "onecard/protocol/identity_score.h"

namespace onecard::server {
namespace {

std::vector<GroupedRecord> Records(std::initializer_list<std::pair<const char*, uint64_t>> list) {
  std::vector<GroupedRecord> out;
  for (auto [id, recency] : list) out.push_back({id, recency});
  return out;
}

IdentityPair Link(const char* a, const char* b, double score,
                  uint32_t reasons = kReasonNameHomophone) {
  return {a, b, score, reasons};
}

TEST(IdentityGrouping, AutomaticLinkMakesOnePersonWhoseCurrentRecordIsTheMostRecent) {
  IdentityResolution r;
  r.links = {Link("GD-1", "JS-1", 14)};
  IdentityGrouping g =
      GroupIdentities(Records({{"JS-1", 100}, {"GD-1", 200}, {"GD-2", 300}}), r, {});
  ASSERT_EQ(g.persons.size(), 1u);
  EXPECT_EQ(g.persons[0].person_id, "GD-1");
  EXPECT_EQ(g.persons[0].members, (std::vector<std::string>{"GD-1", "JS-1"}));
  EXPECT_EQ(g.persons[0].current, "GD-1");
  ASSERT_EQ(g.links.size(), 1u);
  EXPECT_FALSE(g.links[0].merged);
  EXPECT_TRUE(g.review.empty());
}

TEST(IdentityGrouping, MergeJoinsAReviewPairAndTakesItOffTheQueue) {
  IdentityResolution r;
  r.review = {Link("A", "B", 9)};
  IdentityGrouping before = GroupIdentities(Records({{"A", 1}, {"B", 2}}), r, {});
  EXPECT_TRUE(before.persons.empty());
  ASSERT_EQ(before.review.size(), 1u);
  IdentityGrouping merged = GroupIdentities(Records({{"A", 1}, {"B", 2}}), r,
                                            {{{"A", "B"}, IdentityDecisionKind::kMerge}});
  ASSERT_EQ(merged.persons.size(), 1u);
  EXPECT_EQ(merged.persons[0].current, "B");
  EXPECT_TRUE(merged.review.empty());
  ASSERT_EQ(merged.links.size(), 1u);
  EXPECT_TRUE(merged.links[0].merged);
}

TEST(IdentityGrouping, UnmergeOfAnAutomaticLinkSplitsAndReturnsThePairToReview) {
  IdentityResolution r;
  r.links = {Link("A", "B", 15)};
  IdentityGrouping g = GroupIdentities(Records({{"A", 1}, {"B", 2}}), r,
                                       {{{"A", "B"}, IdentityDecisionKind::kUnmerge}});
  EXPECT_TRUE(g.persons.empty());
  EXPECT_TRUE(g.links.empty());
  ASSERT_EQ(g.review.size(), 1u);
  EXPECT_EQ(g.review[0].a, "A");
  EXPECT_EQ(g.review[0].score, 15);
}

TEST(IdentityGrouping, SeparateKeepsRecordsApartEvenThroughAThirdRecordAndOffTheQueue) {
  // A~C and C~B would chain A and B together; A and B were decided to be different children.
  IdentityResolution r;
  r.links = {Link("A", "C", 16), Link("B", "C", 15)};
  r.review = {Link("A", "B", 9)};
  IdentityGrouping g = GroupIdentities(Records({{"A", 1}, {"B", 2}, {"C", 3}}), r,
                                       {{{"A", "B"}, IdentityDecisionKind::kSeparate}});
  ASSERT_EQ(g.persons.size(), 1u);
  EXPECT_EQ(g.persons[0].members, (std::vector<std::string>{"A", "C"}));  // the stronger link wins
  // The weaker link B~C is doubtful now: it waits for a supervisor. A~B was decided.
  ASSERT_EQ(g.review.size(), 1u);
  EXPECT_EQ(g.review[0].a, "B");
  EXPECT_EQ(g.review[0].b, "C");
}

TEST(IdentityGrouping, ExactLinksComeBeforeScoredOnes) {
  IdentityResolution r;
  r.links = {Link("A", "C", 20), Link("B", "C", 0, kReasonSameIdNumber)};
  IdentityGrouping g = GroupIdentities(Records({{"A", 1}, {"B", 2}, {"C", 3}}), r,
                                       {{{"A", "B"}, IdentityDecisionKind::kSeparate}});
  ASSERT_EQ(g.persons.size(), 1u);
  EXPECT_EQ(g.persons[0].members, (std::vector<std::string>{"B", "C"}));
}

TEST(IdentityGrouping, TheSameWhateverTheOrderOfRecordsAndLinks) {
  IdentityResolution r;
  r.links = {Link("A", "B", 14), Link("C", "D", 15), Link("B", "C", 14.5),
             Link("E", "F", 0, kReasonSameCardSerial)};
  r.review = {Link("A", "E", 8), Link("D", "F", 10)};
  auto records = Records({{"A", 5}, {"B", 5}, {"C", 1}, {"D", 2}, {"E", 9}, {"F", 3}});
  IdentityDecisions decisions = {{{"A", "D"}, IdentityDecisionKind::kSeparate}};
  IdentityGrouping first = GroupIdentities(records, r, decisions);
  std::mt19937 rng(7);
  for (int i = 0; i < 50; ++i) {
    std::shuffle(records.begin(), records.end(), rng);
    std::shuffle(r.links.begin(), r.links.end(), rng);
    std::shuffle(r.review.begin(), r.review.end(), rng);
    IdentityGrouping again = GroupIdentities(records, r, decisions);
    ASSERT_EQ(again.persons.size(), first.persons.size());
    for (size_t p = 0; p < first.persons.size(); ++p) {
      EXPECT_EQ(again.persons[p].members, first.persons[p].members);
      EXPECT_EQ(again.persons[p].current, first.persons[p].current);
    }
    ASSERT_EQ(again.review.size(), first.review.size());
    for (size_t p = 0; p < first.review.size(); ++p)
      EXPECT_EQ(again.review[p].a + again.review[p].b, first.review[p].a + first.review[p].b);
  }
  // C~D (15) joins first, then B~C (14.5), then A~B (14) would bring A next to D: skipped.
  ASSERT_EQ(first.persons.size(), 2u);
  EXPECT_EQ(first.persons[0].members, (std::vector<std::string>{"B", "C", "D"}));
  EXPECT_EQ(first.persons[0].current, "B");  // recency 5 ties with A's, but A is elsewhere
  EXPECT_EQ(first.persons[1].members, (std::vector<std::string>{"E", "F"}));
}

}  // namespace
}  // namespace onecard::server
