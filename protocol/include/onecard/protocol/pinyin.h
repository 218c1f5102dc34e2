// Toneless pinyin of Han characters and the search keys of person names, so that a child is found
// by its name in Han characters or in pinyin typed in Latin letters ("王小明", "wang xiaoming",
// "wangxiaoming", "xiaoming", "小明").
//
// Readings come from protocol/data/pinyin.tsv (Unihan kMandarin, see protocol/data/README.md): one
// reading per character (its first kMandarin value), plus family-name readings of a few
// characters (单 shan, 曾 zeng, 解 xie, ...) used for a name's first character. 'ü' is written 'v'.
//
// Pure; thread-safe (the table is parsed once, on first use). Malformed UTF-8 in a query is
// skipped, never trusted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace onecard {

// The readings of one character (code point): first the common one, then family-name readings;
// empty when the character has none (not Han, or not in the table).
const std::vector<std::string>& PinyinReadings(char32_t c);

// The normalised pinyin of a name: lowercase syllables separated by one space, Han characters
// replaced by their common reading, Latin letters kept (lowercased), everything else a separator.
// "王小明" -> "wang xiao ming"; "阿依古丽·买买提" -> "a yi gu li mai mai ti"; "Ayla Li" -> "ayla
// li".
std::string NamePinyin(std::string_view name);

// The keys under which a name is found (see NormalizeNameQuery): every suffix of the Han form
// (the name without spaces and middle dots) starting at a character, and every suffix of the
// pinyin letters starting at a syllable or word boundary, for the common reading and for the
// family-name readings of the first character. Sorted, without duplicates.
std::vector<std::string> NameSearchKeys(std::string_view name);

// A query in the form the keys are: Han text without spaces and middle dots; Latin text
// lowercased with everything but letters removed ('ü' and "u:" become 'v'). A query matches a
// name when it is a prefix of one of the name's keys. Empty when nothing searchable remains.
std::string NormalizeNameQuery(std::string_view query);

}  // namespace onecard
