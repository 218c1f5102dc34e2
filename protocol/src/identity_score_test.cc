#include "onecard/protocol/identity_score.h"

#include <gtest/gtest.h>

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/id_number.h"
#include "onecard/protocol/identity_resolver.h"

namespace onecard {
namespace {

using nlohmann::json;

json Guardian(const char* relation, const char* name, const char* id = nullptr) {
  json g = {{"relation", relation}, {"name", name}};
  if (id) g["id_number"] = id;
  return g;
}

// A child registered in the sending area (Anhui, Sihong-like county 341322) with both parents.
json BaseChild() {
  return {{"name", "张伟明"},
          {"sex", "M"},
          {"birth_date", "2015-03-07"},
          {"hukou_area", "341322"},
          {"residence_area", "341322"},
          {"guardians",
           {Guardian("father", "张建国", "34132219850612001X"), Guardian("mother", "李秀英")}}};
}

IdentityRecord Record(const json& child, const char* id) {
  Result<IdentityRecord> r = IdentityRecordFromChild(child, id);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : IdentityRecord{};
}

enum class Expect { kLink, kReview, kDistinct };

const char* ExpectName(Expect e) {
  return e == Expect::kLink ? "link" : e == Expect::kReview ? "review" : "distinct";
}

Expect Classify(const IdentityMatch& m) {
  IdentityThresholds t;
  if (m.automatic_allowed && m.score >= t.link) return Expect::kLink;
  return m.score >= t.review ? Expect::kReview : Expect::kDistinct;
}

struct PairCase {
  const char* what;
  json changes;  // the other registration: BaseChild() with these fields replaced
  Expect expect;
  std::uint32_t reason;  // a reason that must be reported
};

std::vector<PairCase> Cases() {
  using enum Expect;
  return {
      {"same child registered again in the receiving area",
       {{"residence_area", "440306"}},
       kLink,
       kReasonNameSame},
      {"homophone character (伟 → 维)", {{"name", "张维明"}}, kLink, kReasonNameHomophone},
      {"homophone with the same tone (明 → 鸣)",
       {{"name", "张伟鸣"}},
       kLink,
       kReasonNameTonedHomophone},
      {"traditional forms", {{"name", "張偉明"}}, kLink, kReasonNameTraditionalForm},
      {"day and month swapped", {{"birth_date", "2015-07-03"}}, kLink, kReasonBirthDayMonthSwapped},
      {"one digit of the birth date", {{"birth_date", "2015-03-01"}}, kLink, kReasonBirthOneDigit},
      {"near-sound typo (明 ming → 民 min)", {{"name", "张伟民"}}, kLink, kReasonNameNearSound},
      {"father's ID missing, father's name homophone, hukou only as prefecture",
       {{"guardians", {Guardian("father", "张建郭")}}, {"hukou_area", "341300"}},
       kLink,
       kReasonHukouNear},
      {"homophone and a one-digit date typo, only the father's name in common",
       {{"name", "张维明"},
        {"birth_date", "2015-03-01"},
        {"guardians", {Guardian("father", "张建国")}}},
       kLink,
       kReasonBirthOneDigit},
      {"near sound and a one-digit date typo, only the mother's name in common",
       {{"name", "张伟民"},
        {"birth_date", "2015-03-01"},
        {"guardians", {Guardian("mother", "李秀英")}}},
       kLink,
       kReasonNameNearSound},
      {"sibling: same parents, another name, born two years later",
       {{"name", "张浩然"}, {"birth_date", "2017-08-20"}},
       kDistinct,
       kReasonBirthDiffers},
      {"one unrelated character differs: review by score (the resolver's one-character rule "
       "decides)",
       {{"name", "张伟强"}},
       kReview,
       kReasonNameOneCharacterDiffers},
      {"twin: same parents, same birth date, different given name",
       {{"name", "张伟杰"}},
       kReview,
       kReasonNameOneCharacterDiffers},
      {"twin with their own ID numbers",
       {{"name", "张伟杰"}, {"id_number", MakeIdNumber("341322", CivilDate{2015, 3, 7}, 35)}},
       kDistinct,
       kReasonIdNumbersDiffer},
      {"sibling: same parents, other name and birth date",
       {{"name", "张思雨"}, {"sex", "F"}, {"birth_date", "2012-10-21"}},
       kDistinct,
       kReasonNameDiffers},
      {"sibling whose name differs in one character, born two years earlier",
       {{"name", "张伟杰"}, {"birth_date", "2013-05-19"}},
       kDistinct,
       kReasonBirthDiffers},
      {"namesake: same name and birth date, other parents, other province",
       {{"hukou_area", "411524"},
        {"guardians",
         {Guardian("father", "张国强", "411524198803150033"), Guardian("mother", "王芳")}}},
       kDistinct,
       kReasonGuardianDiffers},
      {"namesake in the same county with other parents",
       {{"guardians", {Guardian("father", "张国强"), Guardian("mother", "王芳")}}},
       kDistinct,
       kReasonGuardianDiffers},
      {"other sex", {{"sex", "F"}}, kReview, kReasonSexDiffers},
  };
}

TEST(IdentityScore, PairsOfRegistrations) {
  for (const PairCase& c : Cases()) {
    json other_child = BaseChild();
    other_child.update(c.changes);
    json base_child = BaseChild();
    if (other_child.contains("id_number"))
      base_child["id_number"] = MakeIdNumber("341322", CivilDate{2015, 3, 7}, 11);
    IdentityRecord base = Record(base_child, "a");
    IdentityRecord other = Record(other_child, "b");
    IdentityMatch m = ScoreIdentityPair(base, other);
    EXPECT_EQ(ExpectName(Classify(m)), std::string(ExpectName(c.expect)))
        << c.what << ": score " << m.score << " (" << DescribeIdentityReasons(m.reasons) << ")";
    EXPECT_TRUE(m.reasons & c.reason) << c.what << ": " << DescribeIdentityReasons(m.reasons);
    // The score is symmetric.
    IdentityMatch back = ScoreIdentityPair(other, base);
    EXPECT_EQ(back.score, m.score) << c.what;
    EXPECT_EQ(back.automatic_allowed, m.automatic_allowed) << c.what;
  }
}

TEST(IdentityScore, ReasonsInBothLanguages) {
  Language saved = CurrentLanguage();
  SetLanguage(Language::kEn);
  EXPECT_EQ(DescribeIdentityReasons(kReasonNameHomophone | kReasonBirthSame),
            "name sounds the same; same birth date");
  SetLanguage(Language::kZh);
  EXPECT_EQ(DescribeIdentityReasons(kReasonNameHomophone | kReasonBirthSame),
            "姓名同音；出生日期相同");
  SetLanguage(saved);
}

TEST(IdentityRecord, FromChildRecord) {
  json child = BaseChild();
  child["child_id"] = "C-1";
  child["name"] = "阿依古丽·買買提";
  Result<IdentityRecord> r = IdentityRecordFromChild(child);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->record_id, "C-1");
  IdentityName plain = MakeIdentityName("阿依古丽买买提");
  ASSERT_EQ(r->name.size(), plain.size());
  for (size_t i = 0; i < plain.size(); ++i) EXPECT_EQ(r->name[i].han, plain[i].han) << i;
  EXPECT_TRUE(r->name[4].folded);
  EXPECT_FALSE(plain[4].folded);
  EXPECT_EQ(r->guardians.size(), 2u);
  EXPECT_EQ(r->guardians[0].relation, GuardianRelation::kFather);
  EXPECT_EQ(r->guardians[0].id_number, "34132219850612001X");
  EXPECT_EQ(r->birth_date, (CivilDate{2015, 3, 7}));

  const char* broken[] = {"name", "sex", "birth_date", "hukou_area"};
  for (const char* field : broken) {
    json bad = child;
    bad[field] = 17;
    Result<IdentityRecord> e = IdentityRecordFromChild(bad);
    ASSERT_FALSE(e.ok()) << field;
    EXPECT_EQ(e.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(e.status().message().find(field), std::string::npos) << e.status().message();
  }
  json no_id = BaseChild();
  EXPECT_FALSE(IdentityRecordFromChild(no_id).ok());
  EXPECT_FALSE(IdentityRecordFromChild(json::array()).ok());
}

}  // namespace
}  // namespace onecard
