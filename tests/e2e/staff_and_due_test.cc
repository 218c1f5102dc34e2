// The staff and immunization commands of the real program: a supervisor adds a registrar, the
// registrar works but may not add staff, changes their own passphrase; `due` lists the doses of a
// registered child; `search` finds the child by pinyin.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "deployment.h"
#include "process.h"

namespace onecard::testing {
namespace {

using nlohmann::json;

class StaffAndDue : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(d_.Server({"init"}).exit_code, 0);
    data_ = d_.AddTerminal("GD-BAOAN", "宝安区登记点", "440306", "receiving", "GD-T1", "chen");
  }
  // onecard-terminal as `user` with `passphrase` (and ONECARD_NEW_PASSPHRASE when given).
  RunResult As(const std::string& user, const std::string& passphrase,
               std::vector<std::string> args, const std::string& new_passphrase = "",
               const std::string& stdin_data = "") {
    args.insert(args.begin(), BuiltProgram("onecard-terminal"));
    args.push_back("--data");
    args.push_back(data_);
    RunOptions options;
    options.env = {{"ONECARD_LANG", "en"},
                   {"ONECARD_USER", user},
                   {"ONECARD_PASSPHRASE", passphrase},
                   {"ONECARD_NEW_PASSPHRASE", new_passphrase}};
    options.stdin_data = stdin_data;
    return onecard::testing::Run(args, options);
  }
  Deployment d_;
  std::string data_;
};

TEST_F(StaffAndDue, SupervisorAddsRegistrarWhoWorksButCannotAddStaff) {
  const std::string boss = Deployment::kPassphrase;
  RunResult added =
      As("chen", boss, {"staff", "add", "--user", "li", "--role", "registrar"}, "li passphrase 1");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  RunResult again =
      As("chen", boss, {"staff", "add", "--user", "li", "--role", "supervisor"}, "whatever 123");
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("already"), std::string::npos) << again.err;
  RunResult bad_role =
      As("chen", boss, {"staff", "add", "--user", "wu", "--role", "boss"}, "whatever 123");
  EXPECT_NE(bad_role.exit_code, 0);
  EXPECT_NE(bad_role.err.find("--role"), std::string::npos) << bad_role.err;

  json child = {
      {"name", "王小明"},
      {"sex", "M"},
      {"birth_date", "2024-01-10"},
      {"hukou_area", "321324"},
      {"residence_area", "440306"},
      {"immunizations", json::array({{{"vaccine", "HepB"}, {"dose", 1}, {"date", "2024-01-10"}},
                                     {{"vaccine", "BCG"}, {"dose", 1}, {"date", "2024-01-11"}}})},
      {"consent", {{"by", "王建国"}, {"relation", "father"}, {"date", "2026-10-01"}}}};
  RunResult reg = As("li", "li passphrase 1", {"register", "--record", "-"}, "", child.dump());
  ASSERT_EQ(reg.exit_code, 0) << reg.err;
  std::string id = reg.out.substr(0, reg.out.find('\n'));

  RunResult refused =
      As("li", "li passphrase 1", {"staff", "add", "--user", "wu", "--role", "registrar"},
         "wu passphrase 1");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("staff.add"), std::string::npos) << refused.err;
  EXPECT_NE(As("wu", "wu passphrase 1", {"search", "--name", "wang"}).exit_code, 0);

  RunResult found = As("li", "li passphrase 1", {"search", "--name", "wang xiaoming", "--json"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  ASSERT_EQ(json::parse(found.out).size(), 1u);
  EXPECT_EQ(json::parse(found.out)[0]["child_id"], id);

  RunResult due =
      As("li", "li passphrase 1", {"due", "--child", id, "--on", "2024-08-20", "--json"});
  ASSERT_EQ(due.exit_code, 0) << due.err;
  json j = json::parse(due.out);
  EXPECT_EQ(j["schedule_version"], "2021");
  EXPECT_EQ(j["done"].size(), 2u);
  EXPECT_FALSE(j["overdue"].empty());  // HepB 2, IPV, DTaP… were never recorded
  RunResult due_text = As("li", "li passphrase 1", {"due", "--child", id, "--on", "2024-08-20"});
  ASSERT_EQ(due_text.exit_code, 0) << due_text.err;
  EXPECT_NE(due_text.out.find("overdue"), std::string::npos) << due_text.out;
  EXPECT_NE(As("li", "li passphrase 1", {"due", "--child", id, "--on", "2023-01-01"}).exit_code, 0);
  EXPECT_NE(As("li", "li passphrase 1", {"due", "--child", id, "--on", "2024-02-30"}).exit_code, 0);

  // The registrar changes their own passphrase; the old one no longer opens the store.
  RunResult passwd = As("li", "li passphrase 1", {"passwd"}, "li passphrase 2");
  ASSERT_EQ(passwd.exit_code, 0) << passwd.err;
  RunResult old = As("li", "li passphrase 1", {"show", "--child", id});
  EXPECT_NE(old.exit_code, 0);
  EXPECT_NE(old.err.find("passphrase"), std::string::npos) << old.err;
  EXPECT_EQ(As("li", "li passphrase 2", {"show", "--child", id}).exit_code, 0);
  EXPECT_EQ(As("chen", boss, {"show", "--child", id}).exit_code, 0);

  RunResult verify = As("chen", boss, {"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
}

TEST_F(StaffAndDue, SupervisorResetsAForgottenPassphraseAndDisablesAMember) {
  const std::string boss = Deployment::kPassphrase;
  ASSERT_EQ(
      As("chen", boss, {"staff", "add", "--user", "li", "--role", "registrar"}, "li passphrase 1")
          .exit_code,
      0);
  RunResult reset = As("chen", boss, {"staff", "reset", "--name", "li"}, "li passphrase 2");
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_NE(As("li", "li passphrase 1", {"search", "--name", "wang"}).exit_code, 0);
  EXPECT_EQ(As("li", "li passphrase 2", {"search", "--name", "wang"}).exit_code, 0);
  RunResult by_registrar = As("li", "li passphrase 2", {"staff", "list"});
  EXPECT_NE(by_registrar.exit_code, 0);
  EXPECT_NE(by_registrar.err.find("staff.manage"), std::string::npos) << by_registrar.err;

  RunResult disabled = As("chen", boss, {"staff", "disable", "--name", "li"});
  ASSERT_EQ(disabled.exit_code, 0) << disabled.err;
  RunResult refused = As("li", "li passphrase 2", {"search", "--name", "wang"});
  EXPECT_NE(refused.exit_code, 0);
  RunResult listed = As("chen", boss, {"staff", "list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  json staff = json::parse(listed.out);
  ASSERT_EQ(staff.size(), 2u);
  EXPECT_EQ(staff[1]["name"], "li");
  EXPECT_NE(staff[1]["disabled_at"], "");
  EXPECT_NE(As("chen", boss, {"staff", "reset", "--name", "li"}, "li passphrase 3").exit_code, 0);
  EXPECT_NE(As("chen", boss, {"staff", "disable", "--name", "chen"}).exit_code, 0);
}

}  // namespace
}  // namespace onecard::testing
