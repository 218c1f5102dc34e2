// Coverage over a real store (coverage.h): estimates set and checked, and registered children
// against them, published as counts publishes them.
#include "coverage.h"

#include <gtest/gtest.h>

#include <cmath>

#include "onecard/server/report_store.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

CoverageEstimate Estimate(const std::string& area, const std::string& category, int64_t n) {
  return {area, category, n, "第七次全国人口普查", 2020, "admin", ""};
}

TEST(CoverageEstimateTest, AreasAreWrittenAsThePrefixesCountsTake) {
  CoverageEstimate e = Estimate("440300", "migrant", 100);
  ASSERT_TRUE(CheckCoverageEstimate(e).ok());
  EXPECT_EQ(e.area, "4403");
  e.area = "440000";
  ASSERT_TRUE(CheckCoverageEstimate(e).ok());
  EXPECT_EQ(e.area, "44");
  e.area = "440306";
  ASSERT_TRUE(CheckCoverageEstimate(e).ok());
  EXPECT_EQ(e.area, "440306");
}

TEST(CoverageEstimateTest, BadEstimatesAreRefusedNamingTheFlag) {
  const auto refusal = [](CoverageEstimate e) {
    Status s = CheckCoverageEstimate(e);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
    return s.message();
  };
  EXPECT_NE(refusal(Estimate("440", "migrant", 1)).find("--area"), std::string::npos);
  EXPECT_NE(refusal(Estimate("449999", "migrant", 1)).find("--area"), std::string::npos);
  EXPECT_NE(refusal(Estimate("4403", "other", 1)).find("--category"), std::string::npos);
  EXPECT_NE(refusal(Estimate("4403", "migrant", 0)).find("--estimate"), std::string::npos);
  CoverageEstimate no_source = Estimate("4403", "all", 5);
  no_source.source = "";
  EXPECT_NE(refusal(no_source).find("--source"), std::string::npos);
  CoverageEstimate old = Estimate("4403", "all", 5);
  old.year = 1900;
  EXPECT_NE(refusal(old).find("--year"), std::string::npos);
}

class CoverageTest : public ServerStoreFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(CreateTwoSiteStore());
    // Twelve migrant children in Bao'an (hukou Sihong), three children at home in Sihong.
    const char* names[] = {"张伟", "李强", "王磊", "刘洋", "陈杰", "杨帆", "赵勇", "周敏",
                           "吴昊", "徐静", "孙悦", "马超", "朱琳", "胡军", "郭涛"};
    for (int i = 0; i < 15; ++i) {
      const std::string terminal = i < 12 ? "T2" : "T1";
      const uint64_t seq = static_cast<uint64_t>(i < 12 ? i + 1 : i - 11);
      Put(terminal, seq, static_cast<uint64_t>(i + 1), terminal + "-" + std::to_string(i + 1),
          NewChild(names[i], i < 12 ? "440306" : "321324",
                   "201" + std::to_string(i % 10) + "-0" + std::to_string(i % 9 + 1) + "-1" +
                       std::to_string(i % 10)));
    }
  }
  ReportStore& reports() { return *store_; }
  void Set(const CoverageEstimate& e) { ASSERT_TRUE(store_->SetCoverageEstimate(e).ok()); }
  CountsReport Published(const std::string& area) {
    CountsQuery q;
    q.area_prefix = area;
    q.by = {"category"};
    auto r = reports().Counts(q);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : CountsReport{};
  }
};

TEST_F(CoverageTest, EstimatesAreListedByAreaAndReplacedWhenSetAgain) {
  Set(Estimate("4403", "migrant", 40));
  Set(Estimate("3213", "all", 900));
  CoverageEstimate newer = Estimate("4403", "migrant", 24);
  newer.year = 2025;
  newer.source = "深圳市流动儿童抽样调查";
  Set(newer);
  auto shenzhen = reports().CoverageEstimates("44");
  ASSERT_TRUE(shenzhen.ok());
  ASSERT_EQ(shenzhen->size(), 1u);
  EXPECT_EQ((*shenzhen)[0].estimate, 24);
  EXPECT_EQ((*shenzhen)[0].year, 2025);
  EXPECT_EQ((*shenzhen)[0].source, "深圳市流动儿童抽样调查");
  EXPECT_EQ((*shenzhen)[0].set_by, "admin");
  EXPECT_EQ((*shenzhen)[0].set_at.size(), 20u);
  auto all = reports().CoverageEstimates("");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  EXPECT_EQ(reports().CoverageEstimates("4x").status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(CoverageTest, RegisteredIsWhatCountsPublishesDividedByTheEstimate) {
  Set(Estimate("4403", "migrant", 24));
  Set(Estimate("4403", "all", 30));
  Set(Estimate("4403", "left_behind", 6));
  Set(Estimate("3213", "all", 900));  // outside the area asked
  auto report = ComputeCoverage(reports(), "4403", platform::SystemClock());
  ASSERT_TRUE(report.ok()) << report.status().message();
  const CountsReport counts = Published("4403");
  ASSERT_EQ(counts.groups.size(), 1u);  // all twelve are migrants
  const std::optional<int64_t> migrants = counts.groups[0].count;
  ASSERT_TRUE(migrants.has_value()) << "twelve children are never hidden";
  EXPECT_LE(std::abs(*migrants - 12), 4);
  ASSERT_EQ(report->rows.size(), 3u);  // by area, then category
  EXPECT_EQ(report->rows[0].category, "all");
  EXPECT_EQ(report->rows[0].registered, counts.total);
  EXPECT_EQ(report->rows[1].category, "left_behind");
  EXPECT_EQ(report->rows[1].registered, 0);  // none registered: an empty cell
  EXPECT_EQ(report->rows[1].coverage, 0.0);
  EXPECT_EQ(report->rows[2].category, "migrant");
  EXPECT_EQ(report->rows[2].registered, migrants);
  EXPECT_EQ(report->rows[2].estimate, 24);
  EXPECT_DOUBLE_EQ(*report->rows[2].coverage,
                   std::round(static_cast<double>(*migrants) * 1000 / 24) / 1000);
  EXPECT_EQ(report->as_of, counts.as_of);
}

TEST_F(CoverageTest, ASuppressedRegisteredCountHasNoCoverage) {
  Set(Estimate("3213", "all", 900));
  auto report = ComputeCoverage(reports(), "3213", platform::SystemClock());
  ASSERT_TRUE(report.ok()) << report.status().message();
  ASSERT_EQ(report->rows.size(), 1u);
  const std::optional<int64_t> published = Published("3213").total;  // three children
  EXPECT_EQ(report->rows[0].registered, published);
  EXPECT_EQ(report->rows[0].coverage.has_value(), published.has_value());
  if (published) {
    EXPECT_GE(*published, 5);  // never the true 3
  }
}

}  // namespace
}  // namespace onecard::server
