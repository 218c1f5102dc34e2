#include "onecard/protocol/child_record.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

#include "child_record_fields.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/id_number.h"
#include "onecard/protocol/person_name.h"

namespace onecard {
namespace {

using nlohmann::json;
using namespace child_record_internal;

constexpr size_t kMaxGuardians = 4;
constexpr size_t kMaxImmunizations = 100;
constexpr size_t kMaxAddressChars = 200;
constexpr size_t kMaxSchoolNameChars = 100;
constexpr int kMaxChildAge = 17;
constexpr int kMinGuardianAge = 16;
constexpr int kMinSelfConsentAge = 14;  // PIPL: under 14, a guardian consents
constexpr size_t kMaxJsonDepth = 64;

// Relations of a guardian or caregiver to the child.
const std::vector<std::string_view> kRelations = {"father", "mother", "grandparent", "other"};

// The fields a person may give, in validation order; then the fields the system assigns.
const std::vector<std::string_view> kUserFields = {
    "name",      "sex",       "birth_date", "id_number", "ethnicity",     "hukou_area", "residence_area",
    "residence_address", "guardians", "caregiver", "school", "immunizations", "consent", "category"};
const std::vector<std::string_view> kSystemFields = {"child_id", "card_serial"};
const std::set<std::string_view> kRequiredFields = {"name",       "sex",           "birth_date",
                                                    "hukou_area", "residence_area", "consent"};

bool IsUserField(std::string_view key) {
  return std::find(kUserFields.begin(), kUserFields.end(), key) != kUserFields.end();
}
bool IsSystemField(std::string_view key) {
  return std::find(kSystemFields.begin(), kSystemFields.end(), key) != kSystemFields.end();
}

std::string Path(std::string_view parent, std::string_view child) {
  return std::string(parent) + "." + std::string(child);
}
std::string Path(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

// Quotes a JSON key for an error message without letting arbitrary bytes through.
std::string KeyLabel(std::string_view key) {
  std::string out;
  for (char c : key.substr(0, 40)) out.push_back(c >= 0x20 && c <= 0x7E ? c : '?');
  return out;
}

Status UnknownField(std::string_view path) {
  return FieldError(path, "不是儿童记录的字段", "is not a field of the child record");
}
Status MissingField(std::string_view path) {
  return FieldError(path, "必须填写", "is required");
}

struct Rules {
  CivilDate today;
  bool check_age_limit = true;  // the child must be 0–17 on `today`
};

// Checks the keys of a nested object against `allowed` and `required`; returns the object with
// nulls dropped.
Result<json> NestedObject(const json& value, std::string_view path, const std::vector<std::string_view>& allowed,
                          const std::vector<std::string_view>& required) {
  RETURN_IF_ERROR(ExpectObject(value, path));
  json out = json::object();
  for (const auto& [key, v] : value.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return FieldError(Path(path, KeyLabel(key)), "不是允许的字段（允许：" + list + "）",
                        "is not an allowed field (allowed: " + list + ")");
    }
    if (!v.is_null()) out[key] = v;
  }
  for (std::string_view r : required) {
    if (!out.contains(r)) return MissingField(Path(path, r));
  }
  return out;
}

Result<std::string> Name(const json& value, std::string_view path) {
  if (!value.is_string()) return FieldError(path, "应为字符串", "expected a string");
  return NormalizePersonName(value.get_ref<const std::string&>(), path);
}

Result<IdNumberInfo> IdNumber(const json& value, std::string_view path) {
  ASSIGN_OR_RETURN(std::string text, TrimmedString(value, path));
  auto info = ParseIdNumber(text);
  if (!info.ok()) return FieldError(path, info.status().message(), info.status().message());
  return info;
}

const char* SexLabelZh(char sex) { return sex == 'M' ? "男" : "女"; }
const char* SexLabelEn(char sex) { return sex == 'M' ? "male" : "female"; }

Result<json> Guardian(const json& value, const std::string& path, const Rules& rules) {
  ASSIGN_OR_RETURN(json g, NestedObject(value, path, {"name", "relation", "phone", "id_number", "residence_area"},
                                        {"name", "relation"}));
  json out = json::object();
  ASSIGN_OR_RETURN(out["name"], Name(g["name"], Path(path, "name")));
  ASSIGN_OR_RETURN(std::string relation, OneOf(g["relation"], Path(path, "relation"), kRelations));
  out["relation"] = relation;
  if (g.contains("phone")) {
    ASSIGN_OR_RETURN(out["phone"], PhoneNumber(g["phone"], Path(path, "phone")));
  }
  if (g.contains("id_number")) {
    std::string id_path = Path(path, "id_number");
    ASSIGN_OR_RETURN(IdNumberInfo id, IdNumber(g["id_number"], id_path));
    int age = AgeInYears(id.birth_date, rules.today);
    if (age < kMinGuardianAge) {
      return FieldError(id_path, "身份证号中的出生日期 " + id.birth_date.ToString() + " 表明监护人未满 16 岁",
                        "the birth date in the ID number, " + id.birth_date.ToString() +
                            ", makes the guardian younger than 16");
    }
    if ((relation == "father" && id.sex != 'M') || (relation == "mother" && id.sex != 'F')) {
      return FieldError(id_path,
                        std::string("身份证号表明性别为") + SexLabelZh(id.sex) + "，与关系 " + relation + " 不符",
                        std::string("the ID number is a ") + SexLabelEn(id.sex) + "'s, which does not fit relation " +
                            relation);
    }
    out["id_number"] = id.number;
  }
  if (g.contains("residence_area")) {
    ASSIGN_OR_RETURN(out["residence_area"], KnownAreaCode(g["residence_area"], Path(path, "residence_area")));
  }
  return out;
}

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
        return FieldError(Path(path, "relation"), "与 " + Path("guardians", j) + " 重复（只能有一位 " + rel + "）",
                          "repeats " + Path("guardians", j) + " (there is only one " + rel + ")");
      }
      if (g.contains("id_number") && out[j].contains("id_number") && out[j]["id_number"] == g["id_number"]) {
        return FieldError(Path(path, "id_number"), "与 " + Path("guardians", j) + " 的身份证号相同",
                          "is the same as that of " + Path("guardians", j));
      }
    }
    if (!child_id_number.empty() && g.contains("id_number") && g["id_number"] == child_id_number) {
      return FieldError(Path(path, "id_number"), "与儿童本人的身份证号相同", "is the child's own ID number");
    }
    out.push_back(std::move(g));
  }
  return out;
}

