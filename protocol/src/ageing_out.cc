#include "onecard/protocol/ageing_out.h"

namespace onecard {

CivilDate ClosesOn(CivilDate birth) { return BirthdayAt(birth, kClosingAge); }

std::optional<CivilDate> ClosedOn(std::string_view birth_date, CivilDate today) {
  Result<CivilDate> birth = CivilDate::Parse(birth_date);
  if (!birth.ok()) return std::nullopt;
  const CivilDate closes = ClosesOn(*birth);
  if (today < closes) return std::nullopt;
  return closes;
}

CivilDate RetentionEndsOn(CivilDate birth, int retention_years) {
  return BirthdayAt(birth, kClosingAge + retention_years);
}

CivilDate LatestBirthDueForErasure(CivilDate today, int retention_years) {
  // Born on the same month and day, N years earlier; a day that year lacks (29 February) falls
  // back to the month's last day (28 February), whose birthday has been reached too, while a
  // 29 February birth reaches it only on 1 March (BirthdayAt).
  CivilDate latest{today.year - kClosingAge - retention_years, today.month, today.day};
  while (!latest.IsValid() && latest.day > 28) --latest.day;
  return latest;
}

}  // namespace onecard
