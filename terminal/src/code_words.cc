#include "code_words.h"

#include "onecard/protocol/i18n.h"

namespace onecard::terminal {

std::string WordOf(std::span<const CodeWord> words, std::string_view code) {
  for (const CodeWord& w : words) {
    if (code == w.code) return Tr(w.zh, w.en);
  }
  return std::string(code);
}

}  // namespace onecard::terminal
