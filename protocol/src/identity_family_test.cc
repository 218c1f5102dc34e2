// The one-character rule (identity_family.h) and the family blocking key, through the resolver.
#include <gtest/gtest.h>

#include <algorithm>

#include "onecard/protocol/id_number.h"
#include "onecard/protocol/identity_resolver.h"

namespace onecard {
namespace {

constexpr const char* kSending = "341322";    // the family's hukou county, where left-behind live
constexpr const char* kReceiving = "440306";  // where the migrant parents work

// A child of the 王 family (father 王建国, his ID number recorded), living at `residence`.
IdentityRecord Child(std::string id, std::string_view name, CivilDate birth,
                     const char* residence) {
  IdentityRecord r;
  r.record_id = std::move(id);
  r.name = MakeIdentityName(name);
  r.birth_date = birth;
  r.sex = 'F';
  r.hukou_area = kSending;
  r.residence_area = residence;
  IdentityGuardian father;
  father.relation = GuardianRelation::kFather;
  father.name = MakeIdentityName("王建国");
  father.id_number = MakeIdNumber(kSending, CivilDate{1985, 6, 12}, 15);
  r.guardians.push_back(father);
  return r;
}

IdentityResolution ResolveAll(const std::vector<IdentityRecord>& records) {
  IdentityResolver resolver;
  for (const IdentityRecord& r : records) EXPECT_TRUE(resolver.Add(r).ok());
  return resolver.Resolve();
}

bool Reviewed(const IdentityResolution& res, const std::string& a, const std::string& b) {
  for (const IdentityPair& p : res.review)
    if (p.a == a && p.b == b) return true;
  return false;
}

const CivilDate kBorn{2016, 4, 9};

TEST(IdentityOneCharacter, LinkedAcrossAreasWhenTheFamilyHasNoOtherChildThatDay) {
  // 思雨 / 思琪 (yu / qi: unrelated sounds), at the sending and the receiving end; an older
  // sibling (another date) does not stand in the way.
  IdentityResolution res =
      ResolveAll({Child("a", "王思雨", kBorn, kSending), Child("b", "王思琪", kBorn, kReceiving),
                  Child("c", "王思远", {2013, 2, 20}, kSending)});
  ASSERT_EQ(res.clusters, (std::vector<std::vector<std::string>>{{"a", "b"}}));
  ASSERT_EQ(res.links.size(), 1u);
  EXPECT_TRUE(res.links[0].reasons & kReasonNameOneCharacterDiffers);
  EXPECT_TRUE(res.links[0].reasons & kReasonNoOtherChildThatDay);
}

TEST(IdentityOneCharacter, TwinsWhoseFamilyShowsBothAreNotLinked) {
  // Twins 思雨 and 思琪; 思雨 registered at both ends (the second time as the homophone 思语).
  // 思琪 at the receiving end is one character from 思雨 — but the family has another child born
  // that day (思语) as close: a supervisor decides.
  IdentityResolution res =
      ResolveAll({Child("t1", "王思雨", kBorn, kSending), Child("t1b", "王思语", kBorn, kReceiving),
                  Child("t2", "王思琪", kBorn, kReceiving)});
  ASSERT_EQ(res.clusters, (std::vector<std::vector<std::string>>{{"t1", "t1b"}}));
  EXPECT_TRUE(Reviewed(res, "t1", "t2"));
  for (const IdentityPair& link : res.links)
    EXPECT_FALSE(link.reasons & kReasonNoOtherChildThatDay);
}

TEST(IdentityOneCharacter, TwinsRegisteredAtOneSiteAreNotLinked) {
  IdentityResolution res = ResolveAll(
      {Child("t1", "王思雨", kBorn, kReceiving), Child("t2", "王思琪", kBorn, kReceiving)});
  EXPECT_TRUE(res.clusters.empty());
  EXPECT_TRUE(Reviewed(res, "t1", "t2"));
}

TEST(IdentityOneCharacter, NotLinkedWithoutAgreeingGuardiansOrWithAnotherError) {
  // No guardian in common: the father is not recorded the second time.
  IdentityRecord lone = Child("b", "王思琪", kBorn, kReceiving);
  lone.guardians.clear();
  EXPECT_TRUE(ResolveAll({Child("a", "王思雨", kBorn, kSending), lone}).clusters.empty());
  // A date error as well (day and month swapped): two errors at once are reviewed.
  IdentityResolution swapped = ResolveAll(
      {Child("a", "王思雨", kBorn, kSending), Child("b", "王思琪", {2016, 9, 4}, kReceiving)});
  EXPECT_TRUE(swapped.clusters.empty());
  EXPECT_TRUE(Reviewed(swapped, "a", "b"));
  // Another sex: not the same child.
  IdentityRecord boy = Child("b", "王思琪", kBorn, kReceiving);
  boy.sex = 'M';
  EXPECT_TRUE(ResolveAll({Child("a", "王思雨", kBorn, kSending), boy}).clusters.empty());
}

TEST(IdentityOneCharacter, TwinWithADateTypoStillCountsAsAnotherChild) {
  // The family's third record (思语, the twin 思雨 registered again with a one-digit date typo) is
  // close enough to be the partner: 思雨 / 思琪 is not linked automatically.
  IdentityResolution res = ResolveAll({Child("t1", "王思雨", kBorn, kSending),
                                       Child("t1b", "王思语", {2016, 4, 19}, kReceiving),
                                       Child("t2", "王思琪", kBorn, kReceiving)});
  for (const auto& cluster : res.clusters) {
    EXPECT_EQ(std::count(cluster.begin(), cluster.end(), "t2"), 0) << "t2 linked";
  }
}

TEST(IdentityFamilyKey, NearSoundNameAndDateTypoFoundThroughTheParentsIdNumber) {
  // 子涵 / 子航 (han / hang) and 04-09 / 04-19: no name key and no date key is shared; the father's
  // ID number is. Everything else agrees, so the pair is linked.
  IdentityRecord a = Child("a", "王子涵", kBorn, kSending);
  IdentityRecord b = Child("b", "王子航", {2016, 4, 19}, kReceiving);
  IdentityResolution res = ResolveAll({a, b});
  ASSERT_EQ(res.clusters, (std::vector<std::vector<std::string>>{{"a", "b"}}));
  EXPECT_TRUE(res.links[0].reasons & kReasonNameNearSound);
  EXPECT_TRUE(res.links[0].reasons & kReasonBirthOneDigit);
  EXPECT_TRUE(res.links[0].reasons & kReasonGuardianIdSame);
  // Without the father's ID number and with no name of a parent in common, they never meet.
  a.guardians.clear();
  b.guardians.clear();
  IdentityResolution apart = ResolveAll({a, b});
  EXPECT_EQ(apart.candidate_pairs, 0u);
}

}  // namespace
}  // namespace onecard
