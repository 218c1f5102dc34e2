#include "onecard/protocol/identity_record.h"

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/identity_han.h"
#include "onecard/protocol/utf8.h"

namespace onecard {
namespace {

bool IsDot(char32_t c) {
  return c == 0x00B7 || c == 0x30FB || c == 0x2027 || c == 0xFF0E || c == 0xFF65;
}
bool IsSpace(char32_t c) { return c == ' ' || c == 0x3000 || c == '\t'; }

Status FieldError(std::string_view field) {
  std::string f(field);
  return Status(
      ErrorCode::kInvalidArgument,
      Tr("字段 " + f + "：缺失或格式错误，无法用于身份识别",
         "field " + f + ": missing or malformed, cannot be used for identity resolution"));
}

// The string at `record[key]`, or empty when absent or not a string.
std::string StringField(const nlohmann::json& record, const char* key) {
  auto it = record.find(key);
  return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
}

GuardianRelation RelationOf(std::string_view relation) {
  if (relation == "father") return GuardianRelation::kFather;
  if (relation == "mother") return GuardianRelation::kMother;
  if (relation == "grandparent") return GuardianRelation::kGrandparent;
  return GuardianRelation::kOther;
}

}  // namespace

IdentityName MakeIdentityName(std::string_view utf8_name) {
  IdentityName name;
  for (char32_t c : DecodeUtf8Lenient(utf8_name)) {
    if (IsDot(c) || IsSpace(c)) continue;
    if (c >= 'A' && c <= 'Z') c = c - 'A' + 'a';
    IdentityNameUnit unit;
    unit.han = SimplifiedHan(c);
    unit.folded = unit.han != c;
    HanReading reading = ReadingOfHan(c);
    unit.syllable = reading.syllable;
    unit.tone = reading.tone;
    name.push_back(unit);
  }
  return name;
}

Result<IdentityRecord> IdentityRecordFromChild(const nlohmann::json& record,
                                               std::string_view record_id) {
  if (!record.is_object()) return FieldError("record");
  IdentityRecord out;
  out.record_id = record_id.empty() ? StringField(record, "child_id") : std::string(record_id);
  if (out.record_id.empty()) return FieldError("child_id");
  std::string name = StringField(record, "name");
  out.name = MakeIdentityName(name);
  if (out.name.empty()) return FieldError("name");
  std::string sex = StringField(record, "sex");
  if (sex != "M" && sex != "F") return FieldError("sex");
  out.sex = sex[0];
  Result<CivilDate> birth = CivilDate::Parse(StringField(record, "birth_date"));
  if (!birth.ok()) return FieldError("birth_date");
  out.birth_date = *birth;
  out.hukou_area = StringField(record, "hukou_area");
  if (out.hukou_area.size() != 6) return FieldError("hukou_area");
  out.residence_area = StringField(record, "residence_area");
  out.id_number = StringField(record, "id_number");
  out.card_serial = StringField(record, "card_serial");
  auto guardians = record.find("guardians");
  if (guardians != record.end() && guardians->is_array()) {
    for (const nlohmann::json& g : *guardians) {
      if (!g.is_object()) continue;
      IdentityGuardian guardian;
      guardian.relation = RelationOf(StringField(g, "relation"));
      guardian.name = MakeIdentityName(StringField(g, "name"));
      guardian.id_number = StringField(g, "id_number");
      if (!guardian.name.empty() || !guardian.id_number.empty())
        out.guardians.push_back(std::move(guardian));
    }
  }
  return out;
}

}  // namespace onecard
