#include "onecard/protocol/child_record.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/id_number.h"
#include "onecard/protocol/utf8.h"
#include "test_language_scope.h"

namespace onecard {
namespace {

using testing::LanguageScope;

using nlohmann::json;

const CivilDate kToday{2026, 11, 23};

// Born 2015-03-01 in 泗洪县 (Jiangsu), living with the father in 宝安区 (Shenzhen): migrant.
json ValidRecord() {
  return json{
      {"name", " 张小明 "},
      {"sex", "M"},
      {"birth_date", "2015-03-01"},
      {"id_number", "321324201503010037"},
      {"ethnicity", "01"},
      {"hukou_area", "321324"},
      {"residence_area", "440306"},
      {"residence_address", "深圳市宝安区西乡街道 1 号"},
      {"guardians",
       {{{"name", "张伟"},
         {"relation", "father"},
         {"phone", "138 1234 5678"},
         {"id_number", MakeIdNumber("321324", {1985, 6, 1}, 11)},
         {"residence_area", "440306"}},
        {{"name", "李娟"}, {"relation", "mother"}, {"phone", "0527-81234567"}}}},
      {"school", {{"name", "西乡小学"}, {"grade", 5}, {"status", "enrolled"}}},
      {"immunizations",
       {{{"vaccine", "BCG"}, {"dose", 1}, {"date", "2015-03-02"}},
        {{"vaccine", "HepB"}, {"dose", 1}, {"date", "2015-03-01"}}}},
      {"consent", {{"by", "张伟"}, {"relation", "father"}, {"date", "2026-11-01"}}},
  };
}

json StoredRecordForFuzz() {
  auto r = ValidateNewChild(ValidRecord(), kToday);
  return r.ok() ? *r : json::object();
}

TEST(ChildRecord, NormalizesAValidRecord) {
  auto r = ValidateNewChild(ValidRecord(), kToday);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const json& out = *r;
  EXPECT_EQ(out["name"], "张小明");
  EXPECT_EQ(out["category"], "migrant");
  EXPECT_EQ(out["guardians"][0]["phone"], "13812345678");
  EXPECT_EQ(out["guardians"][1]["phone"], "0527-81234567");
  // Sorted by date.
  EXPECT_EQ(out["immunizations"][0]["vaccine"], "HepB");
  EXPECT_EQ(out["immunizations"][1]["vaccine"], "BCG");
  EXPECT_FALSE(out.contains("child_id"));
  // Validating the output again is a fixed point.
  auto again = ValidateNewChild(out, kToday);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(*again, out);
}

TEST(ChildRecord, MinimalRecordIsEnough) {
  json minimal = {
      {"name", "王芳"},
      {"sex", "F"},
      {"birth_date", "2020-01-31"},
      {"hukou_area", "321324"},
      {"residence_area", "321324"},
      {"consent", {{"by", "王强"}, {"relation", "grandparent"}, {"date", "2026-01-01"}}}};
  auto r = ValidateNewChild(minimal, kToday);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ((*r)["category"], "other");
  EXPECT_EQ(r->size(), minimal.size() + 1);
}

// Moves the record's birth date, dropping what would contradict it (ID number, doses).
void BornOn(json& r, const char* date) {
  r["birth_date"] = date;
  r.erase("id_number");
  r.erase("immunizations");
}

// Sets the record's school stage and grade.
std::function<void(json&)> StageAndGrade(const char* stage, int grade) {
  return [=](json& r) {
    r["school"]["stage"] = stage;
    r["school"]["grade"] = grade;
  };
}

struct Row {
  const char* what;
  std::function<void(json&)> change;
  const char* error_path;  // nullptr: the record must be accepted
};

// Each rule of PRODUCT.md section 4 with passing and failing rows.
const std::vector<Row>& Rows() {
  static const std::vector<Row> rows = {
      // name
      {"name missing", [](json& r) { r.erase("name"); }, "name"},
      {"name null", [](json& r) { r["name"] = nullptr; }, "name"},
      {"name not a string", [](json& r) { r["name"] = 12; }, "name"},
      {"name with digit", [](json& r) { r["name"] = "张3"; }, "name"},
      {"name empty", [](json& r) { r["name"] = ""; }, "name"},
      {"minority name with dot", [](json& r) { r["name"] = "阿依夏木・吐尔逊"; }, nullptr},
      {"Latin name", [](json& r) { r["name"] = "Ayixiamu Tuerxun"; }, nullptr},
      // sex
      {"sex lowercase", [](json& r) { r["sex"] = "m"; }, "sex"},
      {"sex other", [](json& r) { r["sex"] = "X"; }, "sex"},
      {"sex number", [](json& r) { r["sex"] = 1; }, "sex"},
      {"sex F disagrees with ID", [](json& r) { r["sex"] = "F"; }, "id_number"},
      {"sex F without ID",
       [](json& r) {
         r["sex"] = "F";
         r.erase("id_number");
       },
       nullptr},
      // birth_date
      {"birth date not real", [](json& r) { r["birth_date"] = "2015-02-30"; }, "birth_date"},
      {"birth date format", [](json& r) { r["birth_date"] = "2015/03/01"; }, "birth_date"},
      {"birth date future", [](json& r) { BornOn(r, "2026-11-24"); }, "birth_date"},
      {"birth date today",
       [](json& r) {
         BornOn(r, "2026-11-23");
         r["consent"]["date"] = "2026-11-23";
       },
       nullptr},
      {"aged 18", [](json& r) { BornOn(r, "2008-11-23"); }, "birth_date"},
      {"aged 17", [](json& r) { BornOn(r, "2008-11-24"); }, nullptr},
      {"birth date disagrees with ID", [](json& r) { r["birth_date"] = "2015-03-02"; },
       "id_number"},
      // id_number
      {"id wrong check char", [](json& r) { r["id_number"] = "321324201503010038"; }, "id_number"},
      {"id lowercase x", [](json& r) { r["id_number"] = "32132420150301007x"; },
       nullptr},  // checksum X for sequence 007 (sum 167)
      {"id impossible date 0230", [](json& r) { r["id_number"] = "321324201502300037"; },
       "id_number"},
      {"id too short", [](json& r) { r["id_number"] = "32132420150301003"; }, "id_number"},
      {"id number type", [](json& r) { r["id_number"] = 321324201503010037LL; }, "id_number"},
      {"id null is dropped", [](json& r) { r["id_number"] = nullptr; }, nullptr},
      // ethnicity
      {"ethnicity 56", [](json& r) { r["ethnicity"] = "56"; }, nullptr},
      {"ethnicity 97", [](json& r) { r["ethnicity"] = "97"; }, nullptr},
      {"ethnicity 57", [](json& r) { r["ethnicity"] = "57"; }, "ethnicity"},
      {"ethnicity 00", [](json& r) { r["ethnicity"] = "00"; }, "ethnicity"},
      {"ethnicity integer", [](json& r) { r["ethnicity"] = 1; }, "ethnicity"},
      {"ethnicity one digit", [](json& r) { r["ethnicity"] = "1"; }, "ethnicity"},
      // areas
      {"hukou unknown", [](json& r) { r["hukou_area"] = "321399"; }, "hukou_area"},
      {"hukou 5 digits", [](json& r) { r["hukou_area"] = "32132"; }, "hukou_area"},
      {"hukou number", [](json& r) { r["hukou_area"] = 321324; }, "hukou_area"},
      {"hukou missing", [](json& r) { r.erase("hukou_area"); }, "hukou_area"},
      {"residence prefecture level", [](json& r) { r["residence_area"] = "440300"; }, nullptr},
      {"residence unknown", [](json& r) { r["residence_area"] = "440399"; }, "residence_area"},
      {"residence missing", [](json& r) { r.erase("residence_area"); }, "residence_area"},
      // residence_address
      {"address empty", [](json& r) { r["residence_address"] = "  "; }, "residence_address"},
      {"address 200", [](json& r) { r["residence_address"] = std::string(200, 'a'); }, nullptr},
      {"address 201", [](json& r) { r["residence_address"] = std::string(201, 'a'); },
       "residence_address"},
      {"address control char", [](json& r) { r["residence_address"] = "a\tb"; },
       "residence_address"},
      // guardians
      {"no guardians", [](json& r) { r.erase("guardians"); }, nullptr},
      {"guardians not array", [](json& r) { r["guardians"] = json::object(); }, "guardians"},
      {"five guardians",
       [](json& r) {
         json g = {{"name", "王五"}, {"relation", "other"}};
         r["guardians"] = json::array({r["guardians"][0], r["guardians"][1], g, g, g});
       },
       "guardians"},
      {"guardian not object", [](json& r) { r["guardians"][1] = "李娟"; }, "guardians[1]"},
      {"guardian phone bad", [](json& r) { r["guardians"][1]["phone"] = "12345"; },
       "guardians[1].phone"},
      {"guardian mobile 12x", [](json& r) { r["guardians"][1]["phone"] = "12812345678"; },
       "guardians[1].phone"},
      {"guardian phone number type", [](json& r) { r["guardians"][1]["phone"] = 13812345678LL; },
       "guardians[1].phone"},
      {"guardian relation bad", [](json& r) { r["guardians"][1]["relation"] = "aunt"; },
       "guardians[1].relation"},
      {"guardian relation missing", [](json& r) { r["guardians"][1].erase("relation"); },
       "guardians[1].relation"},
      {"guardian name missing", [](json& r) { r["guardians"][0].erase("name"); },
       "guardians[0].name"},
      {"guardian name bad", [](json& r) { r["guardians"][0]["name"] = "Dad!"; },
       "guardians[0].name"},
      {"guardian unknown field", [](json& r) { r["guardians"][1]["wechat"] = "x"; },
       "guardians[1].wechat"},
      {"guardian id of a minor",
       [](json& r) {
         r["guardians"][0]["id_number"] = MakeIdNumber("321324", {2010, 11, 24}, 11);
       },
       "guardians[0].id_number"},
      {"guardian id aged exactly 16",
       [](json& r) {
         r["guardians"][0]["id_number"] = MakeIdNumber("321324", {2010, 11, 23}, 11);
       },
       nullptr},
      {"father with a woman's id",
       [](json& r) {
         r["guardians"][0]["id_number"] = MakeIdNumber("321324", {1985, 6, 1}, 12);
       },
       "guardians[0].id_number"},
      {"guardian id bad checksum",
       [](json& r) {
         std::string id = MakeIdNumber("321324", {1985, 6, 1}, 11);
         id[17] = id[17] == '0' ? '1' : '0';
         r["guardians"][0]["id_number"] = id;
       },
       "guardians[0].id_number"},
      {"guardian with abolished area in id",
       [](json& r) {
         r["guardians"][0]["id_number"] = MakeIdNumber("329999", {1985, 6, 1}, 11);
       },
       nullptr},
      {"guardian residence unknown",
       [](json& r) { r["guardians"][0]["residence_area"] = "440399"; },
       "guardians[0].residence_area"},
      {"two fathers", [](json& r) { r["guardians"][1]["relation"] = "father"; },
       "guardians[1].relation"},
      {"two grandparents",
       [](json& r) {
         r["guardians"][0]["relation"] = "grandparent";
         r["guardians"][0].erase("id_number");
         r["guardians"][1]["relation"] = "grandparent";
       },
       nullptr},
      {"guardian uses child's id",
       [](json& r) { r["guardians"][0]["id_number"] = "321324201503010037"; },
       "guardians[0].id_number"},
      // caregiver
      {"caregiver ok",
       [](json& r) {
         r["caregiver"] = {
             {"name", "张奶奶"}, {"relation", "grandparent"}, {"phone", "+86 139-0000-1111"}};
       },
       nullptr},
      {"caregiver without relation",
       [](json& r) {
         r["caregiver"] = {{"name", "张奶奶"}};
       },
       "caregiver.relation"},
      {"caregiver phone bad",
       [](json& r) {
         r["caregiver"] = {{"name", "张奶奶"}, {"relation", "other"}, {"phone", "0000"}};
       },
       "caregiver.phone"},
      {"caregiver array", [](json& r) { r["caregiver"] = json::array(); }, "caregiver"},
      // school
      {"school grade 12", [](json& r) { r["school"]["grade"] = 12; }, nullptr},
      {"school grade 13", [](json& r) { r["school"]["grade"] = 13; }, "school.grade"},
      {"school grade 0", [](json& r) { r["school"]["grade"] = 0; }, "school.grade"},
      {"school grade text", [](json& r) { r["school"]["grade"] = "5"; }, "school.grade"},
      {"school grade float", [](json& r) { r["school"]["grade"] = 5.0; }, "school.grade"},
      {"school status bad", [](json& r) { r["school"]["status"] = "graduated"; }, "school.status"},
      {"school status missing", [](json& r) { r["school"].erase("status"); }, "school.status"},
      {"school not enrolled, no name",
       [](json& r) {
         r["school"] = {{"status", "not_enrolled"}};
       },
       nullptr},
      {"school name too long", [](json& r) { r["school"]["name"] = std::string(101, 'a'); },
       "school.name"},
      // school stage (school_stage.h): preschool has no grade, other stages their grades
      {"school stage preschool at 5",
       [](json& r) {
         BornOn(r, "2021-06-01");
         r["school"] = {{"name", "西乡幼儿园"}, {"stage", "preschool"}, {"status", "enrolled"}};
       },
       nullptr},
      {"school stage preschool with a grade",
       [](json& r) {
         BornOn(r, "2021-06-01");
         r["school"] = {{"stage", "preschool"}, {"grade", 1}, {"status", "enrolled"}};
       },
       "school.grade"},
      {"school stage primary, grade 5", StageAndGrade("primary", 5), nullptr},
      {"school stage primary, grade 6", StageAndGrade("primary", 6), nullptr},
      {"school stage primary, grade 7", StageAndGrade("primary", 7), "school.grade"},
      {"school stage junior, grade 5", StageAndGrade("junior", 5), "school.grade"},
      {"school stage junior, grade 9", StageAndGrade(" junior ", 9), nullptr},
      {"school stage senior, grade 10", StageAndGrade("senior", 10), nullptr},
      {"school stage vocational, grade 12", StageAndGrade("vocational", 12), nullptr},
      {"school stage vocational, grade 9", StageAndGrade("vocational", 9), "school.grade"},
      {"school stage without grade",
       [](json& r) {
         r["school"] = {{"stage", "junior"}, {"status", "dropped_out"}};
       },
       nullptr},
      {"school stage unknown", [](json& r) { r["school"]["stage"] = "kindergarten"; },
       "school.stage"},
      {"school stage Chinese", [](json& r) { r["school"]["stage"] = "小学"; }, "school.stage"},
      {"school stage a number", [](json& r) { r["school"]["stage"] = 1; }, "school.stage"},
      {"school stage unknown, grade wrong too", StageAndGrade("college", 13), "school.stage"},
      // immunizations
      {"vaccine unknown", [](json& r) { r["immunizations"][0]["vaccine"] = "COVID"; },
       "immunizations[0].vaccine"},
      {"vaccine MPSV-AC", [](json& r) { r["immunizations"][0]["vaccine"] = "MPSV-AC"; }, nullptr},
      {"dose 5", [](json& r) { r["immunizations"][0]["dose"] = 5; }, nullptr},
      {"dose 6", [](json& r) { r["immunizations"][0]["dose"] = 6; }, "immunizations[0].dose"},
      {"dose 0", [](json& r) { r["immunizations"][0]["dose"] = 0; }, "immunizations[0].dose"},
      {"dose huge", [](json& r) { r["immunizations"][0]["dose"] = 18446744073709551615ULL; },
       "immunizations[0].dose"},
      {"dose float", [](json& r) { r["immunizations"][0]["dose"] = 1.5; }, "immunizations[0].dose"},
      {"dose before birth", [](json& r) { r["immunizations"][1]["date"] = "2015-02-28"; },
       "immunizations[1].date"},
      {"dose in the future", [](json& r) { r["immunizations"][1]["date"] = "2026-12-01"; },
       "immunizations[1].date"},
      {"dose missing date", [](json& r) { r["immunizations"][1].erase("date"); },
       "immunizations[1].date"},
      {"duplicate dose", [](json& r) { r["immunizations"][1]["vaccine"] = "BCG"; },
       "immunizations[1]"},
      {"immunizations object", [](json& r) { r["immunizations"] = json::object(); },
       "immunizations"},
      // consent
      {"consent missing", [](json& r) { r.erase("consent"); }, "consent"},
      {"consent null", [](json& r) { r["consent"] = nullptr; }, "consent"},
      {"consent by bad name", [](json& r) { r["consent"]["by"] = "@"; }, "consent.by"},
      {"consent relation bad", [](json& r) { r["consent"]["relation"] = "teacher"; },
       "consent.relation"},
      {"consent self at 11", [](json& r) { r["consent"]["relation"] = "self"; },
       "consent.relation"},
      {"consent self at 14",
       [](json& r) {
         BornOn(r, "2012-01-01");
         r["consent"]["relation"] = "self";
       },
       nullptr},
      {"consent before birth", [](json& r) { r["consent"]["date"] = "2015-02-01"; },
       "consent.date"},
      {"consent future", [](json& r) { r["consent"]["date"] = "2027-01-01"; }, "consent.date"},
      {"consent date missing", [](json& r) { r["consent"].erase("date"); }, "consent.date"},
      {"consent unknown field", [](json& r) { r["consent"]["signature"] = "x"; },
       "consent.signature"},
      // category
      {"category explicit", [](json& r) { r["category"] = "left_behind"; }, nullptr},
      {"category bad", [](json& r) { r["category"] = "urban"; }, "category"},
      // system and unknown fields
      {"child_id given", [](json& r) { r["child_id"] = "c-1"; }, "child_id"},
      {"card_serial given", [](json& r) { r["card_serial"] = "0001"; }, "card_serial"},
      {"unknown field", [](json& r) { r["nickname"] = "小明"; }, "nickname"},
  };
  return rows;
}

TEST(ChildRecord, TableOfRules) {
  LanguageScope keep_language;
  for (Language lang : {Language::kEn, Language::kZh}) {
    SetLanguage(lang);
    for (const Row& row : Rows()) {
      json record = ValidRecord();
      row.change(record);
      auto r = ValidateNewChild(record, kToday);
      if (row.error_path == nullptr) {
        EXPECT_TRUE(r.ok()) << row.what << ": " << r.status().message();
        continue;
      }
      ASSERT_FALSE(r.ok()) << row.what;
      EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << row.what;
      const std::string& m = r.status().message();
      std::string expected = lang == Language::kEn ? std::string("field ") + row.error_path + ":"
                                                   : std::string("字段 ") + row.error_path + "：";
      EXPECT_NE(m.find(expected), std::string::npos) << row.what << ": " << m;
      // A form points at the field: the same path, for programs.
      EXPECT_EQ(r.status().field(), row.error_path) << row.what;
    }
  }
}

TEST(ChildRecord, MissingConsentSaysRegistrationIsRefused) {
  LanguageScope keep_language;
  json record = ValidRecord();
  record.erase("consent");
  SetLanguage(Language::kEn);
  EXPECT_NE(ValidateNewChild(record, kToday)
                .status()
                .message()
                .find("refused without the guardian's informed consent"),
            std::string::npos);
  SetLanguage(Language::kZh);
  EXPECT_NE(ValidateNewChild(record, kToday).status().message().find("知情同意"),
            std::string::npos);
}

TEST(ChildRecord, NotAnObject) {
  for (const json& bad : {json::array(), json("x"), json(), json(3)}) {
    EXPECT_EQ(ValidateNewChild(bad, kToday).status().code(), ErrorCode::kInvalidArgument);
  }
}

// Every value of every field replaced by values of every JSON type: an error value or a record,
// never an exception or a crash.
TEST(ChildRecord, WrongTypesAnywhereAreErrorsNotCrashes) {
  const json odd_values[] = {nullptr,
                             true,
                             0,
                             -1,
                             18446744073709551615ULL,
                             1e308,
                             "",
                             std::string(5000, 'x'),
                             "\u0000",
                             json::array(),
                             json::object(),
                             json::array({nullptr}),
                             json{{"a", 1}}};
  std::vector<json::json_pointer> pointers;
  json flat = ValidRecord().flatten();
  for (const auto& [pointer, value] : flat.items()) {
    json::json_pointer p(pointer);
    for (; !p.empty(); p = p.parent_pointer()) pointers.push_back(p);
  }
  size_t accepted = 0, refused = 0;
  for (const auto& pointer : pointers) {
    for (const json& odd : odd_values) {
      json record = ValidRecord();
      record[pointer] = odd;
      auto r = ValidateNewChild(record, kToday);
      (r.ok() ? accepted : refused)++;
      if (!r.ok()) {
        EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
        EXPECT_FALSE(r.status().message().empty());
      }
      // The same change as an update of the top-level field it lies in.
      std::string top = pointer.to_string().substr(1);
      top = top.substr(0, top.find('/'));
      auto p = ValidateChildPatch(StoredRecordForFuzz(), json{{top, record[top]}}, kToday);
      if (!p.ok()) {
        EXPECT_EQ(p.status().code(), ErrorCode::kInvalidArgument);
      }
    }
  }
  EXPECT_GT(refused, accepted);
}

struct PhoneRow {
  const char* input;
  const char* normalized;  // nullptr: refused
};

TEST(ChildRecord, PhoneNumbers) {
  const PhoneRow rows[] = {
      {"13812345678", "13812345678"},
      {"138 1234 5678", "13812345678"},
      {"138-1234-5678", "13812345678"},
      {"+86 138 1234 5678", "13812345678"},
      {"+8613812345678", "13812345678"},
      {"19912345678", "19912345678"},
      {"0527-81234567", "0527-81234567"},
      {"052781234567", "0527-81234567"},
      {"0527 8123456", "0527-8123456"},
      {"010-62345678", "010-62345678"},
      {"02083456789", "020-83456789"},
      {"12812345678", nullptr},
      {"1381234567", nullptr},
      {"138123456789", nullptr},
      {"05278-123456", nullptr},
      {"0527-01234567", nullptr},
      {"0527-123456789", nullptr},
      {"011-62345678", nullptr},
      {"010-12345678", nullptr},
      {"+86 0527-81234567", nullptr},
      {"138１2345678", nullptr},
      {"", nullptr},
      {"phone", nullptr},
      {"0", nullptr},
  };
  for (const auto& row : rows) {
    json record = ValidRecord();
    record["guardians"][1]["phone"] = row.input;
    auto r = ValidateNewChild(record, kToday);
    if (row.normalized == nullptr) {
      EXPECT_FALSE(r.ok()) << row.input;
    } else {
      ASSERT_TRUE(r.ok()) << row.input << ": " << r.status().message();
      EXPECT_EQ((*r)["guardians"][1]["phone"], row.normalized) << row.input;
    }
  }
}

TEST(ChildRecord, NullOptionalFieldsAreDroppedAndIdIsUppercased) {
  json record = ValidRecord();
  record["ethnicity"] = nullptr;
  record["id_number"] = "32132420150301007x";
  auto r = ValidateNewChild(record, kToday);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->contains("ethnicity"));
  EXPECT_EQ((*r)["id_number"], "32132420150301007X");
}

struct CategoryRow {
  const char* what;
  const char* hukou;
  const char* residence;
  json guardians;
  const char* category;
};

TEST(ChildRecord, DeriveCategory) {
  json father_away = {{{"name", "张伟"}, {"relation", "father"}, {"residence_area", "440306"}}};
  json father_home = {{{"name", "张伟"}, {"relation", "father"}, {"residence_area", "321324"}}};
  json uncle_away = {{{"name", "张伟"}, {"relation", "other"}, {"residence_area", "440306"}}};
  json mother_unknown = {{{"name", "李娟"}, {"relation", "mother"}}};
  const CategoryRow rows[] = {
      {"lives outside the hukou county", "321324", "440306", json::array(), "migrant"},
      {"moved within the prefecture", "321324", "321302", json::array(), "migrant"},
      {"at home, father away", "321324", "321324", father_away, "left_behind"},
      {"at home, father at home", "321324", "321324", father_home, "other"},
      {"at home, uncle away", "321324", "321324", uncle_away, "other"},
      {"at home, mother's whereabouts unknown", "321324", "321324", mother_unknown, "other"},
      {"away with the father", "321324", "440306", father_away, "migrant"},
      {"residence known only as the hukou prefecture", "321324", "321300", json::array(), "other"},
      {"residence known only as the hukou province", "321324", "320000", json::array(), "other"},
      {"no guardians", "321324", "321324", json(), "other"},
  };
  for (const auto& row : rows) {
    json record = {{"hukou_area", row.hukou}, {"residence_area", row.residence}};
    if (!row.guardians.is_null()) record["guardians"] = row.guardians;
    EXPECT_EQ(DeriveCategory(record), row.category) << row.what;
  }
  EXPECT_EQ(DeriveCategory(json::array()), "other");  // never throws on odd input
  EXPECT_EQ(DeriveCategory(json{{"hukou_area", "321324"}}), "other");
  EXPECT_EQ(DeriveCategory(json{{"guardians", 3}}), "other");
}

json StoredRecord() {
  auto r = ValidateNewChild(ValidRecord(), kToday);
  EXPECT_TRUE(r.ok()) << r.status().message();
  json stored = *r;
  stored["child_id"] = "T1-42";
  stored["card_serial"] = "0A0B0C0D";
  return stored;
}

// What a patch becomes: values normalized, nulls kept (they remove), and the category derived
// again when the areas it depends on change, unless the patch names one.
TEST(ChildPatch, PatchesAreNormalizedAndTheCategoryDerived) {
  json at_home = StoredRecord();  // back home in Sihong while the father stays away
  at_home["residence_area"] = "321324";
  at_home["category"] = "left_behind";
  json chosen_category = StoredRecord();
  chosen_category["category"] = "other";
  const struct {
    const char* what;
    json current, patch, result;
  } rows[] = {
      {"moving back home while the father stays away makes left behind",
       StoredRecord(),
       {{"residence_area", "321324"}},
       {{"residence_area", "321324"}, {"category", "left_behind"}}},
      {"moving away from home makes migrant",
       at_home,
       {{"residence_area", "440306"}},
       {{"residence_area", "440306"}, {"category", "migrant"}}},
      {"an explicit category wins",
       StoredRecord(),
       {{"residence_area", "321324"}, {"category", "other"}},
       {{"residence_area", "321324"}, {"category", "other"}}},
      {"unrelated changes do not derive",
       StoredRecord(),
       {{"school", {{"status", "enrolled"}, {"grade", 6}}}},
       {{"school", {{"status", "enrolled"}, {"grade", 6}}}}},
      {"a stage is normalized and does not derive",
       StoredRecord(),
       {{"school", {{"status", "enrolled"}, {"stage", " primary "}, {"grade", 6}}}},
       {{"school", {{"status", "enrolled"}, {"stage", "primary"}, {"grade", 6}}}}},
      {"the same residence does not derive",
       StoredRecord(),
       {{"residence_area", "440306"}},
       {{"residence_area", "440306"}}},
      {"a null category is derived again",
       chosen_category,
       {{"category", nullptr}},
       {{"category", "migrant"}}},
      {"an optional null removes, values are normalized",
       StoredRecord(),
       {{"ethnicity", nullptr}, {"name", " 张晓明 "}},
       {{"ethnicity", nullptr}, {"name", "张晓明"}}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.what);
    auto r = ValidateChildPatch(row.current, row.patch, kToday);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(*r, row.result);
  }

  json guardians = at_home["guardians"];
  guardians[0]["residence_area"] = "321324";  // the father moves home too
  auto r = ValidateChildPatch(at_home, {{"guardians", guardians}}, kToday);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ((*r)["category"], "other");
}

struct PatchErrorRow {
  const char* what;
  json patch;
  const char* error_path;
};

TEST(ChildPatch, Refusals) {
  LanguageScope keep_language;
  const PatchErrorRow rows[] = {
      {"id conflicting with current birth date",
       {{"id_number", MakeIdNumber("321324", {2015, 3, 2}, 3)}},
       "id_number"},
      {"id conflicting with current sex",
       {{"id_number", MakeIdNumber("321324", {2015, 3, 1}, 4)}},
       "id_number"},
      {"birth date conflicting with current id", {{"birth_date", "2015-04-01"}}, "id_number"},
      {"sex conflicting with current id", {{"sex", "F"}}, "id_number"},
      {"birth date after a recorded dose",
       {{"birth_date", "2015-03-02"}, {"id_number", nullptr}},
       "immunizations[0].date"},
      {"required field to null", {{"name", nullptr}}, "name"},
      {"consent to null", {{"consent", nullptr}}, "consent"},
      {"child_id", {{"child_id", "x"}}, "child_id"},
      {"card_serial", {{"card_serial", "x"}}, "card_serial"},
      {"unknown field", {{"shoe_size", 30}}, "shoe_size"},
      {"bad phone in new guardians",
       {{"guardians", {{{"name", "李娟"}, {"relation", "mother"}, {"phone", "1"}}}}},
       "guardians[0].phone"},
      {"unknown area", {{"residence_area", "440399"}}, "residence_area"},
      {"patch makes an adult",
       {{"birth_date", "2008-01-01"}, {"id_number", nullptr}, {"immunizations", nullptr}},
       "birth_date"},
  };
  for (Language lang : {Language::kEn, Language::kZh}) {
    SetLanguage(lang);
    for (const auto& row : rows) {
      auto r = ValidateChildPatch(StoredRecord(), row.patch, kToday);
      ASSERT_FALSE(r.ok()) << row.what;
      std::string expected = lang == Language::kEn ? std::string("field ") + row.error_path + ":"
                                                   : std::string("字段 ") + row.error_path + "：";
      EXPECT_NE(r.status().message().find(expected), std::string::npos)
          << row.what << ": " << r.status().message();
    }
  }
  SetLanguage(Language::kEn);
  EXPECT_FALSE(ValidateChildPatch(StoredRecord(), json::array(), kToday).ok());
  EXPECT_FALSE(ValidateChildPatch(json::array(), json::object(), kToday).ok());
}

TEST(ChildPatch, AgeLimitAppliesOnlyWhenBirthDateChanges) {
  json current = StoredRecord();
  current["birth_date"] = "2008-01-01";  // turned 18 since registration
  current.erase("id_number");
  current.erase("immunizations");
  auto r = ValidateChildPatch(current, {{"school", {{"status", "dropped_out"}}}}, kToday);
  EXPECT_TRUE(r.ok()) << r.status().message();
}

// What ParseJson refuses, and what its message says: the source, and where in the text or what.
TEST(ParseJson, Refusals) {
  LanguageScope keep_language;
  SetLanguage(Language::kEn);
  const struct {
    const char* what;
    std::string text, source, says;
  } refusals[] = {
      {"a bad literal", "{\n  \"name\": tru\n}", "child.json", "child.json, line 2, column"},
      {"columns count characters", "{\"名字\": x}", "stdin", "stdin, line 1, column 8:"},
      {"nothing", "", "stdin", "stdin, line 1, column 1:"},
      {"a key twice", "{\"name\": \"a\", \"name\": \"b\"}", "f", "\"name\" appears twice"},
      {"a key twice in a nested object, after other objects",
       "{\"school\": {\"name\": \"x\"}, \"guardians\": [{\"name\": \"a\", \"phone\": \"1\", "
       "\"phone\": \"2\"}], \"sex\": \"M\"}",
       "f", "\"phone\" appears twice"},
      // Bytes that are not UTF-8 in the text or the file name are shown as \xNN: the message
      // stays text (it goes on the wire in a refusal, a protobuf string).
      {"text not UTF-8", "{\"child_id\": \"T1-1\xFF\xFE\"}", "f\xC0", "T1-1\\xFF"},
      {"file name not UTF-8", "{\"child_id\": \"T1-1\xFF\xFE\"}", "f\xC0", "f\\xC0, line 1"},
      {"nested too deep", std::string(100, '[') + std::string(100, ']'), "f", "deeper than 64"},
      {"a string not UTF-8", "\"\xff\"", "f", "f, line 1"},
      {"a number too large for a double", "{\"dose\": 1e400}", "f", "f: unreadable JSON"},
      {"text after the value", "{} x", "f", "f, line 1"},
  };
  for (const auto& r : refusals) {
    SCOPED_TRACE(r.what);
    auto parsed = ParseJson(r.text, r.source);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_TRUE(DecodeUtf8Strict(parsed.status().message()).has_value())
        << parsed.status().message();
    EXPECT_NE(parsed.status().message().find(r.says), std::string::npos)
        << parsed.status().message();
  }

  EXPECT_TRUE(ParseJson("{\"a\": {\"x\": 1}, \"b\": {\"x\": 2}}", "f").ok());  // a key per object
  EXPECT_TRUE(ParseJson(std::string(60, '[') + std::string(60, ']'), "f").ok());

  SetLanguage(Language::kZh);
  auto zh = ParseJson("{\n  \"name\": tru\n}", "child.json");
  EXPECT_NE(zh.status().message().find("child.json 第 2 行"), std::string::npos)
      << zh.status().message();
}

TEST(ParseJson, ThenValidate) {
  auto parsed = ParseJson(ValidRecord().dump(2), "child.json");
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(ValidateNewChild(*parsed, kToday).ok());
}

// schema/child.schema.json documents the record; keep it in step with the validator.
TEST(ChildRecord, JsonSchemaDocumentsTheSameFields) {
  std::filesystem::path here = __FILE__;
  std::filesystem::path schema_path =
      here.parent_path().parent_path().parent_path() / "schema" / "child.schema.json";
  std::ifstream in(schema_path);
  ASSERT_TRUE(in) << schema_path;
  std::stringstream text;
  text << in.rdbuf();
  auto schema = ParseJson(text.str(), schema_path.string());
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  EXPECT_EQ((*schema)["$schema"], "https://json-schema.org/draft/2020-12/schema");
  std::set<std::string> documented;
  for (const auto& [key, value] : (*schema)["properties"].items()) documented.insert(key);
  std::set<std::string> implemented(ChildRecordFields().begin(), ChildRecordFields().end());
  EXPECT_EQ(documented, implemented);
  std::set<std::string> required = (*schema)["required"].get<std::set<std::string>>();
  EXPECT_EQ(required, (std::set<std::string>{"name", "sex", "birth_date", "hukou_area",
                                             "residence_area", "consent"}));
  std::set<std::string> vaccines =
      (*schema)["$defs"]["immunization"]["properties"]["vaccine"]["enum"]
          .get<std::set<std::string>>();
  EXPECT_EQ(vaccines, std::set<std::string>(ImmunizationVaccineCodes().begin(),
                                            ImmunizationVaccineCodes().end()));
}

}  // namespace
}  // namespace onecard
