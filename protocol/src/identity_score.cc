#include "onecard/protocol/identity_score.h"

#include <algorithm>
#include <string_view>

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/identity_han.h"

namespace onecard {
namespace {

enum class NameLevel { kSame, kTonedHomophone, kHomophone, kNearSound, kOneDiffers, kDiffers };

struct NameComparison {
  NameLevel level = NameLevel::kDiffers;
  bool traditional = false;  // a character matched only after folding a traditional form
};

bool HasReading(const IdentityNameUnit& u) { return u.syllable != 0; }

NameComparison CompareNames(const IdentityName& a, const IdentityName& b) {
  NameComparison out;
  if (a.size() == b.size()) {
    int toned = 0, toneless = 0, near = 0, differ = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      const IdentityNameUnit& x = a[i];
      const IdentityNameUnit& y = b[i];
      if (x.han == y.han) {
        if (x.folded != y.folded) out.traditional = true;
      } else if (HasReading(x) && x.syllable == y.syllable) {
        (x.tone == y.tone ? toned : toneless)++;
      } else if (NearPinyinSyllables(x.syllable, y.syllable)) {
        ++near;
      } else {
        ++differ;
      }
    }
    if (differ == 0 && near == 0) {
      out.level = toneless > 0 ? NameLevel::kHomophone
                  : toned > 0  ? NameLevel::kTonedHomophone
                               : NameLevel::kSame;
    } else if (differ == 0 && near == 1) {
      out.level = NameLevel::kNearSound;
    } else if (differ == 1 && near == 0) {
      out.level = NameLevel::kOneDiffers;
    }
    return out;
  }
  const IdentityName& shorter = a.size() < b.size() ? a : b;
  const IdentityName& longer = a.size() < b.size() ? b : a;
  if (longer.size() - shorter.size() != 1 || shorter.empty()) return out;
  size_t i = 0;
  while (i < shorter.size() && shorter[i].han == longer[i].han) ++i;
  bool rest_equal = std::equal(shorter.begin() + static_cast<std::ptrdiff_t>(i), shorter.end(),
                               longer.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                               [](const auto& x, const auto& y) { return x.han == y.han; });
  if (rest_equal) out.level = NameLevel::kOneDiffers;
  return out;
}

// Same person's name for guardians: same characters or the same pinyin.
bool GuardianNamesAgree(const IdentityName& a, const IdentityName& b) {
  NameLevel level = CompareNames(a, b).level;
  return level == NameLevel::kSame || level == NameLevel::kTonedHomophone ||
         level == NameLevel::kHomophone;
}

// One finding of a comparison: `points` towards the score (negative: against) and its reason.
void Weigh(IdentityMatch& m, double points, uint32_t reason) {
  m.score += points;
  m.reasons |= reason;
}

int DigitsDiffering(CivilDate a, CivilDate b) {
  int values_a[] = {a.year, a.month, a.day}, values_b[] = {b.year, b.month, b.day};
  int widths[] = {4, 2, 2};
  int count = 0;
  for (int f = 0; f < 3; ++f) {
    int x = values_a[f], y = values_b[f];
    for (int d = 0; d < widths[f]; ++d, x /= 10, y /= 10) count += (x % 10) != (y % 10);
  }
  return count;
}

void ScoreName(const IdentityRecord& a, const IdentityRecord& b, IdentityMatch& m) {
  NameComparison name = CompareNames(a.name, b.name);
  if (name.traditional) m.reasons |= kReasonNameTraditionalForm;
  switch (name.level) {
    case NameLevel::kSame:
      Weigh(m, 8, kReasonNameSame);
      break;
    case NameLevel::kTonedHomophone:
      Weigh(m, 6, kReasonNameTonedHomophone);
      break;
    case NameLevel::kHomophone:
      Weigh(m, 5, kReasonNameHomophone);
      break;
    case NameLevel::kNearSound:
      Weigh(m, 4.5, kReasonNameNearSound);
      break;
    case NameLevel::kOneDiffers:
      m.automatic_allowed = false;
      m.reasons |= kReasonNameOneCharacterDiffers;
      break;
    case NameLevel::kDiffers:
      Weigh(m, -10, kReasonNameDiffers);
      break;
  }
}

void ScoreBirth(const IdentityRecord& a, const IdentityRecord& b, IdentityMatch& m) {
  const CivilDate& x = a.birth_date;
  const CivilDate& y = b.birth_date;
  if (x == y) {
    Weigh(m, 5, kReasonBirthSame);
  } else if (x.year == y.year && x.month == y.day && x.day == y.month) {
    Weigh(m, 3, kReasonBirthDayMonthSwapped);
  } else if (DigitsDiffering(x, y) == 1) {
    Weigh(m, 2.5, kReasonBirthOneDigit);
  } else {
    Weigh(m, -10, kReasonBirthDiffers);
  }
}

// A six-digit code's significant prefix: 2 (province), 4 (prefecture) or 6 digits.
std::string_view Significant(std::string_view code) {
  if (code.size() != 6) return code;
  if (code.substr(2) == "0000") return code.substr(0, 2);
  if (code.substr(4) == "00") return code.substr(0, 4);
  return code;
}

void ScoreHukou(const IdentityRecord& a, const IdentityRecord& b, IdentityMatch& m) {
  std::string_view x = Significant(a.hukou_area), y = Significant(b.hukou_area);
  if (x == y) {
    Weigh(m, 2, kReasonHukouSame);
  } else if (x.substr(0, std::min(x.size(), y.size())) ==
             y.substr(0, std::min(x.size(), y.size()))) {
    Weigh(m, 1.5, kReasonHukouNear);
  } else if (x.substr(0, 4) == y.substr(0, 4)) {
    Weigh(m, 1, kReasonHukouNear);
  } else if (x.substr(0, 2) != y.substr(0, 2)) {
    Weigh(m, -4, kReasonHukouOtherProvince);
  }
}

void ScoreGuardians(const IdentityRecord& a, const IdentityRecord& b, IdentityMatch& m) {
  double sum = 0;
  for (const IdentityGuardian& ga : a.guardians) {
    bool parent =
        ga.relation == GuardianRelation::kFather || ga.relation == GuardianRelation::kMother;
    for (const IdentityGuardian& gb : b.guardians) {
      if (parent ? gb.relation != ga.relation : !GuardianNamesAgree(ga.name, gb.name)) continue;
      if (!ga.id_number.empty() && ga.id_number == gb.id_number) {
        sum += 6;
        m.reasons |= kReasonGuardianIdSame;
      } else if (!ga.id_number.empty() && !gb.id_number.empty()) {
        sum -= 6;
        m.reasons |= kReasonGuardianDiffers;
      } else if (GuardianNamesAgree(ga.name, gb.name)) {
        sum += 4;
        m.reasons |= kReasonGuardianNameSame;
      } else {
        sum -= 5;
        m.reasons |= kReasonGuardianDiffers;
      }
      break;
    }
  }
  m.score += std::clamp(sum, -10.0, 6.0);
}

}  // namespace

