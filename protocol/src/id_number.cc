#include "onecard/protocol/id_number.h"

#include <cstdio>

#include "onecard/protocol/i18n.h"

namespace onecard {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Status Invalid(const std::string& zh, const std::string& en) {
  return Status(ErrorCode::kInvalidArgument, Tr("身份证号" + zh, "ID number " + en));
}

}  // namespace

bool IsIdNumberProvince(std::string_view two_digits) {
  if (two_digits.size() != 2 || !AllDigits(two_digits)) return false;
  int p = (two_digits[0] - '0') * 10 + (two_digits[1] - '0');
  return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
         (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
         p == 81 || p == 82;
}

char IdNumberCheckChar(std::string_view first17) {
  ONECARD_CHECK(first17.size() == 17 && AllDigits(first17));
  // Weight of position i (counted from the left, 0-based) is 2^(17 - i) mod 11.
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[static_cast<size_t>(i)] - '0') * kWeights[i];
  int check = (12 - sum % 11) % 11;
  return check == 10 ? 'X' : static_cast<char>('0' + check);
}

Result<IdNumberInfo> ParseIdNumber(std::string_view id) {
  if (id.size() != 18) {
    return Invalid("应为 18 位，实际为 " + std::to_string(id.size()) + " 位",
                   "must have 18 characters, not " + std::to_string(id.size()));
  }
  std::string number(id);
  if (number[17] == 'x') number[17] = 'X';
  std::string_view first17 = std::string_view(number).substr(0, 17);
  char last = number[17];
  if (!AllDigits(first17) || !((last >= '0' && last <= '9') || last == 'X')) {
    return Invalid("只能包含数字，最后一位可以是 X",
                   "may hold only digits, and X as the last character");
  }
  if (!IsIdNumberProvince(first17.substr(0, 2))) {
    return Invalid(
        "前两位 " + std::string(first17.substr(0, 2)) + " 不是有效的省级代码",
        "starts with " + std::string(first17.substr(0, 2)) + ", which is not a province code");
  }
  std::string date_text =
      number.substr(6, 4) + "-" + number.substr(10, 2) + "-" + number.substr(12, 2);
  auto birth = CivilDate::Parse(date_text);
  if (!birth.ok() || birth->year < 1800) {
    return Invalid("中的出生日期 " + date_text + " 不是真实日期",
                   "holds the birth date " + date_text + ", which is not a real date");
  }
  char expected = IdNumberCheckChar(first17);
  if (expected != last) {
    return Invalid("校验位错误（号码有误）",
                   "has a wrong check character (the number is mistyped)");
  }
  IdNumberInfo info;
  info.area = number.substr(0, 6);
  info.birth_date = *birth;
  info.sex = (number[16] - '0') % 2 == 1 ? 'M' : 'F';
  info.number = std::move(number);
  return info;
}

std::string MakeIdNumber(std::string_view area6, CivilDate birth, int sequence3) {
  ONECARD_CHECK(area6.size() == 6 && AllDigits(area6));
  ONECARD_CHECK(birth.IsValid() && sequence3 >= 0 && sequence3 <= 999);
  char body[32];
  std::snprintf(body, sizeof(body), "%.6s%04d%02d%02d%03d", area6.data(), birth.year, birth.month,
                birth.day, sequence3);
  std::string id(body);
  id.push_back(IdNumberCheckChar(id));
  return id;
}

}  // namespace onecard
