#include "onecard/protocol/nip_vaccines.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace onecard {
namespace {

TEST(NipVaccines, EveryVaccineHasOneCodeAndBothNames) {
  std::set<std::string_view> codes;
  for (const NipVaccine& v : NipVaccines()) {
    EXPECT_TRUE(codes.insert(v.code).second) << v.code << " is listed twice";
    EXPECT_FALSE(v.zh.empty()) << v.code;
    EXPECT_FALSE(v.en.empty()) << v.code;
  }
  EXPECT_EQ(codes.size(), 13u);
}

TEST(NipVaccines, FindsByCode) {
  const NipVaccine* mpsv = FindNipVaccine("MPSV-AC");
  ASSERT_NE(mpsv, nullptr);
  EXPECT_EQ(mpsv->zh, "A群C群流脑多糖疫苗");
  EXPECT_EQ(mpsv->en, "meningococcal A+C polysaccharide");
  EXPECT_EQ(FindNipVaccine("COVID"), nullptr);
  EXPECT_EQ(FindNipVaccine("hepb"), nullptr);  // codes are exact
}

}  // namespace
}  // namespace onecard