IdentityMatch ScoreIdentityPair(const IdentityRecord& a, const IdentityRecord& b) {
  IdentityMatch m;
  if (!a.id_number.empty() && !b.id_number.empty()) {
    if (a.id_number == b.id_number) {
      Weigh(m, 20, kReasonSameIdNumber);
    } else {
      Weigh(m, -20, kReasonIdNumbersDiffer);
    }
  }
  if (!a.card_serial.empty() && a.card_serial == b.card_serial) {
    Weigh(m, 20, kReasonSameCardSerial);
  }
  ScoreName(a, b, m);
  ScoreBirth(a, b, m);
  if (a.sex != b.sex) {
    Weigh(m, -8, kReasonSexDiffers);
  } else {
    m.score += 1;
  }
  ScoreHukou(a, b, m);
  ScoreGuardians(a, b, m);
  return m;
}

std::string DescribeIdentityReasons(std::uint32_t reasons) {
  struct Text {
    IdentityReason reason;
    const char* zh;
    const char* en;
  };
  static const Text kTexts[] = {
      {kReasonSameIdNumber, "身份证号相同", "same citizen ID number"},
      {kReasonSameCardSerial, "卡号相同", "same card serial"},
      {kReasonNameSame, "姓名相同", "same name"},
      {kReasonNameTraditionalForm, "姓名繁简不同", "name in traditional and simplified forms"},
      {kReasonNameTonedHomophone, "姓名同音同调", "name sounds the same, same tones"},
      {kReasonNameHomophone, "姓名同音", "name sounds the same"},
      {kReasonNameNearSound, "姓名一字音近", "one character of the name sounds alike"},
      {kReasonNameOneCharacterDiffers, "姓名一字不同", "one character of the name differs"},
      {kReasonNameDiffers, "姓名不同", "names differ"},
      {kReasonBirthSame, "出生日期相同", "same birth date"},
      {kReasonBirthDayMonthSwapped, "出生日期月日颠倒", "birth date with day and month swapped"},
      {kReasonBirthOneDigit, "出生日期一位数字不同", "birth date differs in one digit"},
      {kReasonBirthDiffers, "出生日期不同", "birth dates differ"},
      {kReasonSexDiffers, "性别不同", "sex differs"},
      {kReasonHukouSame, "户籍地相同", "same hukou area"},
      {kReasonHukouNear, "户籍地相近", "hukou areas in the same prefecture"},
      {kReasonHukouOtherProvince, "户籍地不在同一省", "hukou areas in different provinces"},
      {kReasonIdNumbersDiffer, "身份证号不同", "citizen ID numbers differ"},
      {kReasonGuardianIdSame, "监护人身份证号相同", "same guardian ID number"},
      {kReasonGuardianNameSame, "监护人姓名相同", "same guardian name"},
      {kReasonGuardianDiffers, "监护人不同", "guardians differ"},
      {kReasonConflictingIdNumbers, "合并将连接两个不同身份证号",
       "a link would join two different ID numbers"},
      {kReasonNoOtherChildThatDay, "家中无同日出生、姓名相近的其他孩子",
       "no other child of the family born that day with a close name"},
  };
  std::string out;
  bool zh = CurrentLanguage() == Language::kZh;
  for (const Text& t : kTexts) {
    if (!(reasons & t.reason)) continue;
    if (!out.empty()) out += zh ? "；" : "; ";
    out += zh ? t.zh : t.en;
  }
  return out;
}

}  // namespace onecard
