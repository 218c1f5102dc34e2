#include "onecard/protocol/card_serial.h"

namespace onecard {

constexpr size_t kSerialDigits = 16;

bool IsCardSerialText(std::string_view text) {
  if (text.size() != kSerialDigits) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

std::optional<std::string> NormalizeCardSerial(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
    out.push_back(c);
    if (out.size() > kSerialDigits) return std::nullopt;
  }
  if (!IsCardSerialText(out)) return std::nullopt;
  return out;
}

}  // namespace onecard
