// Citizen ID numbers (公民身份号码, GB 11643-1999): 18 characters,
//   area (6 digits, GB/T 2260 code of first registration) + birth date (8 digits, YYYYMMDD)
//   + sequence (3 digits; odd = male, even = female) + check character (ISO 7064 MOD 11-2, 0–9 or
//   X).
//
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/status.h"

namespace onecard {

struct IdNumberInfo {
  std::string number;  // the normalised ID number (a lowercase check 'x' becomes 'X')
  std::string area;    // first six digits; may be an abolished code, only its province is checked
  CivilDate birth_date;
  char sex = 'M';  // 'M' or 'F'
};

// Parses and checks an ID number: 18 characters, 17 digits then a digit or X/x, a valid province
// prefix (see IsIdNumberProvince), a real birth date from 1800 on, and the MOD 11-2 check
// character. Errors are kInvalidArgument, naming what is wrong but no field (callers prefix the
// field).
Result<IdNumberInfo> ParseIdNumber(std::string_view id);

// The MOD 11-2 check character ('0'–'9' or 'X') for the first 17 digits.
// Precondition: `first17` is 17 ASCII digits.
char IdNumberCheckChar(std::string_view first17);

// Builds a valid ID number (tests, data generators). Preconditions: `area6` is six ASCII digits,
// `birth` is valid, 0 <= sequence3 <= 999 (odd = male).
std::string MakeIdNumber(std::string_view area6, CivilDate birth, int sequence3);

// True for the two-digit province prefixes GB 11643 numbers may carry: 11–15, 21–23, 31–37, 41–46,
// 50–54, 61–65, 71, 81, 82.
bool IsIdNumberProvince(std::string_view two_digits);

}  // namespace onecard
