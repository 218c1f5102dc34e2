// ValidateReceivedFields / ValidateReceivedDose: what a replica accepts of a change made elsewhere
// (a terminal's event at the server, a pulled state at a terminal). Table-driven: each row is one
// hostile or honest value of one field.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "onecard/protocol/child_record.h"

namespace onecard {
namespace {

using nlohmann::json;

const CivilDate kToday{2026, 11, 23};

// A registration as a terminal's validation produces it (normalised).
json Registration() {
  auto r = ValidateNewChild(
      json{{"name", "张小明"},
           {"sex", "M"},
           {"birth_date", "2015-03-01"},
           {"hukou_area", "321324"},
           {"residence_area", "440306"},
           {"guardians", {{{"name", "张伟"}, {"relation", "father"}, {"phone", "13812345678"}}}},
           {"school", {{"name", "西乡小学"}, {"grade", 5}, {"status", "enrolled"}}},
           {"consent", {{"by", "张伟"}, {"relation", "father"}, {"date", "2026-11-01"}}}},
      kToday);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return *r;
}

Status Check(const json& fields, bool complete = false) {
  return ValidateReceivedFields(fields, ReceivedFieldRules{kToday, true, complete});
}

TEST(ReceivedFields, AValidatedRegistrationIsAccepted) {
  json fields = Registration();
  EXPECT_TRUE(Check(fields, /*complete=*/true).ok());
  fields["card_serial"] = "0A1B2C3D4E5F6071";
  EXPECT_TRUE(Check(fields, true).ok());
}

struct HostileValue {
  const char* field;
  json value;
};

TEST(ReceivedFields, EveryHostileValueIsRefusedNamingItsField) {
  const std::vector<HostileValue> rows = {
      {"birth_date", "abcd-ef-gh"},
      {"birth_date", "2030-01-01"},
      {"birth_date", "2019-02-30"},
      {"birth_date", "1990-01-01"},  // 36 years old: not a child
      {"birth_date", 20150301},
      {"sex", "X"},
      {"category", "alien"},
      {"hukou_area", "999999"},
      {"residence_area", 440306},
      {"name", std::string(10'000, 'a')},
      {"name", "王\x01明"},
      {"name", 12345},
      {"name", ""},
      {"residence_address", "地址\x07"},
      {"guardians", json::array()},  // placeholder replaced below by 10,000 guardians
      {"guardians", "father"},
      {"school", {{"name", "x"}, {"status", "enrolled"}, {"is_admin", true}}},
      {"school", {{"stage", "primary"}, {"grade", 8}, {"status", "enrolled"}}},
      {"school", {{"stage", "university"}, {"status", "enrolled"}}},
      {"immunizations", {{{"vaccine", "POISON"}, {"dose", -1}, {"date", "2020-01-01"}}}},
      {"card_serial", "0a1b2c3d4e5f6071"},
      {"card_serial", "not a serial"},
      {"id_number", "321324201503010038"},  // bad check digit
  };
  for (HostileValue row : rows) {
    if (std::string(row.field) == "guardians" && row.value.is_array()) {
      row.value = json::array();
      for (int i = 0; i < 10'000; ++i)
        row.value.push_back({{"name", "张伟"}, {"relation", "other"}});
    }
    Status s = Check(json{{row.field, row.value}});
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument)
        << row.field << " = " << row.value.dump().substr(0, 80);
    EXPECT_NE(s.message().find(row.field), std::string::npos) << s.message();
  }
}

TEST(ReceivedFields, UnknownAndSystemFieldsAreRefused) {
  EXPECT_EQ(Check(json{{"is_admin", true}}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Check(json{{"child_id", "GD-T1-1"}}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Check(json::array()).code(), ErrorCode::kInvalidArgument);
}

TEST(ReceivedFields, ValuesNotInNormalisedFormAreRefused) {
  // A terminal's own validation would have trimmed the name and normalised the phone.
  Status name = Check(json{{"name", " 张小明 "}});
  EXPECT_EQ(name.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(name.message().find("name"), std::string::npos);
  json guardians =
      json::array({{{"name", "张伟"}, {"relation", "father"}, {"phone", "138 1234 5678"}}});
  EXPECT_EQ(Check(json{{"guardians", guardians}}).code(), ErrorCode::kInvalidArgument);
}

// The terminal and the server apply the same school rules: a stage with its grade is accepted, a
// stage and grade that disagree are refused naming school.grade, an untrimmed stage is refused.
TEST(ReceivedFields, SchoolStageByTheSameRules) {
  EXPECT_TRUE(Check(json{{"school", {{"stage", "preschool"}, {"status", "enrolled"}}}}).ok());
  EXPECT_TRUE(
      Check(json{{"school", {{"stage", "junior"}, {"grade", 8}, {"status", "enrolled"}}}}).ok());
  Status mismatch =
      Check(json{{"school", {{"stage", "junior"}, {"grade", 5}, {"status", "enrolled"}}}});
  EXPECT_EQ(mismatch.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(mismatch.message().find("school.grade"), std::string::npos) << mismatch.message();
  Status untrimmed = Check(json{{"school", {{"stage", "junior "}, {"status", "enrolled"}}}});
  EXPECT_EQ(untrimmed.code(), ErrorCode::kInvalidArgument);
}

TEST(ReceivedFields, NullRemovesOnlyOptionalFields) {
  EXPECT_TRUE(Check(json{{"school", nullptr}, {"guardians", nullptr}}).ok());
  Status s = Check(json{{"name", nullptr}});
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("name"), std::string::npos);
}

TEST(ReceivedFields, ACompleteRecordNeedsEveryRequiredField) {
  EXPECT_EQ(Check(json::object(), /*complete=*/true).code(), ErrorCode::kInvalidArgument);
  json fields = Registration();
  fields.erase("consent");
  Status s = Check(fields, true);
  EXPECT_NE(s.message().find("consent"), std::string::npos) << s.message();
  // A partial change of a child already held needs none of them.
  EXPECT_TRUE(Check(json{{"residence_area", "321324"}}).ok());
}

TEST(ReceivedFields, RulesBetweenTwoFieldsAreLeftToPeople) {
  // An ID number given at one site while another site corrected the birth date: each edit is
  // valid alone, so neither is refused (the two values meet as data, not as an attack).
  EXPECT_TRUE(Check(json{{"id_number", "321324201503010037"}}).ok());
  EXPECT_TRUE(Check(json{{"birth_date", "2015-04-01"}}).ok());
}

TEST(ReceivedFields, AgeLimitOnlyWhenAsked) {
  EXPECT_EQ(Check(json{{"birth_date", "2008-01-01"}}).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(ValidateReceivedFields(json{{"birth_date", "2008-01-01"}},
                                     ReceivedFieldRules{kToday, false, false})
                  .ok());
}

TEST(ReceivedDose, HostileDosesAreRefused) {
  EXPECT_TRUE(
      ValidateReceivedDose(json{{"vaccine", "BCG"}, {"dose", 1}, {"date", "2015-03-02"}}, kToday)
          .ok());
  for (const json& dose :
       {json{{"vaccine", "POISON"}, {"dose", 1}, {"date", "2015-03-02"}},
        json{{"vaccine", "BCG"}, {"dose", -1}, {"date", "2015-03-02"}},
        json{{"vaccine", "BCG"}, {"dose", 1}, {"date", "2030-01-01"}},
        json{{"vaccine", "BCG"}, {"dose", 1}, {"date", "2015-03-02"}, {"x", 1}},
        json{{"vaccine", " BCG"}, {"dose", 1}, {"date", "2015-03-02"}}, json("BCG")}) {
    EXPECT_EQ(ValidateReceivedDose(dose, kToday).code(), ErrorCode::kInvalidArgument)
        << dose.dump();
  }
}

}  // namespace
}  // namespace onecard
