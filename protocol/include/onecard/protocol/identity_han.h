// Han characters as identity resolution compares them: folded to the simplified form, with the
// toned pinyin of their common reading, and the "near sound" relation of pinyin syllables that
// input methods and dialect speakers confuse.
//
// Tables (shipped inside the library, see protocol/data/README.md):
//   pinyin_toned.tsv   first Unihan kMandarin reading of each BMP Han character, with its tone;
//   han_simplified.tsv Unihan kSimplifiedVariant (traditional → simplified).
// Pure functions; thread-safe (tables are parsed once, on first use; a malformed table is a build
// defect and aborts).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace onecard {

// The simplified form of `c` (張 → 张, 麗 → 丽); `c` itself when it has none.
char32_t SimplifiedHan(char32_t c);

// A traditional form of simplified `c` (the lowest code point folding to it: 发 → 發); `c` itself
// when none. Used by data generators; SimplifiedHan(TraditionalHan(c)) == c.
char32_t TraditionalHan(char32_t c);

// The common reading of a Han character: `syllable` is a toneless syllable id (1 ..
// PinyinSyllableCount(), 0 = no reading: not Han or not in the table), `tone` 1–4, 5 = neutral.
struct HanReading {
  std::uint16_t syllable = 0;
  std::uint8_t tone = 0;
};
// The reading of `c` after folding it to its simplified form.
HanReading ReadingOfHan(char32_t c);

// Number of distinct toneless syllables in the table; ids run from 1 to this.
std::size_t PinyinSyllableCount();
// The toneless text of a syllable id ("zhang"); empty for 0 or an unknown id.
std::string_view PinyinSyllableText(std::uint16_t syllable);

// True when two different syllables are confused in speech or typing ("fuzzy pinyin"): the
// initials z/zh, c/ch, s/sh, n/l, f/h, r/l; the finals an/ang, en/eng, in/ing, ian/iang, uan/uang;
// f + final / h + u-final (fan/huan, fei/hui); or the toneless spellings differ by one letter
// (inserted, deleted or replaced). False for equal
// syllables and for id 0.
bool NearPinyinSyllables(std::uint16_t a, std::uint16_t b);

}  // namespace onecard
