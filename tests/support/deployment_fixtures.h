// Test fixtures shared by the end-to-end tests: a Deployment whose server is initialised, whose
// terminals are enrolled and whose server runs before each test, with the terminal commands the
// tests repeat.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "deployment.h"

namespace onecard::testing {

// The serial printed by `card issue` / `card replace`: the first 16 characters after "serial "
// ("" when there is none).
inline std::string CardSerialIn(const std::string& out) {
  auto at = out.find("serial ");
  return at == std::string::npos ? "" : out.substr(at + 7, 16);
}

// A Deployment and the terminal commands most tests run.
class DeploymentTest : public ::testing::Test {
 protected:
  // `register --record -` at `terminal`; returns the new child's id (the first line printed). A
  // failure is a failed expectation.
  std::string Register(const std::string& terminal, const nlohmann::json& record) {
    RunResult r = d_.Terminal(terminal, {"register", "--record", "-"}, record.dump());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  }
  // `sync` at `terminal`; a failure is a fatal failure showing the server's log.
  void Sync(const std::string& terminal) {
    RunResult r = d_.Terminal(terminal, {"sync"});
    ASSERT_EQ(r.exit_code, 0) << r.err << d_.ServerLog();
  }
  // `onecard-terminal <args...> --json` at `terminal`, its output parsed (a discarded value when it
  // is not JSON). A failure is a failed expectation.
  nlohmann::json TerminalJson(const std::string& terminal, std::vector<std::string> args) {
    args.push_back("--json");
    RunResult r = d_.Terminal(terminal, args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }
  // `onecard-server <args...> --json`, its output parsed as by TerminalJson.
  nlohmann::json ServerJson(std::vector<std::string> args) {
    args.push_back("--json");
    RunResult r = d_.Server(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }
  // `onecard-server counts <args...> --exact --json`, parsed.
  nlohmann::json ExactCounts(std::vector<std::string> args) {
    args.insert(args.begin(), "counts");
    args.push_back("--exact");
    return ServerJson(args);
  }

  Deployment d_;
};

// Two terminals of one area (440306): t1_ is GD-T1 at GD-BAOAN as "chen", t2_ is GD-T2 at
// GD-XIXIANG as "wang".
class OneAreaTwoTerminals : public DeploymentTest {
 protected:
  void SetUp() override {
    ASSERT_EQ(d_.Server({"init"}).exit_code, 0);
    t1_ = d_.AddTerminal("GD-BAOAN", "宝安区登记点", "440306", "receiving", "GD-T1", "chen");
    t2_ = d_.AddTerminal("GD-XIXIANG", "西乡街道登记点", "440306", "receiving", "GD-T2", "wang");
    ASSERT_TRUE(d_.StartServer()) << d_.ServerLog();
  }

  std::string t1_, t2_;
};

// A sending site in Jiangsu and a receiving site in Guangdong: js_ is JS-T1 at JS-SIHONG (321324)
// as `js_user`, gd_ is GD-T1 at GD-BAOAN (440306) as `gd_user`.
class TwoProvinces : public DeploymentTest {
 protected:
  TwoProvinces(std::string js_user, std::string gd_user)
      : js_user_(std::move(js_user)), gd_user_(std::move(gd_user)) {}
  void SetUp() override {
    ASSERT_EQ(d_.Server({"init"}).exit_code, 0);
    js_ =
        d_.AddTerminal("JS-SIHONG", "泗洪县青阳街道登记点", "321324", "sending", "JS-T1", js_user_);
    gd_ = d_.AddTerminal("GD-BAOAN", "宝安区西乡街道登记点", "440306", "receiving", "GD-T1",
                         gd_user_);
    ASSERT_TRUE(d_.StartServer()) << d_.ServerLog();
  }

  std::string js_, gd_;

 private:
  std::string js_user_, gd_user_;
};

}  // namespace onecard::testing
