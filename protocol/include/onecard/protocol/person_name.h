// Names of people (children, guardians, caregivers, the person giving consent).
//
// Rules (PRODUCT.md section 4): valid UTF-8, 1–50 characters (Unicode code points, after
// normalisation), made only of
//   * Han ideographs (CJK Unified Ideographs and extensions A–H, compatibility ideographs, 〇),
//   * Latin letters (ASCII and the accented letters of Latin-1 Supplement / Extended-A/B, e.g. ü),
//   * single spaces between two Latin letters ("Ayixiamu Tuerxun"),
//   * the middle dot "·" (U+00B7) between two letters, as in minority names ("阿依夏木·吐尔逊").
// Normalisation: leading/trailing spaces (ASCII and U+3000) are trimmed; runs of spaces between
// Latin words become one space; the look-alikes that input methods commonly produce for the middle
// dot — U+2027 (hyphenation point), U+30FB (katakana middle dot) and U+FF0E (fullwidth full stop) —
// become U+00B7. U+2022 (bullet) is not a middle dot and is refused.
//
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "onecard/protocol/status.h"

namespace onecard {

// Returns the normalised name, or kInvalidArgument whose message names `field`
// (Tr("字段 <field>：…", "field <field>: …")).
Result<std::string> NormalizePersonName(std::string_view name, std::string_view field);

// OK when NormalizePersonName succeeds.
Status ValidatePersonName(std::string_view name, std::string_view field);

// Free text written by people beside names (addresses, school names): valid UTF-8 without control
// characters, trimmed like names, then 1..max_chars code points. Returns the trimmed text or
// kInvalidArgument naming `field`.
Result<std::string> NormalizeFreeText(std::string_view text, std::string_view field,
                                      size_t max_chars);

}  // namespace onecard
