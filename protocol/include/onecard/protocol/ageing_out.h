// Ageing out (PRODUCT.md section 13; docs/data-protection.md, "Ageing out"): at 18 a child leaves
// the programme. From the 18th birthday (China's calendar) the record is *closed*: counted in no
// statistics, refused for changes, shown to registrars only as closed. When the retention period
// the administrator set has passed after that birthday, the server erases the record with reason
// aged_out (erasure.h), and the erasure reaches every terminal through sync.
//
// Closing needs no event: every program decides it from the record's birth date and today, so
// a terminal that has been offline closes the record on the same day as the server.
//
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "onecard/protocol/civil_date.h"

namespace onecard {

inline constexpr int kClosingAge = 18;
// Years a closed record is kept before it is erased, unless the administrator sets otherwise.
inline constexpr int kDefaultRetentionYears = 2;
inline constexpr int kMaxRetentionYears = 30;

// The day the record of a child born on `birth` closes: the 18th birthday.
CivilDate ClosesOn(CivilDate birth);

// The day a record with birth date `birth_date` ("YYYY-MM-DD") closed, when it is closed on
// `today`; nullopt while it is open or when the date cannot be read (a record is never closed
// for want of a birth date).
std::optional<CivilDate> ClosedOn(std::string_view birth_date, CivilDate today);

// The day the retention of a record closed on `birth`'s 18th birthday ends (the day it is erased):
// `retention_years` after the 18th birthday.
CivilDate RetentionEndsOn(CivilDate birth, int retention_years);

// The latest birth date whose retention (`retention_years`) has ended by `today`: every record
// born on or before it is due for erasure, and none born after it (29 February handled as in
// BirthdayAt). Used to find due records by an index on birth dates.
CivilDate LatestBirthDueForErasure(CivilDate today, int retention_years);

}  // namespace onecard
