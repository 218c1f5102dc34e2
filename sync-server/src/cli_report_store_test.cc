// The report and review commands run against the ReportStore interface alone: a second backend
// (here an in-memory fake; later PostgreSQL) gets the same commands without touching the command
// line. The console's data directory does not exist, so a command that reached for the embedded
// store instead of the interface would fail.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_console.h"
#include "onecard/server/report_store.h"

namespace onecard::server {
namespace {

using nlohmann::ordered_json;

// Answers each report with a canned result and records what it was asked.
class FakeReportStore : public ReportStore {
 public:
  Result<CountsReport> Counts(const CountsQuery& query) override {
    counts_query = query;
    return CountsReport{
        query.area_prefix, "2025-03-01", false, 9, {"sex"}, {{{"F"}, 7}, {{"M"}, std::nullopt}}};
  }
  Result<ReferralStatsReport> ReferralStats(const ReferralStatsQuery& query) override {
    referral_query = query;
    return ReferralStatsReport{query.area_prefix,
                               "2025-03-01",
                               12,
                               {"area", "service"},
                               {{{"440306", "school"}, 12, 0.5, 0.083, 0.0, 0.25}}};
  }
  Result<ConflictsReport> Conflicts(const std::string& area_prefix) override {
    conflicts_area = area_prefix;
    return ConflictsReport{area_prefix, {}};
  }
  Result<ResidenceHistoryReport> ResidenceHistory(const std::string& child_id) override {
    if (child_id != "C-1") return Status(ErrorCode::kNotFound, "no child " + child_id);
    return ResidenceHistoryReport{.child_id = "C-1",
                                  .person_id = "P-7",
                                  .records = {"C-1", "C-2"},
                                  .current_record = "C-2",
                                  .hukou_area = "320102",
                                  .residence_area = "440306",
                                  .moved_out = true,
                                  .residences = {},
                                  .moves = {{"2024-05-01", "320102", "440306"}}};
  }
  Result<std::vector<ReviewQueueEntry>> ReviewQueue() override {
    ReviewQueueEntry entry;
    entry.a = "C-1";
    entry.b = "C-2";
    entry.score = 0.9;
    entry.reasons_text = "same name";
    entry.records[0].child_id = "C-1";
    entry.records[1].child_id = "C-2";
    return std::vector<ReviewQueueEntry>{entry};
  }
  Result<std::vector<DecisionLogEntry>> DecisionLog() override {
    return std::vector<DecisionLogEntry>{};
  }
  Result<IdentityRefreshStats> RefreshIdentities(bool force) override {
    refresh_forced = force;
    IdentityRefreshStats stats;
    stats.refreshed = true;
    stats.records = 31;
    stats.persons = 4;
    return stats;
  }
  Status DecideIdentity(IdentityCommand command, const std::string& a, const std::string& b,
                        const std::string& who) override {
    decisions.push_back({command, a + " " + b + " " + who});
    return Status::Ok();
  }

  Result<FlowsReport> Flows(const FlowsQuery& query) override {
    flows_query = query;
    // The movers' hukou is Suixian (411422), cut to the digits asked.
    const std::string hukou = std::string("411422").substr(0, query.hukou_digits);
    return FlowsReport{query.area_prefix,
                       query.from,
                       query.to,
                       query.from_digits,
                       query.to_digits,
                       query.hukou_digits,
                       "2025-02-27T10:00:00Z",
                       14,
                       std::nullopt,
                       9,
                       {{"4101", "4403", hukou, "2025-02", 9}}};
  }
  Result<std::vector<CoverageEstimate>> CoverageEstimates(const std::string& area) override {
    return std::vector<CoverageEstimate>{
        {area, "all", 36, "census", 2020, "admin", "2025-01-01T00:00:00Z"}};
  }

  CountsQuery counts_query;
  FlowsQuery flows_query;
  ReferralStatsQuery referral_query;
  std::string conflicts_area = "(not asked)";
  bool refresh_forced = false;
  std::vector<std::pair<IdentityCommand, std::string>> decisions;
};

class CliReportStoreTest : public ::testing::Test {
 protected:
  CliReportStoreTest() {
    cli::Args globals;
    globals.TextSlot("--data") = "/nonexistent/onecard-cli-report-store-test";
    args_.SetGlobals(globals);
  }

  // Runs the command whose words are `path` from the report and identity tables against fake_.
  Result<cli::Reply> Run(const std::vector<std::string>& path) {
    std::vector<ServerCommand> commands = ReportCommands();
    for (ServerCommand& c : CoverageCommands()) commands.push_back(std::move(c));
    for (ServerCommand& c : IdentityCommands()) commands.push_back(std::move(c));
    for (const ServerCommand& c : commands) {
      if (c.spec.path != path) continue;
      Console console(args_, platform::SystemClock(), fake_);
      return c.run(console);
    }
    return Status(ErrorCode::kNotFound, "no such command");
  }

