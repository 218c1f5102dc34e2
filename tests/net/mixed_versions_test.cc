// A version 2 terminal and a version 3 terminal of one site (sync.md, "Typed events") push and
// pull through one real server (store, sync service, TLS): the first sends type + JSON payload,
// the second typed events, and each sees the other's registrations and changes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "onecard/protocol/event_types.h"
#include "onecard/testing/registration.h"
#include "real_server_fixture.h"

namespace onecard::testing {
namespace {

using nlohmann::json;

constexpr char kOld[] = "JS-T1";  // speaks protocol version 2
constexpr char kNew[] = "JS-T2";  // speaks version 3

// The winning value of `field` in a pulled child's state ("" when none).
std::string Pulled(const FakeLocalStore& terminal, const std::string& child,
                   const std::string& field) {
  auto it = terminal.children.find(child);
  if (it == terminal.children.end()) return "";
  json state = json::parse(it->second);
  const json* value = &state["fields"][field]["v"];
  return value->is_string() ? value->get<std::string>() : "";
}

class MixedVersionsTest : public RealServerTest {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(StartServer({{kOld, "JS"}, {kNew, "JS"}})); }

  // Syncs `terminal` (its outbox, then its pulls) at its version; every event is accepted.
  void Sync(const std::string& terminal, FakeLocalStore& local) {
    terminal::SyncOptions options = QuickOptions();
    options.max_protocol_version = terminal == kOld ? 2 : kSyncProtocolVersion;
    auto report = terminal::RunSync(Endpoint(terminal), local, options);
    ASSERT_TRUE(report.ok()) << terminal << ": " << report.status().message();
    EXPECT_EQ(report->protocol_version, options.max_protocol_version);
    EXPECT_TRUE(report->refused.empty()) << report->refused.front().message();
    EXPECT_TRUE(local.outbox.empty());
  }
};

TEST_F(MixedVersionsTest, Version2AndVersion3TerminalsSeeEachOthersChanges) {
  FakeLocalStore old_terminal, new_terminal;
  old_terminal.outbox.push_back(UpsertNow(kOld, 1, "JS-T1-1", MigrantRegistration("陈晨")));
  Sync(kOld, old_terminal);

  new_terminal.outbox.push_back(UpsertNow(kNew, 1, "JS-T2-1", MigrantRegistration("黄磊")));
  new_terminal.outbox.push_back(
      UpsertNow(kNew, 2, "JS-T1-1", {{"residence_address", "青阳街道 12 号"}}));
  new_terminal.outbox.push_back(EventNow(kNew, 3, event_type::kReferralCreate, "JS-T1-1",
                                         {{"referral_id", "JS-T2-R1"},
                                          {"child_id", "JS-T1-1"},
                                          {"service", "education"},
                                          {"from_site", "JS"},
                                          {"to_site", "GD"},
                                          {"reason", "随父母迁往深圳"}}));
  Sync(kNew, new_terminal);

  old_terminal.outbox.push_back(
      UpsertNow(kOld, 2, "JS-T2-1", {{"residence_address", "城关镇 3 号"}}));
  Sync(kOld, old_terminal);
  Sync(kNew, new_terminal);

  for (const FakeLocalStore* t : {&old_terminal, &new_terminal}) {
    EXPECT_EQ(Pulled(*t, "JS-T1-1", "name"), "陈晨");
    EXPECT_EQ(Pulled(*t, "JS-T1-1", "residence_address"), "青阳街道 12 号");
    EXPECT_EQ(Pulled(*t, "JS-T2-1", "name"), "黄磊");
    EXPECT_EQ(Pulled(*t, "JS-T2-1", "residence_address"), "城关镇 3 号");
  }
  // The server keeps every event in the legacy form, whichever form it came in.
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE json_valid(payload) AND type IN "
                  "('child.upsert', 'referral.create')"),
            5);
  EXPECT_EQ(Count("SELECT count(*) FROM referrals WHERE referral_id = 'JS-T2-R1'"), 1);
}

}  // namespace
}  // namespace onecard::testing
