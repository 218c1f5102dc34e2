#include "child_record_sections.h"

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

#include "onecard/protocol/child_record.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/id_number.h"
#include "onecard/protocol/person_name.h"
#include "onecard/protocol/school_stage.h"

namespace onecard::child_record_internal {
namespace {

using nlohmann::json;

constexpr size_t kMaxGuardians = 4;
constexpr size_t kMaxImmunizations = 100;
constexpr size_t kMaxSchoolNameChars = 100;
constexpr int kMinGuardianAge = 16;
constexpr int kMinSelfConsentAge = 14;  // PIPL: under 14, a guardian consents

// Relations of a guardian or caregiver to the child.
const std::vector<std::string_view> kRelations = {"father", "mother", "grandparent", "other"};

Result<json> Guardian(const json& value, const std::string& path, const Rules& rules) {
  ASSIGN_OR_RETURN(
      json g,
      NestedObject(value, path, {"name", "relation", "phone", "id_number", "residence_area"},
                   {"name", "relation"}));
  json out = json::object();
  ASSIGN_OR_RETURN(out["name"], PersonNameField(g["name"], Path(path, "name")));
  ASSIGN_OR_RETURN(std::string relation, OneOf(g["relation"], Path(path, "relation"), kRelations));
  out["relation"] = relation;
  if (g.contains("phone")) {
    ASSIGN_OR_RETURN(out["phone"], PhoneNumber(g["phone"], Path(path, "phone")));
  }
  if (g.contains("id_number")) {
    std::string id_path = Path(path, "id_number");
    ASSIGN_OR_RETURN(IdNumberInfo id, IdNumberField(g["id_number"], id_path));
    int age = AgeInYears(id.birth_date, rules.today);
    if (age < kMinGuardianAge) {
      return FieldError(
          id_path, "身份证号中的出生日期 " + id.birth_date.ToString() + " 表明监护人未满 16 岁",
          "the birth date in the ID number, " + id.birth_date.ToString() +
              ", makes the guardian younger than 16");
    }
    if ((relation == "father" && id.sex != 'M') || (relation == "mother" && id.sex != 'F')) {
      return FieldError(
          id_path,
          std::string("身份证号表明性别为") + SexLabelZh(id.sex) + "，与关系 " + relation + " 不符",
          std::string("the ID number is a ") + SexLabelEn(id.sex) +
              "'s, which does not fit relation " + relation);
    }
    out["id_number"] = id.number;
  }
  if (g.contains("residence_area")) {
    ASSIGN_OR_RETURN(out["residence_area"],
                     KnownAreaCode(g["residence_area"], Path(path, "residence_area")));
  }
  return out;
}

// A stated stage and grade must agree (school_stage.h); the error names the grade.
Status GradeFitsStage(std::int64_t grade, const SchoolStage& stage) {
  const std::string code(stage.code), zh(stage.zh), en(stage.en);
  if (stage.first_grade == 0) {
    return FieldError("school.grade", "学段为" + zh + "（" + code + "）时不填年级",
                      "is not given for stage " + code + " (" + en + ")");
  }
  if (grade >= stage.first_grade && grade <= stage.last_grade) return Status::Ok();
  const std::string range =
      std::to_string(stage.first_grade) + "–" + std::to_string(stage.last_grade);
  return FieldError(
      "school.grade",
      std::to_string(grade) + " 年级不属于" + zh + "（" + code + "，" + range + " 年级）",
      "grade " + std::to_string(grade) + " is not in stage " + code + " (" + en + ", grades " +
          range + ")");
}

}  // namespace

Result<json> Guardians(const json& value, const Rules& rules, const std::string& child_id_number) {
  RETURN_IF_ERROR(ExpectArray(value, "guardians"));
  if (value.size() > kMaxGuardians) {
    return FieldError("guardians", "最多 4 位监护人", "at most 4 guardians");
  }
  json out = json::array();
  for (size_t i = 0; i < value.size(); ++i) {
    std::string path = Path("guardians", i);
    ASSIGN_OR_RETURN(json g, Guardian(value[i], path, rules));
    for (size_t j = 0; j < out.size(); ++j) {
      const std::string& rel = g["relation"].get_ref<const std::string&>();
      if ((rel == "father" || rel == "mother") && out[j]["relation"] == rel) {
        return FieldError(Path(path, "relation"),
                          "与 " + Path("guardians", j) + " 重复（只能有一位 " + rel + "）",
                          "repeats " + Path("guardians", j) + " (there is only one " + rel + ")");
      }
      if (g.contains("id_number") && out[j].contains("id_number") &&
          out[j]["id_number"] == g["id_number"]) {
        return FieldError(Path(path, "id_number"), "与 " + Path("guardians", j) + " 的身份证号相同",
                          "is the same as that of " + Path("guardians", j));
      }
    }
    if (!child_id_number.empty() && g.contains("id_number") && g["id_number"] == child_id_number) {
      return FieldError(Path(path, "id_number"), "与儿童本人的身份证号相同",
                        "is the child's own ID number");
    }
    out.push_back(std::move(g));
  }
  return out;
}

Result<json> Caregiver(const json& value) {
  ASSIGN_OR_RETURN(json c, NestedObject(value, "caregiver", {"name", "relation", "phone"},
                                        {"name", "relation"}));
  json out = json::object();
  ASSIGN_OR_RETURN(out["name"], PersonNameField(c["name"], "caregiver.name"));
  ASSIGN_OR_RETURN(out["relation"], OneOf(c["relation"], "caregiver.relation", kRelations));
  if (c.contains("phone")) {
    ASSIGN_OR_RETURN(out["phone"], PhoneNumber(c["phone"], "caregiver.phone"));
  }
  return out;
}

Result<json> School(const json& value) {
  ASSIGN_OR_RETURN(json s,
                   NestedObject(value, "school", {"name", "stage", "grade", "status"}, {"status"}));
  json out = json::object();
  ASSIGN_OR_RETURN(out["status"], OneOf(s["status"], "school.status",
                                        {"enrolled", "not_enrolled", "dropped_out"}));
  if (s.contains("name")) {
    if (!s["name"].is_string()) return FieldError("school.name", "应为字符串", "expected a string");
    ASSIGN_OR_RETURN(out["name"], NormalizeFreeText(s["name"].get_ref<const std::string&>(),
                                                    "school.name", kMaxSchoolNameChars));
  }
  const SchoolStage* stage = nullptr;
  if (s.contains("stage")) {
    std::vector<std::string_view> codes;
    for (const SchoolStage& known : SchoolStages()) codes.push_back(known.code);
    ASSIGN_OR_RETURN(std::string code, OneOf(s["stage"], "school.stage", codes));
    stage = FindSchoolStage(code);
    out["stage"] = code;
  }
  if (s.contains("grade")) {
    ASSIGN_OR_RETURN(std::int64_t grade, IntegerInRange(s["grade"], "school.grade", 1, 12));
    if (stage != nullptr) RETURN_IF_ERROR(GradeFitsStage(grade, *stage));
    out["grade"] = grade;
  }
  return out;
}

Result<json> Immunizations(const json& value, CivilDate birth, const Rules& rules) {
  RETURN_IF_ERROR(ExpectArray(value, "immunizations"));
  if (value.size() > kMaxImmunizations) {
    return FieldError("immunizations", "条目过多（最多 100 条）",
                      "has too many entries (at most 100)");
  }
  const auto& vaccines = ImmunizationVaccineCodes();
  std::vector<std::tuple<std::string, std::string, std::int64_t, size_t>>
      doses;  // date, vaccine, dose, index
  for (size_t i = 0; i < value.size(); ++i) {
    std::string path = Path("immunizations", i);
    ASSIGN_OR_RETURN(json d, NestedObject(value[i], path, {"vaccine", "dose", "date"},
                                          {"vaccine", "dose", "date"}));
    ASSIGN_OR_RETURN(std::string vaccine, TrimmedString(d["vaccine"], Path(path, "vaccine")));
    if (std::find(vaccines.begin(), vaccines.end(), vaccine) == vaccines.end()) {
      std::string list;
      for (auto v : vaccines) list += (list.empty() ? "" : ", ") + std::string(v);
      return FieldError(Path(path, "vaccine"), "不是国家免疫规划疫苗代码（" + list + "）",
                        "is not a National Immunization Programme vaccine code (" + list + ")");
    }
    ASSIGN_OR_RETURN(std::int64_t dose, IntegerInRange(d["dose"], Path(path, "dose"), 1, 5));
    ASSIGN_OR_RETURN(CivilDate date,
                     PastDate(d["date"], Path(path, "date"), rules.today, birth, "birth_date"));
    for (const auto& [other_date, other_vaccine, other_dose, other_index] : doses) {
      if (other_vaccine == vaccine && other_dose == dose) {
        return FieldError(path,
                          vaccine + " 第 " + std::to_string(dose) + " 剂与 " +
                              Path("immunizations", other_index) + " 重复",
                          vaccine + " dose " + std::to_string(dose) + " repeats " +
                              Path("immunizations", other_index));
      }
    }
    doses.emplace_back(date.ToString(), vaccine, dose, i);
  }
  std::sort(doses.begin(), doses.end());
  json out = json::array();
  for (const auto& [date, vaccine, dose, index] : doses) {
    out.push_back({{"vaccine", vaccine}, {"dose", dose}, {"date", date}});
  }
  return out;
}

Result<json> Consent(const json& value, CivilDate birth, const Rules& rules) {
  ASSIGN_OR_RETURN(json c, NestedObject(value, "consent", {"by", "relation", "date"},
                                        {"by", "relation", "date"}));
  json out = json::object();
  ASSIGN_OR_RETURN(out["by"], PersonNameField(c["by"], "consent.by"));
  ASSIGN_OR_RETURN(std::string relation,
                   OneOf(c["relation"], "consent.relation",
                         {"father", "mother", "grandparent", "other", "self"}));
  ASSIGN_OR_RETURN(CivilDate date,
                   PastDate(c["date"], "consent.date", rules.today, birth, "birth_date"));
  if (relation == "self" && AgeInYears(birth, date) < kMinSelfConsentAge) {
    return FieldError("consent.relation", "未满 14 岁的儿童须由监护人同意，不能本人同意",
                      "a child under 14 cannot consent for itself; a guardian must");
  }
  out["relation"] = relation;
  out["date"] = date.ToString();
  return out;
}

}  // namespace onecard::child_record_internal
