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
  char32_t value = 0;      // 0 when malformed
  std::size_t length = 1;  // bytes consumed; 1 for a malformed byte, so decoding always advances
  bool valid = false;
};

// Decodes the code point that starts at text[pos]. Precondition: pos < text.size().
Utf8CodePoint DecodeUtf8At(std::string_view text, std::size_t pos);

// Every code point of `text`; nullopt when any part of it is malformed.
std::optional<std::u32string> DecodeUtf8Strict(std::string_view text);

// Every code point of `text`, each malformed byte as U+FFFD (never trusted further).
std::u32string DecodeUtf8Lenient(std::string_view text);

// `text` made safe to show and to send as a protobuf string (which must be UTF-8): valid code
// points are kept, each malformed byte becomes the four characters "\xNN" (uppercase hex). For
// messages that quote untrusted bytes, e.g. the JSON parser's "last read" text.
std::string EscapeMalformedUtf8(std::string_view text);

// Appends the UTF-8 encoding of `c` to `out`. Precondition: c <= 0x10FFFF.
void AppendUtf8(std::string& out, char32_t c);

}  // namespace onecard
