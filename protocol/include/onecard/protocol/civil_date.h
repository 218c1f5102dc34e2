// CivilDate: a calendar date with no time zone (birth dates, consent and vaccination dates).
//
// Pure value type, thread-safe to copy. Dates are proleptic Gregorian; the canonical text form is
// "YYYY-MM-DD" (ISO 8601 calendar date, four-digit year 0001–9999).
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"

namespace onecard {

struct CivilDate {
  int year = 0, month = 0, day = 0;

  // Strict "YYYY-MM-DD": exactly ten characters, ASCII digits, and a real calendar date
  // (2023-02-29 is refused). Errors are kInvalidArgument; the message quotes the text but names no
  // field (callers prefix the field).
  static Result<CivilDate> Parse(std::string_view text);
  // The current date in China (UTC+8, no daylight saving) by `clock`: the one place where OneCard
  // decides what "today" is (registration checks, reports, the terminal's due lists).
  static CivilDate TodayInChina(const platform::Clock& clock);
  // The date in China (UTC+8) at Unix time `unix_ms`. Precondition: a time in years 1–9999.
  static CivilDate InChinaAt(std::uint64_t unix_ms);
  // Days since 1970-01-01 and back. Precondition for FromDays: the result lies in years 1–9999.
  static CivilDate FromDays(std::int64_t days_since_epoch);
  std::int64_t ToDays() const;

  // True when year/month/day form a real date in years 1–9999.
  bool IsValid() const;
  // "YYYY-MM-DD". Precondition: IsValid().
  std::string ToString() const;

  auto operator<=>(const CivilDate&) const = default;
};

// Completed years of age on `on` (0 when `on` is before the first birthday, negative when `on` is
// before `birth`). A 29 February birthday is reached on 1 March in common years.
int AgeInYears(CivilDate birth, CivilDate on);
// Completed months of age on `on` (negative when `on` is before `birth`). A month-day the month
// lacks (the 31st, 29–30 February) is reached on the 1st of the next month, as in AgeInYears.
int AgeInMonths(CivilDate birth, CivilDate on);
// The day a person born on `birth` reaches `years` of age, as AgeInYears counts it (a 29 February
// birthday on 1 March in common years). Precondition: the result lies in years 1–9999.
CivilDate BirthdayAt(CivilDate birth, int years);

}  // namespace onecard
