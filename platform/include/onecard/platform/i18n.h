// User-facing language selection. Simplified Chinese is the default; English is chosen with
// ONECARD_LANG=en (or a LANG/LC_ALL starting with "en" when ONECARD_LANG is unset).
//
// Every sentence shown to a person is written in both languages at the point where it is produced:
//   return Status(ErrorCode::kNotFound, Tr("找不到儿童 " + id, "no child " + id));
// Field names, codes and identifiers stay as they are in both languages.
#pragma once

#include <string>

namespace onecard {

enum class Language { kZh, kEn };

// The process-wide language; read from the environment on first use.
Language CurrentLanguage();
// Overrides the language (tests, --lang flags).
void SetLanguage(Language language);

// Returns `zh` or `en` according to CurrentLanguage().
std::string Tr(const std::string& zh, const std::string& en);

}  // namespace onecard
