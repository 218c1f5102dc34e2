// Test-only helper (included by *_test.cc files only): restores the process-wide language when a
// test that changes it ends.
#pragma once

#include "onecard/protocol/i18n.h"

namespace onecard::testing {

// Saves the current language on construction and sets it back on destruction.
class LanguageScope {
 public:
  LanguageScope() : saved_(CurrentLanguage()) {}
  ~LanguageScope() { SetLanguage(saved_); }
  LanguageScope(const LanguageScope&) = delete;
  LanguageScope& operator=(const LanguageScope&) = delete;

 private:
  Language saved_;
};

}  // namespace onecard::testing
