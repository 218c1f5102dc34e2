// Birth dates as people give them, for the second synthetic population (synth_second.h): a lunar
// birthday written down as if it were a Gregorian date, and the slips of typing a date.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "onecard/protocol/civil_date.h"
#include "onecard/tools/synth_random.h"

namespace onecard::synth::second {

// The Chinese (lunar) calendar date of `date` written with Gregorian numbers: year of the lunar
// year, lunar month, lunar day (2012-04-24, lunar 2012 fourth month, fourth day → 2012-04-04;
// 2012-01-10, before that year's New Year → 2011-12-17).
// nullopt outside the table (dates before Chinese New Year 2007 or from Chinese New Year 2027) or
// when the numbers are not a real Gregorian date (lunar day 30 of the second month).
// Approximate, see synth_second_dates.cc: the day may be one off, the month one off after a leap
// month.
std::optional<CivilDate> LunarAsGregorian(CivilDate date);

// A slip typing "YYYY-MM-DD": two adjacent digits swapped, when they differ (kind "transposed"),
// or one digit replaced by a neighbouring key of the numeric keypad (kind "neighbour_key").
// nullopt when the result is not a real date. `kind` is set to the slip made.
std::optional<CivilDate> MistypeDate(CivilDate date, SynthRandom& rng, std::string& kind);

// Day and month exchanged (2015-03-07 → 2015-07-03); nullopt when equal or not a real date.
std::optional<CivilDate> SwapDayMonth(CivilDate date);

}  // namespace onecard::synth::second
