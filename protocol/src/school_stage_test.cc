#include "onecard/protocol/school_stage.h"

#include <gtest/gtest.h>

namespace onecard {
namespace {

using nlohmann::json;

TEST(SchoolStageOf, TheStatedStageElseTheGradesElseUnknown) {
  const struct {
    json school;
    std::string_view stage;
  } rows[] = {
      {{{"stage", "preschool"}, {"status", "enrolled"}}, "preschool"},
      {{{"stage", "vocational"}, {"grade", 11}, {"status", "enrolled"}}, "vocational"},
      {{{"stage", "junior"}, {"status", "dropped_out"}}, "junior"},
      // Records from before stages: the grade tells, where only one stage has it.
      {{{"grade", 1}, {"status", "enrolled"}}, "primary"},
      {{{"grade", 6}, {"status", "enrolled"}}, "primary"},
      {{{"grade", 7}, {"status", "enrolled"}}, "junior"},
      {{{"grade", 9}, {"status", "enrolled"}}, "junior"},
      {{{"grade", 10}, {"status", "enrolled"}}, "unknown"},  // senior or vocational
      {{{"grade", 12}, {"status", "enrolled"}}, "unknown"},
      {{{"status", "not_enrolled"}}, "unknown"},
      // Old or odd data is unknown, never an error.
      {{{"stage", "college"}, {"grade", 3}}, "primary"},
      {{{"stage", 2}}, "unknown"},
      {{{"grade", 0}}, "unknown"},
      {{{"grade", 13}}, "unknown"},
      {{{"grade", "5"}}, "unknown"},
      {{{"grade", -3}}, "unknown"},
      {{{"grade", 18446744073709551615ULL}}, "unknown"},
      {nullptr, "unknown"},
      {json::array({1}), "unknown"},
      {"primary", "unknown"},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(SchoolStageOf(row.school), row.stage) << row.school.dump();
  }
  EXPECT_EQ(kUnknownSchoolStage, "unknown");
}

TEST(SchoolStages, EveryStageIsFoundByItsCodeAndGradesDoNotOverlapExceptUpperSecondary) {
  ASSERT_EQ(SchoolStages().size(), 5u);
  for (const SchoolStage& s : SchoolStages()) {
    EXPECT_EQ(FindSchoolStage(s.code), &s);
    EXPECT_FALSE(s.zh.empty());
  }
  EXPECT_EQ(FindSchoolStage("unknown"), nullptr);
  EXPECT_EQ(FindSchoolStage("preschool")->zh, "幼儿园");
  EXPECT_EQ(FindSchoolStage("preschool")->first_grade, 0);
  // Every grade 1–12 is in some stage.
  for (int grade = 1; grade <= 12; ++grade) {
    int stages = 0;
    for (const SchoolStage& s : SchoolStages()) {
      stages += s.first_grade != 0 && grade >= s.first_grade && grade <= s.last_grade;
    }
    EXPECT_EQ(stages, grade >= 10 ? 2 : 1) << grade;
  }
}

}  // namespace
}  // namespace onecard