Result<json> Caregiver(const json& value) {
  ASSIGN_OR_RETURN(json c, NestedObject(value, "caregiver", {"name", "relation", "phone"}, {"name", "relation"}));
  json out = json::object();
  ASSIGN_OR_RETURN(out["name"], Name(c["name"], "caregiver.name"));
  ASSIGN_OR_RETURN(out["relation"], OneOf(c["relation"], "caregiver.relation", kRelations));
  if (c.contains("phone")) {
    ASSIGN_OR_RETURN(out["phone"], PhoneNumber(c["phone"], "caregiver.phone"));
  }
  return out;
}

Result<json> School(const json& value) {
  ASSIGN_OR_RETURN(json s, NestedObject(value, "school", {"name", "grade", "status"}, {"status"}));
  json out = json::object();
  ASSIGN_OR_RETURN(out["status"], OneOf(s["status"], "school.status", {"enrolled", "not_enrolled", "dropped_out"}));
  if (s.contains("name")) {
    if (!s["name"].is_string()) return FieldError("school.name", "应为字符串", "expected a string");
    ASSIGN_OR_RETURN(out["name"], NormalizeFreeText(s["name"].get_ref<const std::string&>(), "school.name",
                                                    kMaxSchoolNameChars));
  }
  if (s.contains("grade")) {
    ASSIGN_OR_RETURN(out["grade"], IntegerInRange(s["grade"], "school.grade", 1, 12));
  }
  return out;
}

