#include "onecard/protocol/child_record.h"

#include <algorithm>
#include <set>
#include <utility>

#include "child_record_fields.h"
#include "child_record_sections.h"
#include "onecard/protocol/card_serial.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/id_number.h"
#include "onecard/protocol/nip_vaccines.h"
#include "onecard/protocol/person_name.h"

namespace onecard {
namespace {

using nlohmann::json;
using namespace child_record_internal;

constexpr size_t kMaxAddressChars = 200;
constexpr int kMaxChildAge = 17;

// The fields a person may give, in validation order; then the fields the system assigns.
const std::vector<std::string_view> kUserFields = {
    "name",      "sex",        "birth_date",     "id_number",
    "ethnicity", "hukou_area", "residence_area", "residence_address",
    "guardians", "caregiver",  "school",         "immunizations",
    "consent",   "category"};
const std::vector<std::string_view> kSystemFields = {"child_id", "card_serial"};
const std::set<std::string_view> kRequiredFields = {
    "name", "sex", "birth_date", "hukou_area", "residence_area", "consent"};

bool IsUserField(std::string_view key) {
  return std::find(kUserFields.begin(), kUserFields.end(), key) != kUserFields.end();
}
bool IsSystemField(std::string_view key) {
  return std::find(kSystemFields.begin(), kSystemFields.end(), key) != kSystemFields.end();
}

Status UnknownField(std::string_view path) {
  return FieldError(path, "不是儿童记录的字段", "is not a field of the child record");
}

Result<json> AsJson(Result<std::string> text) {
  if (!text.ok()) return text.status();
  return json(std::move(text).value());
}

// What the rules of one field need from the rest of its record; left empty when not known (a
// change received from another replica may not carry them).
struct RecordContext {
  CivilDate birth;              // lower bound of the record's other dates (CivilDate{}: none)
  std::string child_id_number;  // a guardian may not have the child's ID number
};

// One field of the record, normalised. This is what a field must be wherever it comes from:
// registration, updates and changes received from other replicas all go through it. Rules that
// relate two fields beyond `context` are NormalizeRecord's.
Result<json> NormalizeField(std::string_view key, const json& value, const Rules& rules,
                            const RecordContext& context) {
  const CivilDate birth = context.birth;
  if (key == "name") return AsJson(PersonNameField(value, "name"));
  if (key == "sex") return AsJson(OneOf(value, "sex", {"M", "F"}));
  if (key == "birth_date") {
    ASSIGN_OR_RETURN(CivilDate date, PastDate(value, "birth_date", rules.today));
    if (rules.check_age_limit && AgeInYears(date, rules.today) > kMaxChildAge) {
      return FieldError("birth_date", "按出生日期已满 18 岁，不是儿童（应为 0–17 岁）",
                        "the birth date makes the person 18 or older, not a child (0–17)");
    }
    return json(date.ToString());
  }
  if (key == "id_number") {
    ASSIGN_OR_RETURN(IdNumberInfo id, IdNumberField(value, "id_number"));
    return json(id.number);
  }
  if (key == "ethnicity") return AsJson(EthnicityCode(value, "ethnicity"));
  if (key == "hukou_area" || key == "residence_area") return AsJson(KnownAreaCode(value, key));
  if (key == "residence_address") {
    if (!value.is_string()) return FieldError(key, "应为字符串", "expected a string");
    return AsJson(NormalizeFreeText(value.get_ref<const std::string&>(), key, kMaxAddressChars));
  }
  if (key == "guardians") return Guardians(value, rules, context.child_id_number);
  if (key == "caregiver") return Caregiver(value);
  if (key == "school") return School(value);
  if (key == "immunizations") return Immunizations(value, birth, rules);
  if (key == "consent") return Consent(value, birth, rules);
  if (key == "category")
    return AsJson(OneOf(value, "category", {"migrant", "left_behind", "other"}));
  if (key == "card_serial") {
    if (!value.is_string() || !IsCardSerialText(value.get_ref<const std::string&>())) {
      return FieldError(key, "应为 16 位大写十六进制数字", "expected 16 upper-case hex digits");
    }
    return value;
  }
  return UnknownField(KeyLabel(key));
}

// The ID number agrees with the birth date and sex of the same record.
Status IdNumberAgrees(const IdNumberInfo& id, CivilDate birth, char sex) {
  if (id.birth_date != birth) {
    return FieldError("id_number",
                      "身份证号中的出生日期 " + id.birth_date.ToString() + " 与 birth_date " +
                          birth.ToString() + " 不一致",
                      "the birth date in the ID number, " + id.birth_date.ToString() +
                          ", differs from birth_date " + birth.ToString());
  }
  if (id.sex != sex) {
    return FieldError(
        "id_number",
        std::string("身份证号表明性别为") + SexLabelZh(id.sex) + "，与 sex " + sex + " 不一致",
        std::string("the ID number is a ") + SexLabelEn(id.sex) + "'s, which differs from sex " +
            sex);
  }
  return Status::Ok();
}

// Validates and normalises a record made only of user fields without nulls: each field in
// validation order (NormalizeField), the ID number against the birth date and sex right after it.
Result<json> NormalizeRecord(const json& in, const Rules& rules) {
  if (!in.contains("consent")) {
    return FieldError(
        "consent", "没有监护人的知情同意，不能登记（须填写 consent：by、relation、date）",
        "registration is refused without the guardian's informed consent (give consent: by, "
        "relation, date)");
  }
  for (std::string_view key : kUserFields) {
    if (kRequiredFields.contains(key) && !in.contains(key)) return MissingField(key);
  }
  json out = json::object();
  RecordContext context;
  for (std::string_view key : kUserFields) {
    auto it = in.find(key);
    if (it == in.end()) continue;
    ASSIGN_OR_RETURN(json value, NormalizeField(key, *it, rules, context));
    if (key == "birth_date") {
      ASSIGN_OR_RETURN(context.birth, CivilDate::Parse(value.get<std::string>()));
    } else if (key == "id_number") {
      ASSIGN_OR_RETURN(IdNumberInfo id, IdNumberField(value, "id_number"));
      RETURN_IF_ERROR(IdNumberAgrees(id, context.birth, out["sex"].get<std::string>()[0]));
      context.child_id_number = id.number;
    }
    out[key] = std::move(value);
  }
  if (!out.contains("category")) out["category"] = DeriveCategory(out);
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

}  // namespace

const std::vector<std::string_view>& ChildRecordFields() {
  static const std::vector<std::string_view> fields = [] {
    std::vector<std::string_view> all = kUserFields;
    all.insert(all.end(), kSystemFields.begin(), kSystemFields.end());
    return all;
  }();
  return fields;
}

const std::vector<std::string_view>& RequiredChildRecordFields() {
  static const std::vector<std::string_view> fields(kRequiredFields.begin(), kRequiredFields.end());
  return fields;
}

const std::vector<std::string_view>& ImmunizationVaccineCodes() {
  static const std::vector<std::string_view> codes = [] {
    std::vector<std::string_view> read;
    for (const NipVaccine& v : NipVaccines()) read.push_back(v.code);
    return read;
  }();
  return codes;
}

Result<json> ValidateNewChild(const json& record, CivilDate today) {
  if (!record.is_object()) return NotAnObject("儿童记录", "a child record");
  json in = json::object();
  for (const auto& [key, value] : record.items()) {
    if (IsSystemField(key)) return SystemField(key);
    if (!IsUserField(key)) return UnknownField(KeyLabel(key));
    if (value.is_null()) {
      if (kRequiredFields.contains(key)) {
        return FieldError(key, "必须填写，不能为 null", "is required and cannot be null");
      }
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
  ASSIGN_OR_RETURN(json normalized,
                   NormalizeRecord(merged, Rules{today, patch.contains("birth_date")}));

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

Status ValidateReceivedFields(const json& fields, const ReceivedFieldRules& rules) {
  if (!fields.is_object()) return NotAnObject("变更的字段", "the change's fields");
  for (const auto& [key, value] : fields.items()) {
    if (key == "child_id") return SystemField(key);
    if (!IsUserField(key) && !IsSystemField(key)) return UnknownField(KeyLabel(key));
  }
  const Rules field_rules{rules.today, rules.check_age_limit};
  for (std::string_view key : ChildRecordFields()) {
    auto it = fields.find(key);
    if (it == fields.end() || it->is_null()) {
      if (kRequiredFields.contains(key) && (rules.complete || it != fields.end())) {
        return it == fields.end()
                   ? MissingField(key)
                   : FieldError(key, "必须填写，不能为 null", "is required and cannot be null");
      }
      continue;
    }
    ASSIGN_OR_RETURN(json normalized, NormalizeField(key, *it, field_rules, RecordContext{}));
    if (normalized != *it) {
      return FieldError(key, "不是规范形式（应为 " + normalized.dump() + "）",
                        "is not in normalised form (expected " + normalized.dump() + ")");
    }
  }
  return Status::Ok();
}

Status ValidateReceivedDose(const json& dose, CivilDate today) {
  const json list = json::array({dose});
  ASSIGN_OR_RETURN(json normalized, Immunizations(list, CivilDate{}, Rules{today, false}));
  if (normalized != list) {
    return FieldError("immunizations", "不是规范形式（应为 " + normalized[0].dump() + "）",
                      "is not in normalised form (expected " + normalized[0].dump() + ")");
  }
  return Status::Ok();
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
      if ((relation == "father" || relation == "mother") && !where.empty() &&
          !SamePlace(where, residence)) {
        return "left_behind";
      }
    }
  }
  return "other";
}

}  // namespace onecard
