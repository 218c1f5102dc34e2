// End to end: erasure of a child's personal data over the real stack (PRODUCT.md section 13,
// docs/data-protection.md) — onecard-server on loopback, a sending site in Jiangsu, a receiving
// site in Guangdong with two terminals, a virtual card behind pcscd. A child registered at the
// sending site, carded, synced to the receiving site and referred is erased there; after sync
// everywhere her name, ID number and her father's phone are in no file under any data directory,
// read as someone holding every key would (databases decrypted page by page, WAL included); her
// card is refused at both sites; the counts lose her; the audit chains verify; and the receiving
// site's second terminal, offline meanwhile, syncs an old edit of her that the server refuses,
// after which she is gone there too.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "deployment_fixtures.h"
#include "onecard/protocol/bytes.h"
#include "onecard/schema/sqlcipher_pages.h"
#include "onecard/terminal/store_keys.h"
#include "onecard/testing/registration.h"
#include "process.h"
#include "virtual_card.h"

namespace onecard::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr char kName[] = "欧阳晓燕";
constexpr char kPhone[] = "13987654321";  // her father's
constexpr char kKeptName[] = "司马光明";  // another child, kept

class Erasure : public TwoProvinces {
 protected:
  Erasure() : TwoProvinces("li.supervisor", "chen.supervisor") {}
  void SetUp() override {
    ASSERT_TRUE(cards_.error().empty()) << cards_.error();
    TwoProvinces::SetUp();
    if (HasFatalFailure()) return;
    gd2_ = d_.AddTerminal("GD-XIXIANG", "西乡街道登记点", "440306", "receiving", "GD-T2",
                          "wang.supervisor");
    users_ = {{js_, "li.supervisor"}, {gd_, "chen.supervisor"}, {gd2_, "wang.supervisor"}};
    ASSERT_TRUE(cards_.InsertCard("iso7816", 0)) << cards_.error();
  }

  // Everything under `dir` as someone holding its store's key reads it: the store decrypted page by
  // page with its WAL, every other file as it is.
  std::string Readable(const std::string& dir) {
    std::string key_hex;
    Bytes key;
    if (fs::exists(dir + "/store.key")) {  // the server's
      key = HexDecode(schema::testing::ReadWholeFile(dir + "/store.key").substr(0, 64)).value();
    } else {
      auto unlocked = terminal::StoreKeys::Unlock(dir, users_.at(dir), Deployment::kPassphrase);
      EXPECT_TRUE(unlocked.ok()) << unlocked.status().message();
      if (unlocked.ok()) key.assign(unlocked->span().begin(), unlocked->span().end());
    }
    std::string all;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      const std::string path = entry.path().string();
      if (path.ends_with(".db")) {
        all += schema::testing::DecryptedStoreFiles(path, ByteSpan(key));
      } else if (!path.ends_with("-wal") && !path.ends_with("-shm")) {
        all += schema::testing::ReadWholeFile(path);
      }
    }
    return all;
  }

  int Total(const std::string& area) {
    json counts = ExactCounts({"--area", area});
    return counts.contains("total") ? counts["total"].get<int>() : -1;
  }

  VirtualCardStack cards_;
  std::string gd2_;
  std::map<std::string, std::string> users_;  // data dir -> user
};

TEST_F(Erasure, ErasedAtTheReceivingSiteTheChildIsInNoFileAnywhereAndDoesNotComeBack) {
  const std::string reader = VirtualCardStack::ReaderName(0);
  json child = MigrantRegistration(kName);
  child["sex"] = "F";
  child["id_number"] = MakeIdNumber("321324", CivilDate{2016, 9, 1}, 124);
  child["guardians"][0]["phone"] = kPhone;
  const std::string id_number = child["id_number"];
  const std::string id = Register(js_, child);
  Register(js_, MigrantRegistration(kKeptName));
  RunResult issue = d_.Terminal(js_, {"card", "issue", "--child", id, "--reader", reader});
  ASSERT_EQ(issue.exit_code, 0) << issue.err;
  const std::string serial = CardSerialIn(issue.out);
  ASSERT_EQ(serial.size(), 16u) << issue.out;
  Sync(js_);
  Sync(gd_);
  Sync(gd2_);
  RunResult refer = d_.Terminal(gd_, {"refer", "--child", id, "--service", "education", "--to-site",
                                      "JS-SIHONG", "--reason", "转学手续"});
  ASSERT_EQ(refer.exit_code, 0) << refer.err;
  Sync(gd_);
  // The second terminal edits her offline.
  ASSERT_EQ(d_.Terminal(gd2_, {"update", "--child", id, "--record", "-"},
                        json{{"residence_address", "宝安区西乡街道 5 号"}}.dump())
                .exit_code,
            0);
  const int before = Total("44");
  ASSERT_EQ(before, 2);
  for (const std::string& dir : {d_.server_dir(), js_, gd_, gd2_})
    ASSERT_NE(Readable(dir).find(kName), std::string::npos) << dir;  // the search reads plaintext

  // The supervisor at the receiving site erases her.
  RunResult erase = d_.Terminal(gd_, {"erase", "--child", id, "--reason", "consent_withdrawn"});
  ASSERT_EQ(erase.exit_code, 0) << erase.err;
  Sync(gd_);
  Sync(js_);

  for (const std::string& dir : {d_.server_dir(), js_, gd_}) {
    const std::string all = Readable(dir);
    EXPECT_NE(all.find(kKeptName), std::string::npos) << dir;
    EXPECT_EQ(all.find(kName), std::string::npos) << dir;
    EXPECT_EQ(all.find(id_number), std::string::npos) << dir;
    EXPECT_EQ(all.find(kPhone), std::string::npos) << dir;
  }
  EXPECT_EQ(Total("44"), before - 1);
  for (const std::string& dir : {js_, gd_}) {
    RunResult read = d_.Terminal(dir, {"card", "read", "--reader", reader});
    EXPECT_NE(read.exit_code, 0) << read.out;
    EXPECT_NE(read.err.find(serial), std::string::npos) << read.err;
    RunResult shown = d_.Terminal(dir, {"show", "--child", id});
    EXPECT_NE(shown.exit_code, 0);
    EXPECT_NE(shown.err.find("was erased at"), std::string::npos) << shown.err;
    RunResult audit = d_.Terminal(dir, {"audit", "verify"});
    EXPECT_EQ(audit.exit_code, 0) << audit.err;
  }

  // The offline terminal's old edit is refused by the server; she is erased there too.
  RunResult late = d_.Terminal(gd2_, {"sync"});
  EXPECT_EQ(late.exit_code, 0) << late.err;
  EXPECT_NE(late.out.find("erased"), std::string::npos) << late.out;
  EXPECT_NE(d_.Terminal(gd2_, {"show", "--child", id}).exit_code, 0);
  for (const std::string& dir : {d_.server_dir(), gd2_}) {
    const std::string all = Readable(dir);
    EXPECT_EQ(all.find(kName), std::string::npos) << dir;
    EXPECT_EQ(all.find(kPhone), std::string::npos) << dir;
  }
  EXPECT_EQ(Total("44"), before - 1);
  RunResult history = d_.Server({"history", "--child", id});
  EXPECT_NE(history.exit_code, 0) << history.out;
}

}  // namespace
}  // namespace onecard::testing