Result<json> Immunizations(const json& value, CivilDate birth, const Rules& rules) {
  RETURN_IF_ERROR(ExpectArray(value, "immunizations"));
  if (value.size() > kMaxImmunizations) {
    return FieldError("immunizations", "条目过多（最多 100 条）", "has too many entries (at most 100)");
  }
  const auto& vaccines = ImmunizationVaccineCodes();
  std::vector<std::tuple<std::string, std::string, std::int64_t, size_t>> doses;  // date, vaccine, dose, index
  for (size_t i = 0; i < value.size(); ++i) {
    std::string path = Path("immunizations", i);
    ASSIGN_OR_RETURN(json d, NestedObject(value[i], path, {"vaccine", "dose", "date"}, {"vaccine", "dose", "date"}));
    ASSIGN_OR_RETURN(std::string vaccine, TrimmedString(d["vaccine"], Path(path, "vaccine")));
    if (std::find(vaccines.begin(), vaccines.end(), vaccine) == vaccines.end()) {
      std::string list;
      for (auto v : vaccines) list += (list.empty() ? "" : ", ") + std::string(v);
      return FieldError(Path(path, "vaccine"), "不是国家免疫规划疫苗代码（" + list + "）",
                        "is not a National Immunization Programme vaccine code (" + list + ")");
    }
    ASSIGN_OR_RETURN(std::int64_t dose, IntegerInRange(d["dose"], Path(path, "dose"), 1, 5));
    ASSIGN_OR_RETURN(CivilDate date, PastDate(d["date"], Path(path, "date"), rules.today, birth, "birth_date"));
    for (const auto& [other_date, other_vaccine, other_dose, other_index] : doses) {
      if (other_vaccine == vaccine && other_dose == dose) {
        return FieldError(path, vaccine + " 第 " + std::to_string(dose) + " 剂与 " + Path("immunizations", other_index) + " 重复",
                          vaccine + " dose " + std::to_string(dose) + " repeats " + Path("immunizations", other_index));
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
  ASSIGN_OR_RETURN(json c, NestedObject(value, "consent", {"by", "relation", "date"}, {"by", "relation", "date"}));
  json out = json::object();
  ASSIGN_OR_RETURN(out["by"], Name(c["by"], "consent.by"));
  ASSIGN_OR_RETURN(std::string relation,
                   OneOf(c["relation"], "consent.relation", {"father", "mother", "grandparent", "other", "self"}));
  ASSIGN_OR_RETURN(CivilDate date, PastDate(c["date"], "consent.date", rules.today, birth, "birth_date"));
  if (relation == "self" && AgeInYears(birth, date) < kMinSelfConsentAge) {
    return FieldError("consent.relation", "未满 14 岁的儿童须由监护人同意，不能本人同意",
                      "a child under 14 cannot consent for itself; a guardian must");
  }
  out["relation"] = relation;
  out["date"] = date.ToString();
  return out;
}

// Validates and normalises a record made only of user fields without nulls.
Result<json> NormalizeRecord(const json& in, const Rules& rules) {
  if (!in.contains("consent")) {
    return FieldError("consent", "没有监护人的知情同意，不能登记（须填写 consent：by、relation、date）",
                      "registration is refused without the guardian's informed consent (give consent: by, "
                      "relation, date)");
  }
  for (std::string_view key : kUserFields) {
    if (kRequiredFields.contains(key) && !in.contains(key)) return MissingField(key);
  }
  json out = json::object();
  ASSIGN_OR_RETURN(out["name"], Name(in["name"], "name"));
  ASSIGN_OR_RETURN(std::string sex, OneOf(in["sex"], "sex", {"M", "F"}));
  out["sex"] = sex;
  ASSIGN_OR_RETURN(CivilDate birth, PastDate(in["birth_date"], "birth_date", rules.today));
  if (rules.check_age_limit && AgeInYears(birth, rules.today) > kMaxChildAge) {
    return FieldError("birth_date", "按出生日期已满 18 岁，不是儿童（应为 0–17 岁）",
                      "the birth date makes the person 18 or older, not a child (0–17)");
  }
  out["birth_date"] = birth.ToString();
  std::string child_id_number;
  if (in.contains("id_number")) {
    ASSIGN_OR_RETURN(IdNumberInfo id, IdNumber(in["id_number"], "id_number"));
    if (id.birth_date != birth) {
      return FieldError("id_number", "身份证号中的出生日期 " + id.birth_date.ToString() + " 与 birth_date " +
                                         birth.ToString() + " 不一致",
                        "the birth date in the ID number, " + id.birth_date.ToString() + ", differs from birth_date " +
                            birth.ToString());
    }
    if (id.sex != sex[0]) {
      return FieldError("id_number", std::string("身份证号表明性别为") + SexLabelZh(id.sex) + "，与 sex " + sex + " 不一致",
                        std::string("the ID number is a ") + SexLabelEn(id.sex) + "'s, which differs from sex " + sex);
    }
    child_id_number = id.number;
    out["id_number"] = id.number;
  }
  if (in.contains("ethnicity")) {
    ASSIGN_OR_RETURN(out["ethnicity"], EthnicityCode(in["ethnicity"], "ethnicity"));
  }
  ASSIGN_OR_RETURN(out["hukou_area"], KnownAreaCode(in["hukou_area"], "hukou_area"));
  ASSIGN_OR_RETURN(out["residence_area"], KnownAreaCode(in["residence_area"], "residence_area"));
  if (in.contains("residence_address")) {
    if (!in["residence_address"].is_string()) {
      return FieldError("residence_address", "应为字符串", "expected a string");
    }
    ASSIGN_OR_RETURN(out["residence_address"],
                     NormalizeFreeText(in["residence_address"].get_ref<const std::string&>(), "residence_address",
                                       kMaxAddressChars));
  }
  if (in.contains("guardians")) {
    ASSIGN_OR_RETURN(out["guardians"], Guardians(in["guardians"], rules, child_id_number));
  }
  if (in.contains("caregiver")) {
    ASSIGN_OR_RETURN(out["caregiver"], Caregiver(in["caregiver"]));
  }
  if (in.contains("school")) {
    ASSIGN_OR_RETURN(out["school"], School(in["school"]));
  }
  if (in.contains("immunizations")) {
    ASSIGN_OR_RETURN(out["immunizations"], Immunizations(in["immunizations"], birth, rules));
  }
  ASSIGN_OR_RETURN(out["consent"], Consent(in["consent"], birth, rules));
  if (in.contains("category")) {
    ASSIGN_OR_RETURN(out["category"], OneOf(in["category"], "category", {"migrant", "left_behind", "other"}));
  } else {
    out["category"] = DeriveCategory(out);
  }
  return out;
}

Status NotAnObject(std::string_view what_zh, std::string_view what_en) {
  return Status(ErrorCode::kInvalidArgument, Tr(std::string(what_zh) + "应为 JSON 对象",
                                                std::string(what_en) + " must be a JSON object"));
}

Status SystemField(std::string_view key) {
  return FieldError(key, "由系统分配，不能填写", "is assigned by the system and cannot be given");
}

// Code prefix length of an area code's level: 2, 4 or 6; 0 when not a six-digit code.
size_t PrefixLength(std::string_view code) {
  if (code.size() != 6) return 0;
  for (char c : code) {
    if (c < '0' || c > '9') return 0;
  }
  if (code.substr(2) == "0000") return 2;
  if (code.substr(4) == "00") return 4;
  return 6;
}

bool SamePlace(std::string_view a, std::string_view b) {
  size_t n = std::min(PrefixLength(a), PrefixLength(b));
  if (n == 0) return a == b;
  return a.substr(0, n) == b.substr(0, n);
}

std::string_view StringField(const json& object, std::string_view key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get_ref<const std::string&>();
}

// A JSON text position from a byte offset: 1-based line and column (in UTF-8 characters).
std::pair<size_t, size_t> LineAndColumn(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

const std::vector<std::string_view>& ChildRecordFields() {
  static const std::vector<std::string_view> fields = [] {
    std::vector<std::string_view> all = kUserFields;
    all.insert(all.end(), kSystemFields.begin(), kSystemFields.end());
    return all;
  }();
  return fields;
}

const std::vector<std::string_view>& ImmunizationVaccineCodes() {
  // National Immunization Programme (国家免疫规划) vaccines, 2021 edition of the schedule. The
  // schedule itself (doses, ages) is data owned by the immunization module; this is the list of
  // codes a record may carry.
  static const std::vector<std::string_view> codes = {"HepB", "BCG",    "IPV",      "bOPV",    "DTaP",
                                                      "DT",   "MMR",    "JE-L",     "JE-I",    "MPSV-A",
                                                      "MPSV-AC", "HepA-L", "HepA-I"};
  return codes;
}

Result<json> ParseJson(std::string_view text, std::string_view source) {
  struct DuplicateKey {};
  struct TooDeep {};
  std::vector<std::set<std::string>> open_objects;
  std::string duplicate;
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) -> bool {
    if (static_cast<size_t>(depth) > kMaxJsonDepth) throw TooDeep{};
    if (event == json::parse_event_t::object_start) {
      open_objects.emplace_back();
    } else if (event == json::parse_event_t::object_end) {
      if (!open_objects.empty()) open_objects.pop_back();
    } else if (event == json::parse_event_t::key && !open_objects.empty()) {
      if (!open_objects.back().insert(parsed.get<std::string>()).second) {
        duplicate = parsed.get<std::string>();
        throw DuplicateKey{};
      }
    }
    return true;
  };
  std::string src(source);
  try {
    return json::parse(text.begin(), text.end(), callback);
  } catch (const json::parse_error& e) {
    auto [line, column] = LineAndColumn(text, e.byte == 0 ? 0 : e.byte - 1);
    std::string where = std::to_string(line) + ":" + std::to_string(column);
    // The library's description ("syntax error while parsing value - invalid literal; …") follows
    // the last ": " of its message.
    std::string what = e.what();
    size_t colon = what.find(": ", what.find("column"));
    std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
    return Status(ErrorCode::kInvalidArgument,
                  Tr(src + " 第 " + std::to_string(line) + " 行第 " + std::to_string(column) + " 列：JSON 格式错误（" +
                         detail + "）",
                     src + ":" + where + ": malformed JSON (" + detail + ")"));
  } catch (const json::exception& e) {
    // Anything else the parser refuses, e.g. a number too large for a double ("1e400").
    std::string what = e.what();
    size_t bracket = what.find("] ");
    std::string detail = bracket == std::string::npos ? what : what.substr(bracket + 2);
    return Status(ErrorCode::kInvalidArgument, Tr(src + "：JSON 内容无法读取（" + detail + "）",
                                                  src + ": unreadable JSON (" + detail + ")"));
  } catch (const DuplicateKey&) {
    std::string key = KeyLabel(duplicate);
    return Status(ErrorCode::kInvalidArgument, Tr(src + "：JSON 对象中键 \"" + key + "\" 重复出现",
                                                  src + ": the key \"" + key + "\" appears twice in one JSON object"));
  } catch (const TooDeep&) {
    return Status(ErrorCode::kInvalidArgument, Tr(src + "：JSON 嵌套超过 64 层",
                                                  src + ": JSON nested deeper than 64 levels"));
  }
}

Result<json> ValidateNewChild(const json& record, CivilDate today) {
  if (!record.is_object()) return NotAnObject("儿童记录", "a child record");
  json in = json::object();
  for (const auto& [key, value] : record.items()) {
    if (IsSystemField(key)) return SystemField(key);
    if (!IsUserField(key)) return UnknownField(KeyLabel(key));
    if (value.is_null()) {
      if (kRequiredFields.contains(key)) return FieldError(key, "必须填写，不能为 null", "is required and cannot be null");
      continue;
    }
    in[key] = value;
  }
  return NormalizeRecord(in, Rules{today, true});
}

Result<json> ValidateChildPatch(const json& current, const json& patch, CivilDate today) {
  if (!current.is_object()) return NotAnObject("当前记录", "the current record");
  if (!patch.is_object()) return NotAnObject("修改内容", "an update");
  for (const auto& [key, value] : patch.items()) {
    if (IsSystemField(key)) return SystemField(key);
    if (!IsUserField(key)) return UnknownField(KeyLabel(key));
    if (value.is_null() && kRequiredFields.contains(key)) {
      return FieldError(key, "是必填字段，不能删除", "is required and cannot be removed");
    }
  }
  json merged = json::object();
  for (const auto& [key, value] : current.items()) {
    if (IsUserField(key) && !value.is_null()) merged[key] = value;
  }
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null()) {
      merged.erase(key);
    } else {
      merged[key] = value;
    }
  }
  ASSIGN_OR_RETURN(json normalized, NormalizeRecord(merged, Rules{today, patch.contains("birth_date")}));

  json out = json::object();
  for (const auto& [key, value] : patch.items()) {
    out[key] = normalized.contains(key) ? normalized[key] : json();
  }
  if (!patch.contains("category")) {
    for (std::string_view key : {"residence_area", "hukou_area", "guardians"}) {
      auto before = current.find(key);
      json before_value = before == current.end() ? json() : *before;
      json after_value = normalized.contains(key) ? normalized[key] : json();
      if (patch.contains(key) && before_value != after_value) {
        out["category"] = DeriveCategory(normalized);
        break;
      }
    }
  }
  return out;
}

std::string DeriveCategory(const json& record) {
  std::string_view hukou = StringField(record, "hukou_area");
  std::string_view residence = StringField(record, "residence_area");
  if (hukou.empty() || residence.empty()) return "other";
  if (!SamePlace(hukou, residence)) return "migrant";
  auto guardians = record.find("guardians");
  if (guardians != record.end() && guardians->is_array()) {
    for (const json& g : *guardians) {
      std::string_view relation = StringField(g, "relation");
      std::string_view where = StringField(g, "residence_area");
      if ((relation == "father" || relation == "mother") && !where.empty() && !SamePlace(where, residence)) {
        return "left_behind";
      }
    }
  }
  return "other";
}

}  // namespace onecard
