#include "stored_values.h"

#include <algorithm>
#include <initializer_list>

#include "onecard/protocol/area_codes.h"

namespace onecard::server {
namespace {

std::string OneOf(std::string_view text, std::initializer_list<std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), text) != allowed.end() ? std::string(text)
                                                                          : kUnknownValue;
}

}  // namespace

std::string StoredSex(std::string_view text) { return OneOf(text, {"M", "F"}); }

std::string StoredAreaPrefix(std::string_view text, size_t digits) {
  if (text.size() != 6 || digits == 0 || digits > 6 || !IsKnownArea(text)) return kUnknownValue;
  return std::string(text.substr(0, digits));
}

Result<ChildState> StoredChildState(std::string_view state_text) {
  // Parsed without exceptions: a text that is not JSON is a discarded value, which is no state.
  return ChildState::FromJson(
      nlohmann::json::parse(state_text, nullptr, /*allow_exceptions=*/false));
}

std::string StoredCardSerial(std::string_view state_text) {
  if (state_text.empty()) return "";  // no stored child
  Result<ChildState> state = StoredChildState(state_text);
  if (!state.ok()) return "";
  const FieldValue* serial = state->Winner("card_serial");
  return serial != nullptr && serial->value.is_string() ? serial->value.get<std::string>() : "";
}

}  // namespace onecard::server
