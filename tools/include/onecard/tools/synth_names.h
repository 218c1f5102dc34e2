// Realistic Chinese names for the synthetic population.
//
// Surnames: the 100 most common family names in the order of the Ministry of Public Security's
// national name report for 2020 (公安部户政管理研究中心《二〇二〇年全国姓名报告》, February 2021:
// 王, 李, 张, 刘, 陈 first, together about 30% of the population). The shares are approximations
// (王 and 李 about 7%, 张 6.8%, 刘 5.4%, 陈 4.6%, then decreasing to about 0.1% at rank 100), good
// enough for the collision structure deduplication meets, not official figures.
// Given names: one or two characters from a few hundred characters common in the names of
// children born 2005–2025 (boy-leaning, girl-leaning, neutral lists written for this tool), and
// about 1% minority names written with the middle dot (阿依古丽·买买提).
//
// Not thread-safe only through the SynthRandom passed in; the tables are constants.
#pragma once

#include <string>

#include "onecard/tools/synth_random.h"

namespace onecard::synth {

// A family name drawn by frequency (UTF-8, one character).
std::u32string DrawSurname(SynthRandom& rng);
// A given name (1–2 characters) fitting `sex` ('M' / 'F').
std::u32string DrawGivenName(SynthRandom& rng, char sex);
// A minority-style full name with a middle dot ("阿依古丽·买买提"), for `sex`.
std::u32string DrawMinorityName(SynthRandom& rng, char sex);
// Characters common in names and in everyday text: the pool homophones and typos are drawn from.
const std::u32string& CommonNameCharacters();

std::string ToUtf8(const std::u32string& text);

}  // namespace onecard::synth
