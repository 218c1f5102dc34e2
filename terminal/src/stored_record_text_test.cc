// The terminal's screens render records and conflicts read from its store or a card, which may
// hold values of any type (data stored before validation existed): rendering never throws and
// shows the good values as they are.
#include <gtest/gtest.h>

#include "conflict_text.h"
#include "onecard/protocol/i18n.h"
#include "record_text.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

TEST(StoredRecordTextTest, RecordWithValuesOfTheWrongTypeIsShownNotThrown) {
  SetLanguage(Language::kEn);
  json record = {
      {"child_id", "T1-1"},
      {"name", 42},
      {"birth_date", "abcd-ef-gh"},
      {"sex", "F"},
      {"category", "alien"},
      {"residence_area", 999999},
      {"guardians",
       json::array({7, {{"name", 3}, {"relation", json::array()}}, {{"name", "王建国"}}})},
      {"school", "not an object"},
      {"immunizations", 5}};
  std::string text;
  ASSERT_NO_THROW(text = RecordText(record));
  EXPECT_NE(text.find("Child ID: T1-1"), std::string::npos) << text;
  EXPECT_NE(text.find("Name: 42"), std::string::npos) << text;
  EXPECT_NE(text.find("Sex: female"), std::string::npos) << text;
  EXPECT_NE(text.find("Category: alien"), std::string::npos) << text;
  EXPECT_NE(text.find("Residence area: 999999"), std::string::npos) << text;
  EXPECT_NE(text.find("Guardian: 王建国"), std::string::npos) << text;
  EXPECT_EQ(text.find("Immunization doses"), std::string::npos) << text;
  ASSERT_NO_THROW(RecordText(json("not a record")));
  ASSERT_NO_THROW(RecordText(json::array({1, 2})));
}

TEST(StoredRecordTextTest, SchoolStageIsShownInWords) {
  json record = {
      {"school", {{"name", "西乡幼儿园"}, {"stage", "preschool"}, {"status", "enrolled"}}}};
  SetLanguage(Language::kZh);
  EXPECT_NE(RecordText(record).find("学段: 幼儿园\n"), std::string::npos) << RecordText(record);
  record["school"] = {{"stage", "junior"}, {"grade", 8}, {"status", "enrolled"}};
  EXPECT_NE(RecordText(record).find("学段: 初中\n"), std::string::npos) << RecordText(record);
  SetLanguage(Language::kEn);
  EXPECT_NE(RecordText(record).find("School stage: junior secondary\n"), std::string::npos)
      << RecordText(record);
  // A record from before stages shows none; a stage of another shape is shown as it is.
  record["school"] = {{"grade", 8}, {"status", "enrolled"}};
  EXPECT_EQ(RecordText(record).find("School stage"), std::string::npos) << RecordText(record);
  record["school"]["stage"] = 7;
  EXPECT_NE(RecordText(record).find("School stage: 7\n"), std::string::npos) << RecordText(record);
}

TEST(StoredRecordTextTest, ConflictsOfAnyShapeAreShownNotThrown) {
  SetLanguage(Language::kEn);
  json good = {
      {"field", "name"},
      {"winner", {{"value", "李娜"}, {"stamp", json::array({1, "T1", 2})}, {"at", "2026-01-01"}}},
      {"others", json::array({{{"value", "李那"}, {"stamp", json::array({1, 7, 3})}, {"at", 5}}})}};
  json conflicts =
      json::array({good, 7, {{"field", 9}, {"winner", "x"}, {"others", 3}}, json::object()});
  std::string text;
  ASSERT_NO_THROW(text = ConflictText(conflicts));
  EXPECT_NE(
      text.find("conflict on name: showing \"李娜\" (T1:2, 2026-01-01); also \"李那\" (7:3, 5)"),
      std::string::npos)
      << text;
  ASSERT_NO_THROW(ConflictText(json("x")));
}

}  // namespace
}  // namespace onecard::terminal
