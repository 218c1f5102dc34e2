// School stages (学段) of the child record's `school.stage` (PRODUCT.md section 4) and the school
// grades (`school.grade`, years of schooling 1–12) that belong to each.
//
// The stages and their grades:
//   preschool  幼儿园  no grade (kindergarten years are not school grades)
//   primary    小学    grades 1–6
//   junior     初中    grades 7–9
//   senior     高中    grades 10–12
//   vocational 中职    grades 10–12 (secondary vocational school, in parallel with senior)
// A record that states both a stage and a grade must have the grade in the stage's range
// (child_record.h validates it). Records from before stages existed state only a grade.
//
// Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

namespace onecard {

struct SchoolStage {
  std::string_view code;  // the value of school.stage, e.g. "junior"
  std::string_view zh;    // e.g. "初中"
  std::string_view en;    // e.g. "junior secondary"
  int first_grade = 0;    // 0 and 0: the stage has no grades (preschool)
  int last_grade = 0;
};

// Every stage, in order of schooling.
const std::vector<SchoolStage>& SchoolStages();

// The stage of `code`; nullptr when there is none.
const SchoolStage* FindSchoolStage(std::string_view code);

// What SchoolStageOf answers when the stage cannot be told.
inline constexpr std::string_view kUnknownSchoolStage = "unknown";

// The stage of a record's `school` object, for counting: the stated `stage` when it is one of
// SchoolStages(); else the stage its `grade` implies (1–6 primary, 7–9 junior); else
// kUnknownSchoolStage — also for grades 10–12 without a stage, which may be senior or vocational.
// Never fails: anything that is not a school object (absent, null, old data of another shape)
// is unknown. The view refers to static storage.
std::string_view SchoolStageOf(const nlohmann::json& school);

}  // namespace onecard
