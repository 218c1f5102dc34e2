#include "onecard/protocol/civil_date.h"

#include <chrono>
#include <cstdio>

#include "onecard/protocol/i18n.h"

namespace onecard {
namespace {

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

}  // namespace

bool CivilDate::IsValid() const {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

Result<CivilDate> CivilDate::Parse(std::string_view text) {
  // Quote the text only when it is short printable ASCII: it may be any bytes.
  bool quotable = text.size() <= 40;
  for (char c : text) quotable = quotable && c >= 0x20 && c <= 0x7E;
  std::string quoted = quotable ? "\"" + std::string(text) + "\" " : "";
  auto bad = [&](const std::string& zh, const std::string& en) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("日期 " + quoted + zh, "the date " + quoted + en));
  };
  bool shape = text.size() == 10 && text[4] == '-' && text[7] == '-';
  for (size_t i = 0; shape && i < text.size(); ++i) {
    if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) shape = false;
  }
  if (!shape) return bad("格式不对，应为 YYYY-MM-DD", "is not in the form YYYY-MM-DD");
  auto number = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  CivilDate date{number(0, 4), number(5, 2), number(8, 2)};
  if (!date.IsValid()) return bad("不是真实存在的日期", "is not a real calendar date");
  return date;
}

CivilDate CivilDate::FromDays(std::int64_t days_since_epoch) {
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days_since_epoch}}};
  CivilDate date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                 static_cast<int>(static_cast<unsigned>(ymd.day()))};
  ONECARD_CHECK(date.IsValid());
  return date;
}

std::int64_t CivilDate::ToDays() const {
  ONECARD_CHECK(IsValid());
  std::chrono::year_month_day ymd{std::chrono::year{year},
                                  std::chrono::month{static_cast<unsigned>(month)},
                                  std::chrono::day{static_cast<unsigned>(day)}};
  return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

CivilDate CivilDate::TodayInChina(const platform::Clock& clock) {
  return InChinaAt(static_cast<std::uint64_t>(clock.WallMs()));
}

CivilDate CivilDate::InChinaAt(std::uint64_t unix_ms) {
  constexpr std::int64_t kMsPerDay = 24 * 60 * 60 * 1000;
  constexpr std::int64_t kChinaOffsetMs = 8 * 60 * 60 * 1000;  // UTC+8, no daylight saving
  return FromDays((static_cast<std::int64_t>(unix_ms) + kChinaOffsetMs) / kMsPerDay);
}

std::string CivilDate::ToString() const {
  ONECARD_CHECK(IsValid());
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", year, month, day);
  return buf;
}

int AgeInYears(CivilDate birth, CivilDate on) {
  int age = on.year - birth.year;
  if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) --age;
  return age;
}

CivilDate BirthdayAt(CivilDate birth, int years) {
  CivilDate d{birth.year + years, birth.month, birth.day};
  if (!d.IsValid()) d = CivilDate{d.year, 3, 1};
  return d;
}

int AgeInMonths(CivilDate birth, CivilDate on) {
  int months = (on.year - birth.year) * 12 + (on.month - birth.month);
  if (on.day < birth.day) --months;
  return months;
}

}  // namespace onecard
