// The reports' JSON form (report_json.h) to the letter: what `onecard-server --json` prints, so
// member names, their order, nulls and suppression flags are part of the command line's contract.
#include "report_json.h"

#include <gtest/gtest.h>

namespace onecard::server {
namespace {

TEST(ReportJson, CountsShowASuppressedCellAsNullAndSaySo) {
  CountsReport report;
  report.area = "4403";
  report.as_of = "2026-06-01T08:00:00Z";
  report.total = 9;
  report.dimensions = {"sex", "residence_area:4"};
  report.groups = {{{"F", "4403"}, 7}, {{"M", "unknown"}, std::nullopt}};
  EXPECT_EQ(ToJson(report).dump(),
            R"({"area":"4403","as_of":"2026-06-01T08:00:00Z","total":9,"groups":[)"
            R"({"sex":"F","residence_area:4":"4403","count":7},)"
            R"({"sex":"M","residence_area:4":"unknown","count":null,"suppressed":true}]})");
}

TEST(ReportJson, AnEmptyCountsReportAndASuppressedTotal) {
  CountsReport empty{"11", "2026-06-01T08:00:00Z", false, 0, {}, {}};
  EXPECT_EQ(ToJson(empty).dump(),
            R"({"area":"11","as_of":"2026-06-01T08:00:00Z","total":0,"groups":[]})");
  CountsReport small{"3213", "2026-06-01T08:00:00Z", true, std::nullopt, {}, {}};
  EXPECT_EQ(ToJson(small).dump(),
            R"({"area":"3213","as_of":"2026-06-01T08:00:00Z","total":null,"groups":[],)"
            R"("moved_out":true,"total_suppressed":true})");
}

TEST(ReportJson, ReferralStatsHideAllTheFiguresOfASuppressedGroup) {
  ReferralStatsReport report{
      "44",
      "2026-06-01T08:00:00Z",
      8,
      {"area", "service"},
      {{{"440306", "education"}, 5, 0.4, 0.0, 0.0, 0.2}, {{"unknown", "health"}, std::nullopt}}};
  EXPECT_EQ(ToJson(report).dump(),
            R"({"area":"44","as_of":"2026-06-01T08:00:00Z","total":8,"groups":[)"
            R"({"area":"440306","service":"education","count":5,"completed_share":0.4,)"
            R"("declined_share":0.0,"declined_inappropriate_share":0.0,)"
            R"("closed_unreached_share":0.2},)"
            R"({"area":"unknown","service":"health","count":null,"completed_share":null,)"
            R"("declined_share":null,"declined_inappropriate_share":null,)"
            R"("closed_unreached_share":null,"suppressed":true}],"by":["area","service"]})");
}

// With --by the groups name the dimensions asked, and the period asked is given back.
TEST(ReportJson, ReferralStatsGroupsNameTheirDimensions) {
  ReferralStatsReport report{"4403",
                             "2026-06-01T08:00:00Z",
                             std::nullopt,
                             {"sex", "period"},
                             {{{"F", "2026-05"}, 0}},
                             "2026-05-01",
                             ""};
  EXPECT_EQ(ToJson(report).dump(),
            R"({"area":"4403","as_of":"2026-06-01T08:00:00Z","total":null,"groups":[)"
            R"({"sex":"F","period":"2026-05","count":0,"completed_share":null,)"
            R"("declined_share":null,"declined_inappropriate_share":null,)"
            R"("closed_unreached_share":null}],"total_suppressed":true,"by":["sex","period"],)"
            R"("from":"2026-05-01"})");
}

TEST(ReportJson, ConflictsListAnUnreadableChildWithNoNameBesideAConflict) {
  ConflictedChild unreadable;
  unreadable.child_id = "X-3";
  unreadable.residence_area = "440306";
  unreadable.unreadable = true;
  ConflictedChild edited;
  edited.child_id = "T2-5";
  edited.name = RecordValue(42);  // stored before validation: a number
  edited.hukou_area = "321324";
  edited.conflicts = {
      {"name",
       {{RecordValue("吴芳华"), Stamp{1, "T2", 8}}, {RecordValue("吴芳芳"), Stamp{0, "T1", 7}}}}};
  ConflictsReport report{"44", {edited, unreadable}};
  // Members by name, as the conflicts report has always listed them.
  EXPECT_EQ(ToJson(report).dump(),
            R"({"area":"44","children":[)"
            R"({"child_id":"T2-5","conflicts":[{"field":"name",)"
            R"("others":[{"at":"1970-01-01T00:00:00Z","stamp":[0,"T1",7],"terminal_id":"T1",)"
            R"("value":"吴芳芳"}],)"
            R"("winner":{"at":"1970-01-01T00:00:00Z","stamp":[1,"T2",8],"terminal_id":"T2",)"
            R"("value":"吴芳华"}}],)"
            R"("hukou_area":"321324","name":42,"residence_area":""},)"
            R"({"child_id":"X-3","conflicts":[],"hukou_area":"","name":null,)"
            R"("residence_area":"440306","unreadable":true}]})");
  EXPECT_EQ(ToJson(ConflictsReport{"", {}}).dump(), R"({"area":"","children":[]})");
}

TEST(ReportJson, ResidenceHistoryInItsOrder) {
  ResidenceHistoryReport h;
  h.child_id = "T2-1";
  h.person_id = "T1-1";
  h.records = {"T1-1", "T2-1"};
  h.current_record = "T2-1";
  h.hukou_area = "321324";
  h.residence_area = "440306";
  h.moved_out = true;
  h.residences = {{"2026-01-01T00:00:00Z", "T1-1", "T1", "321324"},
                  {"2026-02-01T00:00:00Z", "T2-1", "T2", "440306"}};
  h.moves = {{"2026-02-01T00:00:00Z", "321324", "440306"}};
  EXPECT_EQ(ToJson(h).dump(),
            R"({"child_id":"T2-1","person_id":"T1-1","records":["T1-1","T2-1"],)"
            R"("current_record":"T2-1","hukou_area":"321324","residence_area":"440306",)"
            R"("moved_out":true,"residences":[)"
            R"({"at":"2026-01-01T00:00:00Z","child_id":"T1-1","terminal_id":"T1",)"
            R"("residence_area":"321324"},)"
            R"({"at":"2026-02-01T00:00:00Z","child_id":"T2-1","terminal_id":"T2",)"
            R"("residence_area":"440306"}],)"
            R"("moves":[{"at":"2026-02-01T00:00:00Z","from":"321324","to":"440306"}]})");
}

TEST(ReportJson, ReviewQueueListsTheFieldsEachRecordHasAndAnUnknownScoreAsNull) {
  ReviewQueueEntry entry;
  entry.a = "T1-1";
  entry.b = "X-6";
  entry.reasons = {"same birth date"};
  entry.reasons_text = "same birth date";
  entry.records[0].child_id = "T1-1";
  entry.records[0].name = RecordValue("陈思雨");
  entry.records[0].card_serial = RecordValue("0A1B");
  entry.records[1].child_id = "X-6";  // unreadable: the id alone
  entry.records[1].id_number = RecordValue(12345);
  EXPECT_EQ(ToJson(std::vector<ReviewQueueEntry>{entry}).dump(),
            R"([{"a":"T1-1","b":"X-6","score":null,"reasons":["same birth date"],)"
            R"("reasons_text":"same birth date","records":[)"
            R"({"child_id":"T1-1","name":"陈思雨","card_serial":"0A1B"},)"
            R"({"child_id":"X-6","id_number":12345}]}])");
  EXPECT_EQ(ToJson(std::vector<ReviewQueueEntry>{}).dump(), "[]");
}

TEST(ReportJson, DecisionLogAndRefreshFigures) {
  std::vector<DecisionLogEntry> log = {
      {1, "auto_link", "T1-1", "T2-1", 16.0, 16900, "resolver", "2026-06-01T08:00:00Z"},
      {2, "separate", "T1-1", "T2-1", std::nullopt, 0, "zhou", "2026-06-02T08:00:00Z", true}};
  EXPECT_EQ(ToJson(log).dump(),
            R"([{"decision_id":1,"kind":"auto_link","a":"T1-1","b":"T2-1","score":16.0,)"
            R"("reasons":16900,"decided_by":"resolver","decided_at":"2026-06-01T08:00:00Z",)"
            R"("superseded":false},)"
            R"({"decision_id":2,"kind":"separate","a":"T1-1","b":"T2-1","score":null,)"
            R"("reasons":0,"decided_by":"zhou","decided_at":"2026-06-02T08:00:00Z",)"
            R"("superseded":true}])");
  IdentityRefreshStats stats;
  stats.records = 11;
  stats.persons = 2;
  stats.links = 2;
  stats.review = 1;
  stats.unreadable = 5;
  stats.regrouped = 13;
  stats.steps = 3;
  stats.seconds = 0.5;
  stats.longest_step_seconds = 0.25;
  EXPECT_EQ(ToJson(stats).dump(),
            R"({"records":11,"persons":2,"links":2,"review":1,"unreadable":5,"regrouped":13,)"
            R"("steps":3,"seconds":0.5,"longest_step_seconds":0.25})");
}

}  // namespace
}  // namespace onecard::server
