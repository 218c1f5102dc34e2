#include "onecard/protocol/school_stage.h"

namespace onecard {

const std::vector<SchoolStage>& SchoolStages() {
  static const std::vector<SchoolStage> stages = {
      {"preschool", "幼儿园", "preschool", 0, 0},
      {"primary", "小学", "primary", 1, 6},
      {"junior", "初中", "junior secondary", 7, 9},
      {"senior", "高中", "senior secondary", 10, 12},
      {"vocational", "中职", "secondary vocational", 10, 12},
  };
  return stages;
}

const SchoolStage* FindSchoolStage(std::string_view code) {
  for (const SchoolStage& s : SchoolStages()) {
    if (s.code == code) return &s;
  }
  return nullptr;
}

std::string_view SchoolStageOf(const nlohmann::json& school) {
  if (!school.is_object()) return kUnknownSchoolStage;
  auto stage = school.find("stage");
  if (stage != school.end() && stage->is_string()) {
    if (const SchoolStage* s = FindSchoolStage(stage->get_ref<const std::string&>())) {
      return s->code;
    }
  }
  auto grade = school.find("grade");
  if (grade == school.end() || !grade->is_number_integer()) return kUnknownSchoolStage;
  const std::int64_t g = grade->get<std::int64_t>();
  const SchoolStage* implied = nullptr;
  for (const SchoolStage& s : SchoolStages()) {
    if (g < s.first_grade || g > s.last_grade || s.first_grade == 0) continue;
    if (implied != nullptr) return kUnknownSchoolStage;  // two stages share the grade
    implied = &s;
  }
  return implied != nullptr ? implied->code : kUnknownSchoolStage;
}

}  // namespace onecard
