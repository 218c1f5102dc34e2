#include "onecard/platform/i18n.h"

#include <atomic>
#include <cstdlib>
#include <string_view>

namespace onecard {
namespace {

Language FromEnvironment() {
  auto starts_with_en = [](const char* v) {
    return v != nullptr && std::string_view(v).starts_with("en");
  };
  if (const char* v = std::getenv("ONECARD_LANG"); v != nullptr && *v != '\0') {
    return starts_with_en(v) ? Language::kEn : Language::kZh;
  }
  if (starts_with_en(std::getenv("LC_ALL")) || starts_with_en(std::getenv("LANG")))
    return Language::kEn;
  return Language::kZh;
}

std::atomic<int>& LanguageSlot() {
  static std::atomic<int> slot{static_cast<int>(FromEnvironment())};
  return slot;
}

}  // namespace

Language CurrentLanguage() { return static_cast<Language>(LanguageSlot().load()); }
void SetLanguage(Language language) { LanguageSlot().store(static_cast<int>(language)); }

std::string Tr(const std::string& zh, const std::string& en) {
  return CurrentLanguage() == Language::kEn ? en : zh;
}

}  // namespace onecard
