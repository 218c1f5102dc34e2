// Code values shown in words on the terminal's screen: a table of codes (of a record field, of a
// referral service) with their words in each language.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace onecard::terminal {

struct CodeWord {
  const char* code;
  const char* zh;
  const char* en;
};

// The words of `code` in `words`, in the user's language; `code` itself when it has none.
std::string WordOf(std::span<const CodeWord> words, std::string_view code);

}  // namespace onecard::terminal
