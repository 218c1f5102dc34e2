#include "child_record_fields.h"

#include <algorithm>
#include <limits>

#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/person_name.h"

namespace onecard::child_record_internal {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  for (bool changed = true; changed;) {
    changed = false;
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
      s.remove_prefix(1);
      changed = true;
    }
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
      s.remove_suffix(1);
      changed = true;
    }
    if (s.starts_with(kIdeographicSpace)) {
      s.remove_prefix(3);
      changed = true;
    }
    if (s.ends_with(kIdeographicSpace)) {
      s.remove_suffix(3);
      changed = true;
    }
  }
  return s;
}

}  // namespace

Status FieldError(std::string_view path, const std::string& zh, const std::string& en) {
  std::string p(path);
  return Status(ErrorCode::kInvalidArgument, Tr("字段 " + p + "：" + zh, "field " + p + ": " + en))
      .WithField(p);
}

Status MissingField(std::string_view path) { return FieldError(path, "必须填写", "is required"); }

const char* SexLabelZh(char sex) { return sex == 'M' ? "男" : "女"; }
const char* SexLabelEn(char sex) { return sex == 'M' ? "male" : "female"; }

std::string Path(std::string_view parent, std::string_view child) {
  return std::string(parent) + "." + std::string(child);
}
std::string Path(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::string KeyLabel(std::string_view key) {
  std::string out;
  for (char c : key.substr(0, 40)) out.push_back(c >= 0x20 && c <= 0x7E ? c : '?');
  return out;
}

Result<nlohmann::json> NestedObject(const nlohmann::json& value, std::string_view path,
                                    const std::vector<std::string_view>& allowed,
                                    const std::vector<std::string_view>& required) {
  RETURN_IF_ERROR(ExpectObject(value, path));
  nlohmann::json out = nlohmann::json::object();
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

Result<std::string> PersonNameField(const nlohmann::json& value, std::string_view path) {
  if (!value.is_string()) return FieldError(path, "应为字符串", "expected a string");
  return NormalizePersonName(value.get_ref<const std::string&>(), path);
}

Result<IdNumberInfo> IdNumberField(const nlohmann::json& value, std::string_view path) {
  ASSIGN_OR_RETURN(std::string text, TrimmedString(value, path));
  auto info = ParseIdNumber(text);
  if (!info.ok()) return FieldError(path, info.status().message(), info.status().message());
  return info;
}

Status ExpectObject(const nlohmann::json& value, std::string_view path) {
  if (value.is_object()) return Status::Ok();
  return FieldError(path, "应为 JSON 对象", "expected a JSON object");
}

Status ExpectArray(const nlohmann::json& value, std::string_view path) {
  if (value.is_array()) return Status::Ok();
  return FieldError(path, "应为 JSON 数组", "expected a JSON array");
}

Result<std::string> TrimmedString(const nlohmann::json& value, std::string_view path) {
  if (!value.is_string()) return FieldError(path, "应为字符串", "expected a string");
  return std::string(Trim(value.get_ref<const std::string&>()));
}

Result<std::int64_t> IntegerInRange(const nlohmann::json& value, std::string_view path,
                                    std::int64_t min, std::int64_t max) {
  std::string range = std::to_string(min) + "–" + std::to_string(max);
  if (!value.is_number_integer()) {
    return FieldError(path, "应为整数（" + range + "）", "expected an integer (" + range + ")");
  }
  bool in_range;
  std::int64_t v = 0;
  if (value.is_number_unsigned()) {
    auto u = value.get<std::uint64_t>();
    in_range = u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (in_range) v = static_cast<std::int64_t>(u);
  } else {
    v = value.get<std::int64_t>();
    in_range = true;
  }
  if (!in_range || v < min || v > max) {
    return FieldError(path, "应在 " + range + " 之间", "must be between " + range);
  }
  return v;
}

Result<std::string> OneOf(const nlohmann::json& value, std::string_view path,
                          const std::vector<std::string_view>& allowed) {
  std::string list;
  for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  if (!value.is_string()) {
    return FieldError(path, "应为字符串，取值之一：" + list, "expected a string, one of: " + list);
  }
  std::string_view v = Trim(value.get_ref<const std::string&>());
  for (std::string_view a : allowed) {
    if (v == a) return std::string(a);
  }
  return FieldError(path, "取值应为以下之一：" + list, "must be one of: " + list);
}

Result<CivilDate> PastDate(const nlohmann::json& value, std::string_view path, CivilDate today,
                           CivilDate not_before, std::string_view not_before_name) {
  ASSIGN_OR_RETURN(std::string text, TrimmedString(value, path));
  auto date = CivilDate::Parse(text);
  if (!date.ok()) return FieldError(path, date.status().message(), date.status().message());
  if (*date > today) {
    return FieldError(path, "日期 " + text + " 晚于今天（" + today.ToString() + "）",
                      "the date " + text + " is after today (" + today.ToString() + ")");
  }
  if (not_before.IsValid() && *date < not_before) {
    std::string bound(not_before_name);
    return FieldError(
        path, "日期 " + text + " 早于 " + bound + "（" + not_before.ToString() + "）",
        "the date " + text + " is before " + bound + " (" + not_before.ToString() + ")");
  }
  return *date;
}

Result<std::string> KnownAreaCode(const nlohmann::json& value, std::string_view path) {
  ASSIGN_OR_RETURN(std::string code, TrimmedString(value, path));
  if (code.size() != 6 || !AllDigits(code)) {
    return FieldError(path, "行政区划代码应为 6 位数字", "an area code has six digits");
  }
  if (!IsKnownArea(code)) {
    return FieldError(path, "行政区划代码 " + code + " 不在现行 GB/T 2260 代码表中",
                      "the area code " + code + " is not in the current GB/T 2260 table");
  }
  return code;
}

Result<std::string> PhoneNumber(const nlohmann::json& value, std::string_view path) {
  ASSIGN_OR_RETURN(std::string text, TrimmedString(value, path));
  auto bad = [&] {
    return FieldError(
        path, "不是有效的电话号码：手机号为 1 开头的 11 位数字，固定电话要带区号，如 0527-81234567",
        "not a valid phone number: a mobile number has 11 digits starting with 1, a fixed line "
        "needs its area code, e.g. 0527-81234567");
  };
  std::string_view rest = text;
  bool international = rest.starts_with("+86");
  if (international) {
    rest.remove_prefix(3);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '-')) rest.remove_prefix(1);
  }
  std::string compact;
  size_t first_separator =
      std::string::npos;  // position in `compact` where the first separator stood
  for (char c : rest) {
    if (c == ' ' || c == '-') {
      if (first_separator == std::string::npos) first_separator = compact.size();
      continue;
    }
    compact.push_back(c);
  }
  if (!AllDigits(compact)) return bad();
  if (compact.size() == 11 && compact[0] == '1' && compact[1] >= '3' && compact[1] <= '9')
    return compact;
  if (international || compact.size() < 2 || compact[0] != '0' || compact[1] == '0') return bad();
  size_t area_len = (compact[1] == '1' || compact[1] == '2') ? 3 : 4;
  if (compact[1] == '1' && compact[2] != '0') return bad();  // 010 is the only 01x area code
  if (compact.size() <= area_len) return bad();
  std::string local = compact.substr(area_len);
  if (local.size() < 7 || local.size() > 8 || local[0] == '0' || local[0] == '1') return bad();
  if (first_separator != std::string::npos && first_separator != area_len) return bad();
  return compact.substr(0, area_len) + "-" + local;
}

Result<std::string> EthnicityCode(const nlohmann::json& value, std::string_view path) {
  ASSIGN_OR_RETURN(std::string code, TrimmedString(value, path));
  if (code.size() == 2 && AllDigits(code)) {
    int n = (code[0] - '0') * 10 + (code[1] - '0');
    if ((n >= 1 && n <= 56) || n == 97 || n == 98) return code;
  }
  return FieldError(path, "民族代码应为 GB 3304 的两位代码 01–56、97 或 98",
                    "an ethnicity is a two-digit GB 3304 code: 01–56, 97 or 98");
}

}  // namespace onecard::child_record_internal
