// The guardian's copy (child_export.h): every part of what the store holds about a child, who read
// or changed it when (in order, with the right actors and times), the export audited in its own
// transaction, erased and unknown children refused with nothing written; and the printable page
// (export_html.h): self-contained, escaped, in the user's language.
#include "onecard/terminal/child_export.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "export_html.h"
#include "onecard/platform/test_clock.h"
#include "onecard/protocol/i18n.h"
#include "onecard/terminal/terminal_store.h"
#include "test_store_fixture.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using std::chrono::minutes;

constexpr char kSerial[] = "0123456789ABCDEF";

// A store with two staff members (chen, supervisor; li, registrar), the sites a referral needs,
// and a test clock that each step moves on by a minute, so every entry has its own time.
class ChildExportTest : public testing::StoreFixture {
 protected:
  void SetUp() override {
    SetLanguage(Language::kEn);
    StoreFixture::SetUp();
    chen_ = OpenAt("chen");
    ASSERT_TRUE(chen_);
    ASSERT_TRUE(chen_->staff().Add("li", StaffRole::kRegistrar, "li's passphrase").ok());
    li_ = OpenAt("li", "li's passphrase");
    ASSERT_TRUE(li_);
    wire::PullPage page;
    for (auto [id, area] : {std::pair{"GD", "440306"}, {"CL", "440305"}}) {
      wire::SiteInfo* site = page.add_sites();
      site->set_site_id(id);
      site->set_name(id);
      site->set_area(area);
      site->set_role("both");
    }
    page.set_next_cursor(2);
    ASSERT_TRUE(chen_->pull().ApplyPage(page).ok());
  }
  void TearDown() override {
    chen_.reset();
    li_.reset();
    StoreFixture::TearDown();
    SetLanguage(Language::kZh);
  }
  std::unique_ptr<TerminalStore> OpenAt(const std::string& user,
                                        const std::string& passphrase = testing::kTestPassphrase) {
    auto s = TerminalStore::Open(dir_, user, passphrase, clock_);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  // The time of the next step ("2026-01-01T00:01:00Z", then a minute later each time).
  std::string Step() {
    clock_.Advance(minutes(1));
    return UtcNowIso8601(clock_);
  }
  std::string Register(const std::string& name) {
    json record = testing::MakeTestRecord(name);
    record["card_serial"] = kSerial;
    record["guardians"] = json::array({{{"relation", "father"}, {"name", "李强"}}});
    auto id = chen_->children().Register(record);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : "";
  }
  int64_t AuditEntries() { return chen_->audit().Verify()->entries; }

  platform::TestClock clock_;
  std::unique_ptr<TerminalStore> chen_, li_;
};

// The (actor, action, at) of each access, in order.
std::vector<std::string> Accesses(const json& copy) {
  std::vector<std::string> out;
  for (const json& a : copy["accesses"]) {
    out.push_back(a["actor"].get<std::string>() + " " + a["action"].get<std::string>() + " " +
                  a["at"].get<std::string>());
  }
  return out;
}

TEST_F(ChildExportTest, HoldsEveryPartAndWhoReadOrChangedTheRecordWhen) {
  const std::string registered = Step();
  const std::string id = Register("李娜");
  const std::string updated = Step();
  ASSERT_TRUE(chen_->children().Update(id, {{"name", "李娜娜"}}).ok());
  const std::string referred = Step();
  auto referral = chen_->referrals().Refer(id, "health", "CL", "逾期未接种");
  ASSERT_TRUE(referral.ok()) << referral.status().message();
  const std::string read_by_chen = Step();
  ASSERT_TRUE(chen_->children().Show(id).ok());
  const std::string read_by_li = Step();
  ASSERT_TRUE(li_->children().Show(id).ok());
  const std::string searched = Step();
  ASSERT_TRUE(li_->children().Search("李娜", "").ok());
  const std::string revoked = Step();
  ASSERT_TRUE(chen_->cards().Revoke(kSerial, "lost").ok());
  const std::string exported = Step();

  auto copy = chen_->exports().Of(id);
  ASSERT_TRUE(copy.ok()) << copy.status().message();
  json j = copy->ToJson();
  EXPECT_EQ(j["format"], "onecard-child-export/1");
  EXPECT_EQ(j["child_id"], id);
  EXPECT_EQ(j["exported"], json({{"at", exported}, {"by", "chen"}, {"terminal_id", "GD-T1"}}));
  EXPECT_EQ(j["record"]["name"], "李娜娜");
  EXPECT_EQ(j["record"]["guardians"][0]["name"], "李强");
  EXPECT_EQ(j["record"]["consent"]["by"], "李强");
  EXPECT_FALSE(j["record"].contains("record_stamp"));

  // History: the name set at the update, the registration's value replaced (its time kept, not
  // its value); the sex as registered.
  const json& fields = j["history"]["fields"];
  auto field = [&](const std::string& name) {
    auto it = std::find_if(fields.begin(), fields.end(),
                           [&](const json& f) { return f["field"] == name; });
    return it == fields.end() ? json() : *it;
  };
  EXPECT_EQ(field("name")["set"], json({{"at", updated}, {"terminal_id", "GD-T1"}}));
  EXPECT_EQ(field("name")["replaced"],
            json::array({{{"at", registered}, {"terminal_id", "GD-T1"}}}));
  EXPECT_EQ(field("sex")["set"]["at"], registered);
  EXPECT_TRUE(field("sex")["replaced"].empty());
  // Not yet synced: the registration, the change (with the old value only here), the referral,
  // the revocation wait in the outbox.
  std::vector<std::string> pending;
  for (const json& c : j["history"]["pending_changes"]) pending.push_back(c["type"]);
  EXPECT_EQ(pending, (std::vector<std::string>{"child.upsert", "child.upsert", "referral.create",
                                               "card.revoke"}));
  EXPECT_EQ(j["history"]["pending_changes"][0]["payload"]["fields"]["name"], "李娜");

  ASSERT_EQ(j["referrals"].size(), 1u);
  EXPECT_EQ(j["referrals"][0]["referral_id"], *referral);
  EXPECT_EQ(j["referrals"][0]["reason"], "逾期未接种");

  EXPECT_EQ(j["cards"]["current"], kSerial);
  ASSERT_EQ(j["cards"]["revoked"].size(), 1u);
  EXPECT_EQ(j["cards"]["revoked"][0]["serial"], kSerial);
  EXPECT_EQ(j["cards"]["revoked"][0]["reason"], "lost");
  EXPECT_EQ(j["cards"]["events"],
            json::array({{{"at", revoked}, {"action", "card.revoke"}, {"serial", kSerial}}}));
  for (const char* part : {"conflicts", "same_child_as", "identity_review"}) {
    EXPECT_EQ(j[part], json::array()) << part;
  }
  // Registered here with the hukou in Jiangsu: moved in from there, as `show` says.
  EXPECT_EQ(j["move"]["kind"], "moved_in");
  EXPECT_EQ(j["move"]["from"], "321324");

  EXPECT_EQ(Accesses(j), (std::vector<std::string>{
                             "chen child.register " + registered,
                             "chen child.update " + updated,
                             "chen referral.create " + referred,
                             "chen child.read " + read_by_chen,
                             "li child.read " + read_by_li,
                             "li child.search " + searched,
                             "chen card.revoke " + revoked,
                             "chen child.export " + exported,
                         }));
  EXPECT_EQ(j["accesses"][1]["fields"], json::array({"name"}));
  EXPECT_EQ(j["accesses"][5]["subject"], false);  // found by a search, not its subject
  EXPECT_FALSE(j["accesses"][5].contains("detail"));
}

TEST_F(ChildExportTest, TheExportIsAuditedAndListedByTheNext) {
  const std::string id = Register("王芳");
  const int64_t before = AuditEntries();
  const std::string first = Step();
  ASSERT_TRUE(li_->exports().Of(id).ok());
  EXPECT_EQ(AuditEntries(), before + 1);
  const std::string second = Step();
  auto copy = chen_->exports().Of(id);
  ASSERT_TRUE(copy.ok());
  std::vector<std::string> accesses = Accesses(copy->ToJson());
  ASSERT_GE(accesses.size(), 2u);
  EXPECT_EQ(accesses[accesses.size() - 2], "li child.export " + first);
  EXPECT_EQ(accesses.back(), "chen child.export " + second);
  EXPECT_TRUE(chen_->audit().Verify()->intact);
}

TEST_F(ChildExportTest, ErasedAndUnknownChildrenAreRefusedWithNothingWritten) {
  const std::string id = Register("赵敏");
  ASSERT_TRUE(chen_->erasures().Erase(id, "consent_withdrawn").ok());
  const int64_t before = AuditEntries();
  auto erased = li_->exports().Of(id);
  ASSERT_FALSE(erased.ok());
  EXPECT_EQ(erased.status().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(erased.status().message().find("child " + id + " was erased"), std::string::npos)
      << erased.status().message();
  auto unknown = li_->exports().Of("GD-T1-999");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("no child GD-T1-999"), std::string::npos)
      << unknown.status().message();
  EXPECT_EQ(AuditEntries(), before);
}

TEST_F(ChildExportTest, PageIsSelfContainedAndEscapesEveryValue) {
  const std::string id = Register("<script>&\"'");
  ASSERT_TRUE(chen_->referrals().Refer(id, "health", "CL", "<img src=x onerror=alert(1)>").ok());
  auto copy = chen_->exports().Of(id);
  ASSERT_TRUE(copy.ok());
  const std::string page = ExportHtml(*copy);
  EXPECT_TRUE(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">")) << page.substr(0, 60);
  EXPECT_NE(page.find("&lt;script&gt;&amp;&quot;&#39;"), std::string::npos);
  EXPECT_NE(page.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  std::string lower = page;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  EXPECT_EQ(lower.find("<script"), std::string::npos);
  EXPECT_EQ(lower.find("<img"), std::string::npos);
  EXPECT_EQ(lower.find("http://"), std::string::npos);
  EXPECT_EQ(lower.find("https://"), std::string::npos);
  EXPECT_EQ(lower.find("<link"), std::string::npos);
  EXPECT_NE(page.find("size: A4"), std::string::npos);
  EXPECT_NE(page.find("Who read or changed the record"), std::string::npos);
  EXPECT_NE(page.find("made this copy"), std::string::npos);

  SetLanguage(Language::kZh);
  const std::string zh = ExportHtml(*copy);
  EXPECT_TRUE(zh.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
  EXPECT_NE(zh.find("查阅和修改记录"), std::string::npos);
  EXPECT_NE(zh.find("父亲"), std::string::npos);  // the guardian's relation in words
}

}  // namespace
}  // namespace onecard::terminal
