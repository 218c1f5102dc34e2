#include "onecard/protocol/identity_han.h"

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "data_table.h"
#include "onecard/protocol/status.h"
#include "onecard/protocol/utf8.h"

namespace onecard {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

struct Tables {
  std::unordered_map<char32_t, HanReading> readings;
  std::unordered_map<char32_t, char32_t> simplified;
  std::unordered_map<char32_t, char32_t> traditional;
  std::vector<std::string> syllables;   // index = id; [0] is empty
  std::vector<std::vector<bool>> near;  // [a][b]
};

bool NearSpelling(std::string_view a, std::string_view b);

Tables BuildTables() {
  Tables t;
  // Toneless syllables get ids in sorted order, so ids do not depend on hash order.
  std::map<std::string, std::vector<std::pair<std::u32string, std::uint8_t>>> by_syllable;
  ForEachTableLine(DataTable("pinyin_toned.tsv"),
                   [&](std::string_view head, std::string_view chars) {
                     ONECARD_CHECK(head.size() >= 2);
                     char tone = head.back();
                     ONECARD_CHECK(tone >= '1' && tone <= '5');
                     by_syllable[std::string(head.substr(0, head.size() - 1))].emplace_back(
                         DecodeUtf8Lenient(chars), static_cast<std::uint8_t>(tone - '0'));
                   });
  t.syllables.emplace_back();
  for (const auto& [syllable, groups] : by_syllable) {
    auto id = static_cast<std::uint16_t>(t.syllables.size());
    t.syllables.push_back(syllable);
    for (const auto& [chars, tone] : groups) {
      for (char32_t c : chars) {
        ONECARD_CHECK(c != kReplacement);
        t.readings[c] = HanReading{id, tone};
      }
    }
  }
  ForEachTableLine(DataTable("han_simplified.tsv"),
                   [&](std::string_view trad, std::string_view simp) {
                     std::u32string from = DecodeUtf8Lenient(trad), to = DecodeUtf8Lenient(simp);
                     ONECARD_CHECK(from.size() == 1 && to.size() == 1);
                     t.simplified[from[0]] = to[0];
                     auto [it, inserted] = t.traditional.emplace(to[0], from[0]);
                     if (!inserted && from[0] < it->second) it->second = from[0];
                   });
  size_t n = t.syllables.size();
  t.near.assign(n, std::vector<bool>(n, false));
  for (size_t a = 1; a < n; ++a) {
    for (size_t b = a + 1; b < n; ++b) {
      if (NearSpelling(t.syllables[a], t.syllables[b])) t.near[a][b] = t.near[b][a] = true;
    }
  }
  return t;
}

const Tables& GetTables() {
  static const Tables tables = BuildTables();
  return tables;
}

// Splits a toneless syllable into initial and final ("zhang" → "zh", "ang"; "an" → "", "an").
std::pair<std::string_view, std::string_view> SplitSyllable(std::string_view s) {
  for (std::string_view two : {"zh", "ch", "sh"}) {
    if (s.substr(0, 2) == two) return {s.substr(0, 2), s.substr(2)};
  }
  if (!s.empty() && std::string_view("bpmfdtnlgkhjqxrzcsyw").find(s[0]) != std::string_view::npos) {
    return {s.substr(0, 1), s.substr(1)};
  }
  return {std::string_view(), s};
}

bool FuzzyPair(std::string_view a, std::string_view b,
               std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
  for (const auto& [x, y] : pairs) {
    if ((a == x && b == y) || (a == y && b == x)) return true;
  }
  return false;
}

bool OneEditApart(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size()) return a.substr(i + 1) == b.substr(i + 1);
  return a.substr(i) == b.substr(i + 1);
}

bool NearSpelling(std::string_view a, std::string_view b) {
  if (a == b) return false;
  if (OneEditApart(a, b)) return true;
  auto [ia, fa] = SplitSyllable(a);
  auto [ib, fb] = SplitSyllable(b);
  bool near_initial =
      ia == ib ||
      FuzzyPair(ia, ib,
                {{"z", "zh"}, {"c", "ch"}, {"s", "sh"}, {"n", "l"}, {"f", "h"}, {"r", "l"}});
  bool near_final =
      fa == fb ||
      FuzzyPair(fa, fb,
                {{"an", "ang"}, {"en", "eng"}, {"in", "ing"}, {"ian", "iang"}, {"uan", "uang"}});
  if (near_initial && near_final) return true;
  // Dialects that merge f and hu: fan/huan, fei/hui, fa/hua.
  bool f_h = FuzzyPair(ia, ib, {{"f", "h"}});
  return f_h && (fa == "u" + std::string(fb) || fb == "u" + std::string(fa) ||
                 (fa == "ei" && fb == "ui") || (fa == "ui" && fb == "ei"));
}

}  // namespace

char32_t SimplifiedHan(char32_t c) {
  const auto& map = GetTables().simplified;
  auto it = map.find(c);
  return it == map.end() ? c : it->second;
}

char32_t TraditionalHan(char32_t c) {
  const auto& map = GetTables().traditional;
  auto it = map.find(c);
  return it == map.end() ? c : it->second;
}

HanReading ReadingOfHan(char32_t c) {
  const auto& map = GetTables().readings;
  auto it = map.find(SimplifiedHan(c));
  if (it != map.end()) return it->second;
  it = map.find(c);
  return it == map.end() ? HanReading{} : it->second;
}

std::size_t PinyinSyllableCount() { return GetTables().syllables.size() - 1; }

std::string_view PinyinSyllableText(std::uint16_t syllable) {
  const auto& syllables = GetTables().syllables;
  return syllable < syllables.size() ? std::string_view(syllables[syllable]) : std::string_view();
}

bool NearPinyinSyllables(std::uint16_t a, std::uint16_t b) {
  const auto& near = GetTables().near;
  return a < near.size() && b < near.size() && near[a][b];
}

}  // namespace onecard
