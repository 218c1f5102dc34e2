#include "onecard/protocol/pinyin.h"

#include <algorithm>
#include <unordered_map>

#include "data_table.h"
#include "onecard/protocol/status.h"
#include "onecard/protocol/utf8.h"

namespace onecard {

namespace {

constexpr std::string_view kTableFile = "pinyin.tsv";
constexpr char32_t kMiddleDots[] = {0x00B7, 0x30FB, 0x2022, 0x2027, 0xFF65};

// Decodes one UTF-8 code point from `text` at `*pos`, advancing it. Malformed bytes decode to 0
// and advance by one.
char32_t NextCodePoint(std::string_view text, size_t* pos) {
  const Utf8CodePoint c = DecodeUtf8At(text, *pos);
  *pos += c.length;
  return c.value;
}

using ReadingTable = std::unordered_map<char32_t, std::vector<std::string>>;

// The table is data built into the binary: a malformed line is a build defect, so it aborts.
ReadingTable ParseTable() {
  ReadingTable table;
  std::vector<std::pair<char32_t, std::string>> surnames;
  ForEachTableLine(DataTable(kTableFile), [&](std::string_view head, std::string_view rest) {
    if (head == "surname") {
      size_t tab2 = rest.find('\t');
      ONECARD_CHECK(tab2 != std::string_view::npos);
      size_t pos = 0;
      char32_t c = NextCodePoint(rest, &pos);
      ONECARD_CHECK(c != 0 && pos == tab2);
      surnames.emplace_back(c, std::string(rest.substr(tab2 + 1)));
      return;
    }
    std::string syllable(head);
    for (size_t pos = 0; pos < rest.size();) {
      char32_t c = NextCodePoint(rest, &pos);
      ONECARD_CHECK(c != 0);
      table[c].push_back(syllable);
    }
  });
  for (auto& [c, syllable] : surnames) {
    std::vector<std::string>& readings = table[c];
    if (std::find(readings.begin(), readings.end(), syllable) == readings.end())
      readings.push_back(std::move(syllable));
  }
  return table;
}

const ReadingTable& Table() {
  static const ReadingTable table = ParseTable();
  return table;
}

bool IsMiddleDot(char32_t c) {
  return std::find(std::begin(kMiddleDots), std::end(kMiddleDots), c) != std::end(kMiddleDots);
}
bool IsLatinLetter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// Characters of the Han form of a name and of a query: CJK and beyond, without the ideographic
// space and the middle dots.
bool IsHanFormCharacter(char32_t c) { return c >= 0x2E80 && c != 0x3000 && !IsMiddleDot(c); }
char LowerLatin(char32_t c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); }

// A name as a sequence of units: a Han character's readings, or a Latin word.
struct Unit {
  std::vector<std::string> readings;
};

std::vector<Unit> Units(std::string_view name, std::string* han_form) {
  std::vector<Unit> units;
  std::string word;
  auto end_word = [&] {
    if (!word.empty()) units.push_back(Unit{{word}});
    word.clear();
  };
  for (size_t pos = 0; pos < name.size();) {
    char32_t c = NextCodePoint(name, &pos);
    if (IsLatinLetter(c)) {
      word.push_back(LowerLatin(c));
      if (han_form) han_form->push_back(LowerLatin(c));
      continue;
    }
    if (c == 0x00FC || c == 0x00DC) {  // ü Ü
      word.push_back('v');
      if (han_form) han_form->push_back('v');
      continue;
    }
    end_word();
    const std::vector<std::string>& readings = PinyinReadings(c);
    if (!readings.empty()) units.push_back(Unit{readings});
    if (han_form && IsHanFormCharacter(c)) AppendUtf8(*han_form, c);
  }
  end_word();
  return units;
}

}  // namespace

const std::vector<std::string>& PinyinReadings(char32_t c) {
  static const std::vector<std::string> kNone;
  auto it = Table().find(c);
  return it == Table().end() ? kNone : it->second;
}

std::string NamePinyin(std::string_view name) {
  std::string out;
  for (const Unit& u : Units(name, nullptr)) {
    if (!out.empty()) out.push_back(' ');
    out += u.readings.front();
  }
  return out;
}

std::vector<std::string> NameSearchKeys(std::string_view name) {
  std::string han;
  std::vector<Unit> units = Units(name, &han);
  std::vector<std::string> keys;
  // Han form: a suffix at every character (a substring of the name is a prefix of one of them).
  bool has_han = std::any_of(han.begin(), han.end(),
                             [](char b) { return (static_cast<unsigned char>(b) & 0x80) != 0; });
  if (has_han) {
    for (size_t pos = 0; pos < han.size();) {
      keys.push_back(han.substr(pos));
      NextCodePoint(han, &pos);
    }
  }
  // Pinyin letters: a suffix at every unit boundary, for each reading of the first unit.
  if (!units.empty()) {
    std::string tail;  // the common readings of units 1..n-1
    std::vector<std::string> tails;
    for (size_t i = units.size(); i-- > 1;) {
      tail = units[i].readings.front() + tail;
      tails.push_back(tail);
    }
    keys.insert(keys.end(), tails.begin(), tails.end());
    for (const std::string& first : units[0].readings) keys.push_back(first + tail);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::string NormalizeNameQuery(std::string_view query) {
  std::string out;
  for (size_t pos = 0; pos < query.size();) {
    char32_t c = NextCodePoint(query, &pos);
    if (IsLatinLetter(c)) {
      char lower = LowerLatin(c);
      // "u:" is a common way to type ü.
      if (lower == 'u' && pos < query.size() && query[pos] == ':') {
        out.push_back('v');
        ++pos;
        continue;
      }
      out.push_back(lower);
    } else if (c == 0x00FC || c == 0x00DC) {
      out.push_back('v');
    } else if (IsHanFormCharacter(c)) {
      AppendUtf8(out, c);
    }
    // Spaces, apostrophes, middle dots, digits, punctuation and malformed bytes are dropped.
  }
  return out;
}

}  // namespace onecard
