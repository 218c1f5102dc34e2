#include "onecard/protocol/identity_resolver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "onecard/protocol/id_number.h"

namespace onecard {
namespace {

IdentityRecord Child(std::string id, std::string_view name, CivilDate birth, char sex = 'M') {
  IdentityRecord r;
  r.record_id = std::move(id);
  r.name = MakeIdentityName(name);
  r.birth_date = birth;
  r.sex = sex;
  r.hukou_area = "341322";
  r.residence_area = "341322";
  IdentityGuardian father;
  father.relation = GuardianRelation::kFather;
  father.name = MakeIdentityName("王建国");
  father.id_number = MakeIdNumber("341322", CivilDate{1985, 6, 12}, 15);
  r.guardians.push_back(father);
  return r;
}

// A small population: a child registered twice with a homophone, a child registered twice under
// one ID number with different names, twins, a card presented at two sites, and bystanders.
std::vector<IdentityRecord> Population() {
  std::vector<IdentityRecord> v;
  v.push_back(Child("r01", "王子涵", {2016, 4, 9}));
  v.push_back(Child("r02", "王子含", {2016, 9, 4}));  // homophone and swapped day/month
  v.back().residence_area = "440306";
  v.push_back(Child("r03", "王子轩", {2016, 4, 9}));  // twin of r01
  v.push_back(Child("r04", "李娜", {2012, 1, 30}, 'F'));
  v.back().id_number = MakeIdNumber("341322", CivilDate{2012, 1, 30}, 22);
  v.back().guardians.clear();
  v.push_back(Child("r05", "李哪", {2012, 1, 30}, 'F'));  // same ID, typo
  v.back().id_number = v[3].id_number;
  v.back().guardians.clear();
  v.push_back(Child("r06", "陈晨", {2010, 12, 1}));
  v.back().card_serial = "OC-0001";
  v.back().guardians.clear();
  v.push_back(Child("r07", "陈辰", {2011, 12, 1}));
  v.back().card_serial = "OC-0001";
  v.back().guardians.clear();
  v.push_back(Child("r08", "赵一鸣", {2014, 6, 1}));
  v.back().guardians.clear();
  v.push_back(Child("r09", "钱多多", {2014, 6, 1}, 'F'));
  v.back().guardians.clear();
  return v;
}

IdentityResolution ResolveAll(const std::vector<IdentityRecord>& records) {
  IdentityResolver resolver;
  for (const IdentityRecord& r : records) EXPECT_TRUE(resolver.Add(r).ok());
  return resolver.Resolve();
}

TEST(IdentityResolver, ExactKeysScoredLinksAndReview) {
  IdentityResolution res = ResolveAll(Population());
  std::vector<std::vector<std::string>> expected = {{"r01", "r02"}, {"r04", "r05"}, {"r06", "r07"}};
  EXPECT_EQ(res.clusters, expected);
  ASSERT_EQ(res.links.size(), 3u);
  EXPECT_EQ(res.links[0].a, "r01");
  EXPECT_GE(res.links[0].score, IdentityThresholds().link);
  EXPECT_TRUE(res.links[0].reasons & kReasonNameTonedHomophone);
  EXPECT_TRUE(res.links[0].reasons & kReasonBirthDayMonthSwapped);
  EXPECT_EQ(res.links[1].reasons, kReasonSameIdNumber);
  EXPECT_EQ(res.links[2].reasons, kReasonSameCardSerial);
  // The twins wait for a supervisor: r03 against r01 (same date) — r02 is linked to r01.
  ASSERT_FALSE(res.review.empty());
  EXPECT_EQ(res.review[0].a, "r01");
  EXPECT_EQ(res.review[0].b, "r03");
  EXPECT_TRUE(res.review[0].reasons & kReasonNameOneCharacterDiffers);
  for (const IdentityPair& p : res.review) EXPECT_NE(p.a + p.b, "r08r09");
  EXPECT_GT(res.candidate_pairs, 0u);
}

TEST(IdentityResolver, SameResultWhateverTheOrder) {
  std::vector<IdentityRecord> records = Population();
  IdentityResolution first = ResolveAll(records);
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(records.begin(), records.end(), rng);
    IdentityResolution again = ResolveAll(records);
    EXPECT_EQ(again.clusters, first.clusters);
    ASSERT_EQ(again.links.size(), first.links.size());
    for (size_t i = 0; i < first.links.size(); ++i) {
      EXPECT_EQ(again.links[i].a + again.links[i].b, first.links[i].a + first.links[i].b);
      EXPECT_EQ(again.links[i].score, first.links[i].score);
    }
    ASSERT_EQ(again.review.size(), first.review.size());
    for (size_t i = 0; i < first.review.size(); ++i) {
      EXPECT_EQ(again.review[i].a + again.review[i].b, first.review[i].a + first.review[i].b);
    }
  }
}

TEST(IdentityResolver, NeverJoinsTwoIdNumbersThroughAThirdRecord) {
  // r1 and r3 carry different ID numbers; r2, without one, matches both equally well.
  std::vector<IdentityRecord> v;
  v.push_back(Child("r1", "刘洋", {2015, 5, 5}));
  v.back().id_number = MakeIdNumber("341322", CivilDate{2015, 5, 5}, 11);
  v.push_back(Child("r2", "刘洋", {2015, 5, 5}));
  v.push_back(Child("r3", "刘阳", {2015, 5, 5}));
  v.back().id_number = MakeIdNumber("341322", CivilDate{2015, 5, 5}, 13);
  IdentityResolution res = ResolveAll(v);
  ASSERT_EQ(res.clusters.size(), 1u);
  EXPECT_EQ(res.clusters[0], (std::vector<std::string>{"r1", "r2"}));
  ASSERT_EQ(res.review.size(), 1u);
  EXPECT_EQ(res.review[0].a, "r2");
  EXPECT_EQ(res.review[0].b, "r3");
  EXPECT_TRUE(res.review[0].reasons & kReasonConflictingIdNumbers);
}

TEST(IdentityResolver, RefusesDuplicateIdsAndEmptyRecords) {
  IdentityResolver resolver;
  ASSERT_TRUE(resolver.Add(Child("x", "王明", {2015, 1, 1})).ok());
  Status again = resolver.Add(Child("x", "王明", {2015, 1, 1}));
  EXPECT_EQ(again.code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(resolver.Add(IdentityRecord{}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(resolver.size(), 1u);
  EXPECT_TRUE(resolver.Resolve().clusters.empty());
}

TEST(IdentityResolver, OversizedBlocksAreSkippedAndCounted) {
  IdentityThresholds t;
  t.max_block = 2;
  IdentityResolver resolver(t);
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(resolver.Add(Child("k" + std::to_string(i), "王明", {2015, 1, 1})).ok());
  IdentityResolution res = resolver.Resolve();
  EXPECT_GT(res.skipped_blocks, 0u);
  EXPECT_TRUE(res.clusters.empty());
}

}  // namespace
}  // namespace onecard
