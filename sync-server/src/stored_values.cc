#include "stored_values.h"

#include <algorithm>
#include <initializer_list>

#include "counts.h"
#include "onecard/protocol/area_codes.h"

namespace onecard::server {
namespace {

std::string OneOf(std::string_view text, std::initializer_list<std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), text) != allowed.end() ? std::string(text)
                                                                          : kUnknownValue;
}

}  // namespace

std::string StoredCategory(std::string_view text) {
  return OneOf(text, {"migrant", "left_behind", "other"});
}

std::string StoredSex(std::string_view text) { return OneOf(text, {"M", "F"}); }

std::string StoredSchoolStatus(std::string_view text) {
  return OneOf(text, {"enrolled", "not_enrolled", "dropped_out"});
}

std::string StoredAreaPrefix(std::string_view text, size_t digits) {
  if (text.size() != 6 || digits == 0 || digits > 6 || !IsKnownArea(text)) return kUnknownValue;
  return std::string(text.substr(0, digits));
}

std::string StoredAgeBand(std::string_view birth_text, CivilDate today) {
  Result<CivilDate> birth = CivilDate::Parse(birth_text);
  if (!birth.ok() || *birth > today) return kUnknownValue;
  return AgeBand(AgeInYears(*birth, today));
}

Result<ChildState> StoredChildState(std::string_view state_text) {
  // Parsed without exceptions: a text that is not JSON is a discarded value, which is no state.
  return ChildState::FromJson(
      nlohmann::json::parse(state_text, nullptr, /*allow_exceptions=*/false));
}

}  // namespace onecard::server
