#include "synth_second_dates.h"

#include <array>
#include <cstdint>

namespace onecard::synth::second {
namespace {

// Chinese New Year (first day of the first lunar month), Gregorian, 2007–2027. Source: Hong Kong
// Observatory, "Gregorian-Lunar Calendar Conversion Table" (hko.gov.hk/en/gts/time/conversion.htm),
// the public almanac for these years.
struct NewYear {
  int year, month, day;
};
constexpr std::array<NewYear, 21> kNewYears{{
    {2007, 2, 18}, {2008, 2, 7},  {2009, 1, 26}, {2010, 2, 14}, {2011, 2, 3},  {2012, 1, 23},
    {2013, 2, 10}, {2014, 1, 31}, {2015, 2, 19}, {2016, 2, 8},  {2017, 1, 28}, {2018, 2, 16},
    {2019, 2, 5},  {2020, 1, 25}, {2021, 2, 12}, {2022, 2, 1},  {2023, 1, 22}, {2024, 2, 10},
    {2025, 1, 29}, {2026, 2, 17}, {2027, 2, 6},
}};

// Month-length rule: a lunar month runs from one new moon to the next, 29.530589 days on average
// (the synodic month), so month m of a lunar year starts about (m - 1) × 29.53 days after New Year.
// Real months are 29 or 30 days by the actual new moons, and a leap month (7 of these 20 years
// have one) repeats a month number; we do not model leap months, so after one the month number
// is one too high, and the day may be one off: both are still the kind of date a family gives.
constexpr double kSynodicMonth = 29.530589;

// The keys around each digit on a phone's or a computer's numeric keypad (7 8 9 / 4 5 6 / 1 2 3 /
// 0 under 1–2).
constexpr std::array<std::string_view, 10> kNeighbourKeys{"12",    "2450", "13501", "256",  "1578",
                                                          "24689", "359",  "48",    "5790", "68"};

}  // namespace

std::optional<CivilDate> LunarAsGregorian(CivilDate date) {
  std::int64_t days = date.ToDays();
  for (std::size_t i = kNewYears.size() - 1; i-- > 0;) {
    CivilDate start{kNewYears[i].year, kNewYears[i].month, kNewYears[i].day};
    if (days < start.ToDays()) continue;
    CivilDate next{kNewYears[i + 1].year, kNewYears[i + 1].month, kNewYears[i + 1].day};
    if (days >= next.ToDays()) return std::nullopt;
    auto offset = static_cast<double>(days - start.ToDays());
    int month = static_cast<int>(offset / kSynodicMonth);
    int day = static_cast<int>(offset - month * kSynodicMonth) + 1;
    CivilDate lunar{start.year, month > 11 ? 12 : month + 1, day};
    if (!lunar.IsValid()) return std::nullopt;
    return lunar;
  }
  return std::nullopt;
}

std::optional<CivilDate> MistypeDate(CivilDate date, SynthRandom& rng, std::string& kind) {
  std::string text = date.ToString();
  // Digit positions of "YYYY-MM-DD", leaving the century ("20") alone: people do not mistype it.
  constexpr std::array<std::size_t, 6> kDigits{2, 3, 5, 6, 8, 9};
  std::size_t at = kDigits[rng.Below(kDigits.size())];
  if (rng.Chance(0.5)) {
    kind = "transposed";
    std::size_t next = at + 1 < text.size() && text[at + 1] != '-' ? at + 1 : at - 1;
    if (text[next] == '-' || text[at] == text[next]) return std::nullopt;
    std::swap(text[at], text[next]);
  } else {
    kind = "neighbour_key";
    std::string_view keys = kNeighbourKeys[static_cast<std::size_t>(text[at] - '0')];
    text[at] = keys[rng.Below(keys.size())];
  }
  Result<CivilDate> typed = CivilDate::Parse(text);
  if (!typed.ok()) return std::nullopt;
  return *typed;
}

std::optional<CivilDate> SwapDayMonth(CivilDate date) {
  CivilDate swapped{date.year, date.day, date.month};
  if (swapped == date || !swapped.IsValid()) return std::nullopt;
  return swapped;
}

}  // namespace onecard::synth::second
