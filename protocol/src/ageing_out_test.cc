#include "onecard/protocol/ageing_out.h"

#include <gtest/gtest.h>

namespace onecard {
namespace {

CivilDate D(const char* text) { return *CivilDate::Parse(text); }

TEST(AgeingOut, ARecordClosesOnTheEighteenthBirthday) {
  EXPECT_EQ(ClosedOn("2008-06-15", D("2026-06-14")), std::nullopt);
  EXPECT_EQ(ClosedOn("2008-06-15", D("2026-06-15")), D("2026-06-15"));
  EXPECT_EQ(ClosedOn("2008-06-15", D("2030-01-01")), D("2026-06-15"));
  // Born on 29 February: 18 on 1 March of a common year.
  EXPECT_EQ(ClosedOn("2008-02-29", D("2026-02-28")), std::nullopt);
  EXPECT_EQ(ClosedOn("2008-02-29", D("2026-03-01")), D("2026-03-01"));
}

TEST(AgeingOut, AnUnreadableBirthDateNeverClosesARecord) {
  EXPECT_EQ(ClosedOn("", D("2026-06-15")), std::nullopt);
  EXPECT_EQ(ClosedOn("2008-13-01", D("2090-06-15")), std::nullopt);
}

TEST(AgeingOut, RetentionEndsTheGivenYearsAfterClosing) {
  EXPECT_EQ(RetentionEndsOn(D("2008-06-15"), 2), D("2028-06-15"));
  EXPECT_EQ(RetentionEndsOn(D("2008-06-15"), 0), D("2026-06-15"));
  EXPECT_EQ(RetentionEndsOn(D("2008-02-29"), 1), D("2027-03-01"));
  EXPECT_EQ(RetentionEndsOn(D("2008-02-29"), 2), D("2028-02-29"));
}

// The birth-date bound that finds due records agrees with RetentionEndsOn for every birth date
// around it, over leap and common years and every retention the administrator may set.
TEST(AgeingOut, TheLatestDueBirthAgreesWithRetentionEnds) {
  for (const char* today : {"2027-02-28", "2027-03-01", "2028-02-28", "2028-02-29", "2028-03-01",
                            "2026-12-31", "2027-01-01"}) {
    for (int years : {0, 1, 2, 3, kMaxRetentionYears}) {
      const CivilDate on = D(today);
      const CivilDate latest = LatestBirthDueForErasure(on, years);
      ASSERT_TRUE(latest.IsValid()) << today << " " << years;
      for (int64_t days = latest.ToDays() - 3; days <= latest.ToDays() + 3; ++days) {
        const CivilDate birth = CivilDate::FromDays(days);
        EXPECT_EQ(birth <= latest, RetentionEndsOn(birth, years) <= on)
            << "today " << today << ", " << years << " years, born " << birth.ToString();
      }
    }
  }
}

}  // namespace
}  // namespace onecard
