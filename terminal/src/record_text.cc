#include "record_text.h"

#include "code_words.h"
#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/school_stage.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

// A value as shown: records come from the store or a card and may hold any type where a text
// belongs (old data), so nothing here asks for a type or reads a missing key.
std::string Scalar(const json& v) {
  return v.is_string() ? v.get_ref<const std::string&>() : v.dump();
}

// Scalar of `object[key]`; "" when `object` is not an object or has no `key`.
std::string Member(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it == object.end() ? std::string() : Scalar(*it);
}

constexpr CodeWord kSexWords[] = {{"M", "男", "male"}, {"F", "女", "female"}};
constexpr CodeWord kCategoryWords[] = {{"migrant", "流动儿童", "migrant"},
                                       {"left_behind", "留守儿童", "left-behind"},
                                       {"other", "其他", "other"}};
constexpr CodeWord kRelationWords[] = {{"father", "父亲", "father"},
                                       {"mother", "母亲", "mother"},
                                       {"grandparent", "祖父母", "grandparent"},
                                       {"other", "其他", "other"}};
constexpr CodeWord kSchoolStatusWords[] = {{"enrolled", "在读", "enrolled"},
                                           {"not_enrolled", "未入学", "not enrolled"},
                                           {"dropped_out", "辍学", "dropped out"}};

std::string Area(const json& v) {
  std::string code = Scalar(v);
  auto name = AreaName(code);
  return name ? code + " " + *name : code;
}

// The record's fields and the members of its objects (guardian, caregiver, school, consent,
// dose), with their labels and, for coded ones, the words of their codes.
struct Label {
  const char* name;
  const char* zh;
  const char* en;
  std::span<const CodeWord> words;
};
constexpr Label kLabels[] = {
    {"child_id", "儿童编号", "Child ID", {}},
    {"name", "姓名", "Name", {}},
    {"sex", "性别", "Sex", kSexWords},
    {"birth_date", "出生日期", "Birth date", {}},
    {"id_number", "公民身份号码", "ID number", {}},
    {"ethnicity", "民族", "Ethnicity", {}},
    {"category", "类别", "Category", kCategoryWords},
    {"hukou_area", "户籍地", "Hukou area", {}},
    {"residence_area", "现居住地", "Residence area", {}},
    {"residence_address", "居住地址", "Address", {}},
    {"card_serial", "卡号", "Card serial", {}},
    {"guardians", "监护人", "Guardians", {}},
    {"caregiver", "实际照护人", "Caregiver", {}},
    {"school", "学校", "School", {}},
    {"immunizations", "预防接种", "Immunizations", {}},
    {"consent", "知情同意", "Consent", {}},
    {"relation", "关系", "Relation", kRelationWords},
    {"phone", "电话", "Phone", {}},
    {"by", "同意人", "Given by", {}},
    {"date", "日期", "Date", {}},
    {"grade", "年级", "Grade", {}},
    {"status", "状态", "Status", kSchoolStatusWords},
    {"stage", "学段", "School stage", {}},
    {"vaccine", "疫苗", "Vaccine", {}},
    {"dose", "剂次", "Dose", {}},
};

const Label* FindLabel(std::string_view name) {
  for (const Label& l : kLabels) {
    if (name == l.name) return &l;
  }
  return nullptr;
}

}  // namespace

std::string FieldLabel(std::string_view name) {
  const Label* l = FindLabel(name);
  return l ? Tr(l->zh, l->en) : std::string(name);
}

std::string ValueText(std::string_view name, const json& value) {
  if (name.ends_with("_area")) return Area(value);
  const std::string text = Scalar(value);
  if (name == "stage") {
    const SchoolStage* known = FindSchoolStage(text);
    return known ? Tr(std::string(known->zh), std::string(known->en)) : text;
  }
  const Label* l = FindLabel(name);
  return l ? WordOf(l->words, text) : text;
}

std::string RecordText(const json& record) {
  // The fields shown on lines of their own, in this order; coded ones in words.
  static const char* const kLines[] = {"child_id",   "name",           "sex",
                                       "birth_date", "id_number",      "category",
                                       "hukou_area", "residence_area", "residence_address",
                                       "card_serial"};
  std::string out;
  for (const char* field : kLines) {
    if (record.contains(field))
      out += FieldLabel(field) + ": " + ValueText(field, record[field]) + "\n";
  }
  if (record.contains("guardians") && record["guardians"].is_array()) {
    for (const auto& g : record["guardians"]) {
      out += Tr("监护人", "Guardian") + ": " + Member(g, "name") + " (" +
             WordOf(kRelationWords, Member(g, "relation")) + ")";
      if (g.is_object() && g.contains("phone")) out += " " + Member(g, "phone");
      out += "\n";
    }
  }
  if (record.contains("school")) {
    const json& s = record["school"];
    const std::string grade = Member(s, "grade");
    out += Tr("学校", "School") + ": " + Member(s, "name") + " " +
           (grade.empty() ? "" : Tr(grade + " 年级", "grade " + grade)) + " " +
           WordOf(kSchoolStatusWords, Member(s, "status")) + "\n";
    if (const std::string stage = Member(s, "stage"); !stage.empty())
      out += FieldLabel("stage") + ": " + ValueText("stage", stage) + "\n";
  }
  if (record.contains("immunizations") && record["immunizations"].is_array()) {
    out += Tr("已接种剂次", "Immunization doses") + ": " +
           std::to_string(record["immunizations"].size()) + "\n";
  }
  return out;
}

std::string ClosedRecordText(const nlohmann::json& closed) {
  const std::string id = closed.value("child_id", "");
  const std::string on = closed.value("closed_on", "");
  return Tr("儿童 " + id + " 已于 " + on + " 年满 18 岁，记录已关闭（不再显示、统计或修改）\n",
            "child " + id + " turned 18 on " + on +
                ": the record is closed (no longer shown, counted or changed)\n");
}

}  // namespace onecard::terminal
