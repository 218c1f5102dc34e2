// Names for the second synthetic population (synth_second.h): Chinese surnames and given-name
// characters, and the ways a name changes when a different person registers the same child.
// Written independently of the first generator's tables (synth_names.cc), from public sources
// named in synth_second_names.cc and docs/identity-generators.md.
//
// Names are UTF-8; every character in these tables is a BMP Han character (three bytes).
// Pure functions over built-in tables; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "onecard/tools/synth_random.h"

namespace onecard::synth::second {

// Sound mergers of a dialect region, as bit flags (synth_second_names.cc names the sources).
enum DialectMerger : unsigned {
  kMergesNL = 1,         // n- and l- initials (南/兰)
  kMergesFH = 2,         // f- and h(u)- initials (福/湖, 飞/辉)
  kMergesRetroflex = 4,  // z/zh, c/ch, s/sh (子/志, 思/诗)
  kMergesNasal = 8,      // -n and -ng finals after e and i (欣/星, 晨/成)
};
// The mergers of the dialects spoken in the province of a six-digit area code.
unsigned DialectMergersOf(const std::string& area);

// True when a dialect with `mergers` pronounces toneless syllables `a` and `b` alike (a != b).
bool MergedInDialect(std::string_view a, std::string_view b, unsigned mergers);

std::string DrawSurname(SynthRandom& rng);
// One given-name character for a child born 2007–2025, by sex ('M' or 'F').
std::string DrawChildNameChar(SynthRandom& rng, char sex);
// A one- or two-character given name for a parent (born 1975–2000) or a grandparent.
std::string DrawAdultGivenName(SynthRandom& rng, char sex, bool grandparent);

// The characters of a UTF-8 string of three-byte characters.
std::vector<std::string> SplitHan(const std::string& text);

// Each variation rewrites `given` (the given name, without the surname) and returns true, or
// returns false leaving it unchanged when it does not apply to this name.
// A character replaced by another of the same toneless pinyin (a pinyin IME candidate list).
bool TypeHomophone(std::string& given, SynthRandom& rng);
// A character replaced by one whose syllable a dialect with `mergers` pronounces the same.
bool HearInDialect(std::string& given, unsigned mergers, SynthRandom& rng);
// Every character that has a traditional form written in it (surname included by the caller).
bool WriteTraditional(std::string& name);
// The nickname (小名/乳名) form: 小 + last character, or the last character doubled.
bool UseNickname(std::string& given, SynthRandom& rng);

}  // namespace onecard::synth::second
