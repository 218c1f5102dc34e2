// Internal: validators for single values of the child record, each naming the field path in its
// errors. Used by child_record.cc; pure and thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/id_number.h"
#include "onecard/protocol/status.h"

namespace onecard::child_record_internal {

// What validation depends on besides the record itself.
struct Rules {
  CivilDate today;              // no date may be after it; ages are counted on it
  bool check_age_limit = true;  // the child must be 0–17 on `today`
};

// kInvalidArgument: Tr("字段 <path>：<zh>", "field <path>: <en>").
Status FieldError(std::string_view path, const std::string& zh, const std::string& en);
// FieldError saying the field is required.
Status MissingField(std::string_view path);

// "男"/"女" and "male"/"female" for 'M'/'F', for messages.
const char* SexLabelZh(char sex);
const char* SexLabelEn(char sex);

// "<parent>.<child>" and "<parent>[<index>]".
std::string Path(std::string_view parent, std::string_view child);
std::string Path(std::string_view parent, size_t index);
// A JSON key as it may appear in a message: at most 40 bytes, anything but printable ASCII as '?'.
std::string KeyLabel(std::string_view key);

// Checks the keys of a nested object against `allowed` (an unknown key is an error naming it) and
// `required`; returns a copy without the keys whose value is null.
Result<nlohmann::json> NestedObject(const nlohmann::json& value, std::string_view path,
                                    const std::vector<std::string_view>& allowed,
                                    const std::vector<std::string_view>& required);

// Type checks; the error names the expected JSON type.
Status ExpectObject(const nlohmann::json& value, std::string_view path);
Status ExpectArray(const nlohmann::json& value, std::string_view path);
// A string, trimmed of surrounding spaces (ASCII and U+3000).
Result<std::string> TrimmedString(const nlohmann::json& value, std::string_view path);
// An integer (1.0 is not an integer) within [min, max].
Result<std::int64_t> IntegerInRange(const nlohmann::json& value, std::string_view path,
                                    std::int64_t min, std::int64_t max);

// A string equal (after trimming) to one of `allowed`; the error lists the allowed values.
Result<std::string> OneOf(const nlohmann::json& value, std::string_view path,
                          const std::vector<std::string_view>& allowed);

// A "YYYY-MM-DD" date string that is a real date, not after `today` and not before `not_before`
// (pass CivilDate{} for no lower bound); `not_before_name` names that bound in the error.
Result<CivilDate> PastDate(const nlohmann::json& value, std::string_view path, CivilDate today,
                           CivilDate not_before = {}, std::string_view not_before_name = {});

// A person's name (person_name.h), normalised.
Result<std::string> PersonNameField(const nlohmann::json& value, std::string_view path);
// A citizen ID number (id_number.h), parsed.
Result<IdNumberInfo> IdNumberField(const nlohmann::json& value, std::string_view path);

// A six-digit code present in the shipped GB/T 2260 table.
Result<std::string> KnownAreaCode(const nlohmann::json& value, std::string_view path);

// A mainland phone number, normalised: mobile "13812345678" (spaces, hyphens and a +86 prefix
// removed) or fixed line "0527-81234567" (area code 010/02x or 0xxx, a local number of 7–8 digits
// not starting with 0 or 1; written with or without a separator after the area code).
Result<std::string> PhoneNumber(const nlohmann::json& value, std::string_view path);

// Ethnic group code of GB 3304: "01"–"56", "97" (other) or "98" (foreign-born naturalised).
Result<std::string> EthnicityCode(const nlohmann::json& value, std::string_view path);

}  // namespace onecard::child_record_internal
