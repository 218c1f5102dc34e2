// UTF-8 to code points and back, shared by name validation, pinyin search and identity
// resolution. Decoding is strict (RFC 3629): overlong forms, surrogates and anything above
// U+10FFFF are malformed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace onecard {

struct Utf8CodePoint {
  char32_t value = 0;   // 0 when malformed
  std::size_t length = 1;  // bytes consumed; 1 for a malformed byte, so decoding always advances
  bool valid = false;
};

// Decodes the code point that starts at text[pos]. Precondition: pos < text.size().
Utf8CodePoint DecodeUtf8At(std::string_view text, std::size_t pos);

// Every code point of `text`; nullopt when any part of it is malformed.
std::optional<std::u32string> DecodeUtf8Strict(std::string_view text);

// Every code point of `text`, each malformed byte as U+FFFD (never trusted further).
std::u32string DecodeUtf8Lenient(std::string_view text);

// Appends the UTF-8 encoding of `c` to `out`. Precondition: c <= 0x10FFFF.
void AppendUtf8(std::string& out, char32_t c);

}  // namespace onecard