  // The flags of `counts --flows --area 4403 --from 2025-01-01 --to 2025-03-31 --by <by>`.
  void FlowsFlags(const std::string& by) {
    args_.TextSlot("--area") = "4403";
    args_.SwitchSlot("--flows") = true;
    args_.TextSlot("--from") = "2025-01-01";
    args_.TextSlot("--to") = "2025-03-31";
    args_.TextSlot("--by") = by;
  }

  FakeReportStore fake_;
  cli::Args args_;
};

TEST_F(CliReportStoreTest, CountsPassTheParsedQueryAndRenderTheBackendsResult) {
  args_.TextSlot("--area") = "44";
  args_.TextSlot("--by") = "sex";
  args_.SwitchSlot("--exact") = true;
  auto reply = Run({"counts"});
  ASSERT_TRUE(reply.ok()) << reply.status().message();
  EXPECT_EQ(fake_.counts_query.area_prefix, "44");
  EXPECT_EQ(fake_.counts_query.by, std::vector<std::string>{"sex"});
  EXPECT_TRUE(fake_.counts_query.exact);
  // The exact query names who asks, for the audit: the operating-system user.
  EXPECT_EQ(fake_.counts_query.requested_by, Console::OsUser());
  EXPECT_FALSE(fake_.counts_query.requested_by.empty());
  EXPECT_FALSE(fake_.counts_query.moved_out);
  EXPECT_EQ(ordered_json::parse(reply->json)["total"], 9);
  EXPECT_NE(reply->text.find("sex=F 7"), std::string::npos) << reply->text;
  EXPECT_NE(reply->text.find("sex=M <5"), std::string::npos) << reply->text;
}

TEST_F(CliReportStoreTest, ABadDimensionIsRefusedBeforeTheBackendIsAsked) {
  args_.TextSlot("--area") = "44";
  args_.TextSlot("--by") = "colour";
  EXPECT_EQ(Run({"counts"}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(fake_.counts_query.area_prefix.empty());
}

TEST_F(CliReportStoreTest, FlowsPassThePeriodAndLevelsAndRenderTheTotals) {
  FlowsFlags("from_area:4,to_area:6");
  auto reply = Run({"counts"});
  ASSERT_TRUE(reply.ok()) << reply.status().message();
  EXPECT_EQ(fake_.flows_query.area_prefix, "4403");
  EXPECT_EQ(fake_.flows_query.from, "2025-01-01");
  EXPECT_EQ(fake_.flows_query.to, "2025-03-31");
  EXPECT_EQ(fake_.flows_query.from_digits, 4u);
  EXPECT_EQ(fake_.flows_query.to_digits, 6u);
  EXPECT_FALSE(fake_.flows_query.exact);
  const ordered_json json = ordered_json::parse(reply->json);
  EXPECT_EQ(json["moved_in"], 9);
  EXPECT_TRUE(json["moved_out"].is_null());
  EXPECT_EQ(json["groups"][0]["month"], "2025-02");
  EXPECT_NE(reply->text.find("2025-02  4101 -> 4403  9"), std::string::npos) << reply->text;
  // Not asked by hukou: no hukou in the answer.
  EXPECT_EQ(fake_.flows_query.hukou_digits, 0u);
  EXPECT_FALSE(json.contains("hukou_digits"));
  EXPECT_FALSE(json["groups"][0].contains("hukou_area"));
}

TEST_F(CliReportStoreTest, FlowsByHukouAreaPassTheLevelAndShowTheHukouOfEachGroup) {
  FlowsFlags("hukou_area:4,residence_area:6");
  auto reply = Run({"counts"});
  ASSERT_TRUE(reply.ok()) << reply.status().message();
  EXPECT_EQ(fake_.flows_query.hukou_digits, 4u);
  EXPECT_EQ(fake_.flows_query.from_digits, 6u);
  EXPECT_EQ(fake_.flows_query.to_digits, 6u);
  const ordered_json json = ordered_json::parse(reply->json);
  EXPECT_EQ(json["hukou_digits"], 4);
  EXPECT_EQ(json["groups"][0]["hukou_area"], "4114");
  EXPECT_EQ(json["groups"][0]["count"], 9);
  EXPECT_NE(reply->text.find("2025-02  4101 -> 4403  "), std::string::npos) << reply->text;
  EXPECT_NE(reply->text.find(" 4114  9\n"), std::string::npos) << reply->text;
}

TEST_F(CliReportStoreTest, FlowsRefuseABadLevelAndMovedOutBeforeTheBackendIsAsked) {
  FlowsFlags("hukou_area:3");
  auto hukou = Run({"counts"});
  EXPECT_EQ(hukou.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(hukou.status().message().find("hukou_area:3"), std::string::npos);
  args_.TextSlot("--by") = "";
  args_.SwitchSlot("--moved-out") = true;
  EXPECT_EQ(Run({"counts"}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(fake_.flows_query.area_prefix.empty());
  // Without --flows, a period is a mistake, not ignored.
  args_.SwitchSlot("--moved-out") = false;
  args_.SwitchSlot("--flows") = false;
  auto counts = Run({"counts"});
  EXPECT_EQ(counts.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(counts.status().message().find("--from"), std::string::npos);
}

TEST_F(CliReportStoreTest, CoverageReportDividesThePublishedCountByTheEstimate) {
  args_.TextSlot("--area") = "44";
  auto reply = Run({"coverage", "report"});
  ASSERT_TRUE(reply.ok()) << reply.status().message();
  // The fake's counts publish a total of 9 for 44: 9 of 36 estimated.
  EXPECT_EQ(fake_.counts_query.area_prefix, "44");
  EXPECT_FALSE(fake_.counts_query.exact);
  const ordered_json row = ordered_json::parse(reply->json)["rows"][0];
  EXPECT_EQ(row["registered"], 9);
  EXPECT_EQ(row["estimate"], 36);
  EXPECT_DOUBLE_EQ(row["coverage"].get<double>(), 0.25);
  EXPECT_NE(reply->text.find("25%"), std::string::npos) << reply->text;
}

TEST_F(CliReportStoreTest, ConflictsAndReferralStatsReachTheBackend) {
  args_.TextSlot("--area") = "4403";
  auto conflicts = Run({"conflicts"});
  ASSERT_TRUE(conflicts.ok()) << conflicts.status().message();
  EXPECT_EQ(fake_.conflicts_area, "4403");
  args_.TextSlot("--by") = "sex,period,sex";
  args_.TextSlot("--from") = "2026-01-01";
  args_.TextSlot("--to") = "2026-03-31";
  auto stats = Run({"referrals", "stats"});
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  EXPECT_EQ(fake_.referral_query.area_prefix, "4403");
  EXPECT_EQ(fake_.referral_query.by, (std::vector<std::string>{"sex", "period"}));
  EXPECT_EQ(fake_.referral_query.from, "2026-01-01");
  EXPECT_EQ(fake_.referral_query.to, "2026-03-31");
  EXPECT_NE(stats->text.find("50%"), std::string::npos) << stats->text;
  EXPECT_NE(stats->text.find("8%"), std::string::npos) << stats->text;
  EXPECT_NE(stats->text.find("25%"), std::string::npos) << stats->text;
  args_.TextSlot("--by") = "sex,age_band";
  auto refused = Run({"referrals", "stats"});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("age_band"), std::string::npos);
}

TEST_F(CliReportStoreTest, ReviewCommandsRunOnTheInterface) {
  auto queue = Run({"review", "list"});
  ASSERT_TRUE(queue.ok()) << queue.status().message();
  EXPECT_NE(queue->text.find("C-1 ~ C-2"), std::string::npos) << queue->text;
  auto refreshed = Run({"review", "refresh"});
  ASSERT_TRUE(refreshed.ok()) << refreshed.status().message();
  EXPECT_TRUE(fake_.refresh_forced);
  EXPECT_EQ(ordered_json::parse(refreshed->json)["records"], 31);
  ASSERT_TRUE(Run({"review", "log"}).ok());

  args_.ListSlot("children") = {"C-1", "C-2"};
  args_.TextSlot("--user") = "supervisor";
  ASSERT_TRUE(Run({"review", "merge"}).ok());
  ASSERT_TRUE(Run({"review", "unmerge"}).ok());
  ASSERT_EQ(fake_.decisions.size(), 2u);
  EXPECT_EQ(fake_.decisions[0].first, IdentityCommand::kMerge);
  EXPECT_EQ(fake_.decisions[0].second, "C-1 C-2 supervisor");
  EXPECT_EQ(fake_.decisions[1].first, IdentityCommand::kUnmerge);
}

TEST_F(CliReportStoreTest, HistoryRendersMovesAndPassesTheBackendsErrors) {
  args_.TextSlot("--child") = "C-1";
  auto history = Run({"history"});
  ASSERT_TRUE(history.ok()) << history.status().message();
  EXPECT_EQ(ordered_json::parse(history->json)["person_id"], "P-7");
  EXPECT_NE(history->text.find("2024-05-01"), std::string::npos) << history->text;
  args_.TextSlot("--child") = "C-9";
  EXPECT_EQ(Run({"history"}).status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace onecard::server
