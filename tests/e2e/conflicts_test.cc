// Conflicts through the real programs (issue 6; protocol/docs/merge.md): two terminals of one area
// edit the same child while neither has synced the other's edit. After sync both keep every dose,
// show the same winner and the conflict (terminal `show`, `conflicts list`, server `conflicts`); a
// supervisor resolves it with `conflicts resolve`, and after sync it is gone everywhere. No card.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "deployment_fixtures.h"
#include "process.h"

namespace onecard::testing {
namespace {

using nlohmann::json;

class Conflicts : public OneAreaTwoTerminals {
 protected:
  json ServerConflicts(const std::string& area) {
    return ServerJson({"conflicts", "--area", area});
  }
};

json Dose(const char* vaccine, const char* date) {
  return {{"vaccine", vaccine}, {"dose", 1}, {"date", date}};
}

TEST_F(Conflicts, ConcurrentEditsAreMergedShownAndResolved) {
  json child = {{"name", "王小明"},
                {"sex", "M"},
                {"birth_date", "2024-01-10"},
                {"hukou_area", "321324"},
                {"residence_area", "440306"},
                {"category", "migrant"},
                {"consent", {{"by", "王建国"}, {"relation", "father"}, {"date", "2026-10-01"}}}};
  RunResult reg = d_.Terminal(t1_, {"register", "--record", "-"}, child.dump());
  ASSERT_EQ(reg.exit_code, 0) << reg.err;
  std::string id = reg.out.substr(0, reg.out.find('\n'));
  Sync(t1_);
  Sync(t2_);

  // Offline at both: the same field differently, and one dose each.
  ASSERT_EQ(
      d_.Terminal(t1_, {"update", "--child", id, "--record", "-"},
                  json{{"name", "王晓明"}, {"immunizations", {Dose("HepB", "2024-01-10")}}}.dump())
          .exit_code,
      0);
  ASSERT_EQ(
      d_.Terminal(t2_, {"update", "--child", id, "--record", "-"},
                  json{{"name", "王小名"}, {"immunizations", {Dose("BCG", "2024-01-11")}}}.dump())
          .exit_code,
      0);
  Sync(t1_);
  Sync(t2_);
  Sync(t1_);

  json at1 = TerminalJson(t1_, {"show", "--child", id});
  json at2 = TerminalJson(t2_, {"show", "--child", id});
  EXPECT_EQ(at1, at2);
  EXPECT_EQ(at1["immunizations"],
            json::array({Dose("HepB", "2024-01-10"), Dose("BCG", "2024-01-11")}));
  ASSERT_EQ(at1["conflicts"].size(), 1u) << at1.dump();
  const json& c = at1["conflicts"][0];
  EXPECT_EQ(c["field"], "name");
  EXPECT_EQ(c["winner"]["value"], at1["name"]);
  EXPECT_EQ(c["winner"]["terminal_id"], "GD-T2");  // its edit came later: the greater stamp
  EXPECT_EQ(c["others"][0]["value"], "王晓明");
  EXPECT_EQ(c["others"][0]["terminal_id"], "GD-T1");

  RunResult text = d_.Terminal(t1_, {"show", "--child", id});
  EXPECT_NE(text.out.find("conflict on name: showing \"王小名\" (GD-T2:"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("also \"王晓明\" (GD-T1:"), std::string::npos) << text.out;

  json listed = TerminalJson(t2_, {"conflicts", "list"});
  ASSERT_EQ(listed.size(), 1u) << listed.dump();
  EXPECT_EQ(listed[0]["child_id"], id);
  json at_server = ServerConflicts("4403");
  ASSERT_EQ(at_server["children"].size(), 1u) << at_server.dump();
  EXPECT_EQ(at_server["children"][0]["conflicts"], at1["conflicts"]);
  EXPECT_TRUE(ServerConflicts("11")["children"].empty());
  RunResult bad_area = d_.Server({"conflicts", "--area", "44x"});
  EXPECT_NE(bad_area.exit_code, 0);
  EXPECT_NE(bad_area.err.find("--area"), std::string::npos) << bad_area.err;

  // Bad choices are refused and write nothing.
  RunResult none = d_.Terminal(
      t2_, {"conflicts", "resolve", "--child", id, "--field", "name", "--value-from", "GD-T9"});
  EXPECT_NE(none.exit_code, 0);
  EXPECT_NE(none.err.find("--value-from GD-T9"), std::string::npos) << none.err;
  RunResult no_conflict = d_.Terminal(
      t2_, {"conflicts", "resolve", "--child", id, "--field", "sex", "--value-from", "GD-T1"});
  EXPECT_NE(no_conflict.exit_code, 0);
  EXPECT_NE(no_conflict.err.find("no open conflict on field sex"), std::string::npos)
      << no_conflict.err;
  EXPECT_EQ(TerminalJson(t2_, {"show", "--child", id}), at2);

  // The supervisor at GD-T2 keeps GD-T1's value.
  RunResult resolved = d_.Terminal(
      t2_, {"conflicts", "resolve", "--child", id, "--field", "name", "--value-from", "GD-T1"});
  ASSERT_EQ(resolved.exit_code, 0) << resolved.err;
  Sync(t2_);
  Sync(t1_);
  for (const std::string& t : {t1_, t2_}) {
    json now = TerminalJson(t, {"show", "--child", id});
    EXPECT_EQ(now["name"], "王晓明");
    EXPECT_FALSE(now.contains("conflicts")) << now.dump();
    EXPECT_EQ(now["immunizations"].size(), 2u);
    EXPECT_TRUE(TerminalJson(t, {"conflicts", "list"}).empty());
  }
  EXPECT_TRUE(ServerConflicts("4403")["children"].empty());
  RunResult audit = d_.Terminal(t2_, {"audit", "verify"});
  EXPECT_EQ(audit.exit_code, 0) << audit.err;
}

}  // namespace
}  // namespace onecard::testing
