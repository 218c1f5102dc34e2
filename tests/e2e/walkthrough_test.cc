// End to end over the real stack: onecard-server serve on loopback (TLS 1.3, mutual certificates),
// two terminals with SQLCipher stores, and a card in a virtual reader (pcscd + vpcd + vicc).
// The walk-through of issue 2: register at the sending site, issue a card, sync, read the card at
// the receiving site (the child is imported), update residence there, sync both, count.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "deployment.h"
#include "onecard/testing/registration.h"
#include "process.h"

namespace onecard::testing {
namespace {

using nlohmann::json;

constexpr char kChildName[] = "王小明";
constexpr char kReaderPort[] = "35963";

// A card in the first virtual reader for the life of the object.
class VirtualCardInReader {
 public:
  explicit VirtualCardInReader(const std::string& run_dir) : run_dir_(run_dir) {
    RunOptions options;
    options.env = {{"ONECARD_RUN_DIR", run_dir_}};
    start_ =
        Run({SourcePath("scripts/virtual-reader.sh"), "start", "iso7816", kReaderPort}, options);
  }
  ~VirtualCardInReader() {
    RunOptions options;
    options.env = {{"ONECARD_RUN_DIR", run_dir_}};
    Run({SourcePath("scripts/virtual-reader.sh"), "stop"}, options);
  }
  const RunResult& start() const { return start_; }

 private:
  std::string run_dir_;
  RunResult start_;
};

// The walkthrough's child.
json ChildRecord() { return LeftBehindRegistration(kChildName); }

// All bytes of all regular files under `dir`.
std::string AllFileBytes(const std::string& dir) {
  std::string all;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) all += ReadFile(entry.path().string());
  }
  return all;
}

std::vector<std::string> StoreFiles(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".db") out.push_back(entry.path().string());
  }
  return out;
}

TEST(Walkthrough, RegisterIssueSyncReadAtOtherSiteMoveAndCount) {
  Deployment d;
  ASSERT_EQ(d.Server({"init"}).exit_code, 0);
  std::string js = d.AddTerminal("JS-SIHONG", "泗洪县青阳街道登记点", "321324", "sending", "JS-T1",
                                 "li.registrar");
  std::string gd = d.AddTerminal("GD-BAOAN", "宝安区西乡街道登记点", "440306", "receiving", "GD-T1",
                                 "chen.registrar");
  ASSERT_TRUE(d.StartServer()) << d.ServerLog();

  VirtualCardInReader card(d.dir() / "run");
  ASSERT_EQ(card.start().exit_code, 0) << card.start().err;

  // Register at the sending site.
  RunResult reg = d.Terminal(js, {"register", "--record", "-"}, ChildRecord().dump());
  ASSERT_EQ(reg.exit_code, 0) << reg.err;
  std::string child_id = reg.out.substr(0, reg.out.find('\n'));
  ASSERT_EQ(child_id, "JS-T1-1");

  // Issue a card, then sync the sending terminal.
  RunResult issue = d.Terminal(js, {"card", "issue", "--child", child_id});
  ASSERT_EQ(issue.exit_code, 0) << issue.err;
  RunResult sync_js = d.Terminal(js, {"sync"});
  ASSERT_EQ(sync_js.exit_code, 0) << sync_js.err << d.ServerLog();

  // The receiving site has never seen the child: reading the card imports it. The card is
  // verified offline: the server is down while it is read.
  ASSERT_NE(d.Terminal(gd, {"show", "--child", child_id}).exit_code, 0);
  d.StopServer();
  RunResult read = d.Terminal(gd, {"card", "read", "--json"});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  ASSERT_TRUE(d.StartServer()) << d.ServerLog();
  json on_card = json::parse(read.out);
  EXPECT_EQ(on_card["name"], kChildName);
  EXPECT_EQ(on_card["child_id"], child_id);
  EXPECT_FALSE(on_card["card_serial"].get<std::string>().empty());
  RunResult shown = d.Terminal(gd, {"show", "--child", child_id, "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(json::parse(shown.out)["hukou_area"], "321324");

  // The family lives in Bao'an now: update residence at the receiving site.
  RunResult moved = d.Terminal(
      gd, {"update", "--child", child_id, "--record", "-", "--json"},
      json{{"residence_area", "440306"}, {"residence_address", "宝安区西乡街道固戍二路 12 号"}}
          .dump());
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_EQ(json::parse(moved.out)["category"], "migrant");

  ASSERT_EQ(d.Terminal(gd, {"sync"}).exit_code, 0);
  ASSERT_EQ(d.Terminal(js, {"sync"}).exit_code, 0);

  // The sending site sees where the child lives now.
  RunResult at_js = d.Terminal(js, {"show", "--child", child_id, "--json"});
  ASSERT_EQ(at_js.exit_code, 0) << at_js.err;
  EXPECT_EQ(json::parse(at_js.out)["residence_area"], "440306");
  EXPECT_EQ(json::parse(at_js.out)["category"], "migrant");

  // Counts: present in Shenzhen (4403), moved out of Suqian (3213).
  RunResult present =
      d.Server({"counts", "--area", "4403", "--by", "category", "--exact", "--json"});
  ASSERT_EQ(present.exit_code, 0) << present.err;
  json p = json::parse(present.out);
  EXPECT_EQ(p["total"], 1);
  ASSERT_EQ(p["groups"].size(), 1u);
  EXPECT_EQ(p["groups"][0]["category"], "migrant");
  EXPECT_EQ(p["groups"][0]["count"], 1);
  RunResult moved_out = d.Server({"counts", "--area", "3213", "--moved-out", "--exact", "--json"});
  ASSERT_EQ(moved_out.exit_code, 0) << moved_out.err;
  EXPECT_EQ(json::parse(moved_out.out)["total"], 1);
  EXPECT_EQ(json::parse(d.Server({"counts", "--area", "3213", "--exact", "--json"}).out)["total"],
            0);

  // Without --exact the count of 1 is perturbed (docs/disclosure-control.md): never shown as 1,
  // either suppressed or perturbed to 5 or more; the same question gets the same answer.
  json official =
      json::parse(d.Server({"counts", "--area", "4403", "--by", "category", "--json"}).out);
  const json& cell = official["groups"][0];
  EXPECT_EQ(cell["category"], "migrant");
  EXPECT_TRUE(cell["count"].is_null() ? cell["suppressed"] == true : cell["count"] >= 5) << cell;
  EXPECT_EQ(
      official["groups"],
      json::parse(
          d.Server({"counts", "--area", "4403", "--by", "category", "--json"}).out)["groups"]);

  // Both audit chains verify.
  EXPECT_EQ(d.Terminal(js, {"audit", "verify"}).exit_code, 0);
  EXPECT_EQ(d.Terminal(gd, {"audit", "verify"}).exit_code, 0);

  d.StopServer();
  // Nothing personal in clear on disk, and sqlite3 cannot read the stores.
  for (const std::string& dir : {js, gd, d.server_dir()}) {
    std::string bytes = AllFileBytes(dir);
    EXPECT_EQ(bytes.find(kChildName), std::string::npos) << dir;
    EXPECT_EQ(bytes.find(ChildRecord()["id_number"].get<std::string>()), std::string::npos) << dir;
    EXPECT_EQ(bytes.find("SQLite format 3"), std::string::npos) << dir;
    auto stores = StoreFiles(dir);
    EXPECT_FALSE(stores.empty() && dir != d.server_dir()) << dir;
    for (const auto& db : stores) {
      for (const char* shell : {"sqlite3", "sqlcipher"}) {  // sqlcipher without the key, too
        RunResult sqlite =
            ::onecard::testing::Run({shell, db, "SELECT count(*) FROM sqlite_master;"});
        EXPECT_NE(sqlite.exit_code, 0) << shell << " " << db << ": " << sqlite.out;
        EXPECT_NE(sqlite.err.find("not a database"), std::string::npos)
            << shell << ": " << sqlite.err;
      }
    }
  }
}

}  // namespace
}  // namespace onecard::testing
