// Version 2 terminals are still served (issue 12, typed events): two real terminal stores of one
// site, one whose client is capped at protocol version 2 (type + JSON payloads) and one speaking
// version 3 (typed events), sync through a real `onecard-server serve` over mutual TLS, and each
// receives what the other registered and changed.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "deployment.h"
#include "onecard/protocol/frame.h"
#include "onecard/terminal/sync_client.h"
#include "onecard/terminal/terminal_store.h"
#include "onecard/terminal/terminal_sync_store.h"
#include "synthetic_children.h"

namespace onecard::testing {
namespace {

using terminal::TerminalStore;

constexpr char kUser[] = "chen";

std::unique_ptr<TerminalStore> OpenTerminal(const std::string& dir) {
  auto store = TerminalStore::Open(dir, kUser, Deployment::kPassphrase);
  EXPECT_TRUE(store.ok()) << store.status().message();
  return store.ok() ? std::move(store).value() : nullptr;
}

// One sync of `store` offering at most `version`; returns the version the server chose.
uint32_t SyncAt(TerminalStore& store, uint32_t version) {
  auto endpoint = store.enrolment().LoadSyncEndpoint("");
  EXPECT_TRUE(endpoint.ok()) << endpoint.status().message();
  if (!endpoint.ok()) return 0;
  terminal::SyncOptions options;
  options.attempts = 1;
  options.max_protocol_version = version;
  terminal::TerminalSyncStore local(store);
  auto report = terminal::RunSync(*endpoint, local, options);
  EXPECT_TRUE(report.ok()) << report.status().message();
  if (!report.ok()) return 0;
  EXPECT_TRUE(report->refused.empty()) << report->refused.size() << " events refused";
  EXPECT_TRUE(report->set_aside.empty()) << report->set_aside.size() << " pulled items set aside";
  return report->protocol_version;
}

std::string FieldOf(TerminalStore& store, const std::string& child_id, const char* field) {
  auto record = store.children().RecordOf(child_id);
  if (!record.ok()) return "(" + record.status().message() + ")";
  auto it = record->find(field);
  return it != record->end() && it->is_string() ? it->get<std::string>() : "(missing)";
}

TEST(MixedVersionTerminals, Version2AndVersion3TerminalStoresExchangeChanges) {
  ASSERT_GE(kSyncProtocolVersion, 3u);
  Deployment d;
  ASSERT_EQ(d.Server({"init"}).exit_code, 0);
  std::string old_dir =
      d.AddTerminal("GD-BAOAN", "宝安区登记点", "440306", "receiving", "GD-T1", kUser);
  std::string new_dir =
      d.AddTerminal("GD-BAOAN", "宝安区登记点", "440306", "receiving", "GD-T2", kUser);
  ASSERT_TRUE(d.StartServer()) << d.ServerLog();
  auto old_terminal = OpenTerminal(old_dir);
  auto new_terminal = OpenTerminal(new_dir);
  ASSERT_NE(old_terminal, nullptr);
  ASSERT_NE(new_terminal, nullptr);

  auto from_old = old_terminal->children().Register(SyntheticChildRecord(1));
  auto from_new = new_terminal->children().Register(SyntheticChildRecord(2));
  ASSERT_TRUE(from_old.ok()) << from_old.status().message();
  ASSERT_TRUE(from_new.ok()) << from_new.status().message();
  EXPECT_EQ(SyncAt(*old_terminal, 2), 2u);
  EXPECT_EQ(SyncAt(*new_terminal, kSyncProtocolVersion), kSyncProtocolVersion);
  EXPECT_EQ(SyncAt(*old_terminal, 2), 2u);

  // Each holds the other's registration as pulled.
  EXPECT_EQ(FieldOf(*old_terminal, *from_new, "name"), SyntheticChildName(2));
  EXPECT_EQ(FieldOf(*new_terminal, *from_old, "name"), SyntheticChildName(1));

  // Each changes the other's child; the changes cross over in both directions.
  ASSERT_TRUE(
      old_terminal->children().Update(*from_new, {{"residence_address", "西乡街道 1 号"}}).ok());
  ASSERT_TRUE(
      new_terminal->children().Update(*from_old, {{"residence_address", "固戍一路 2 号"}}).ok());
  SyncAt(*old_terminal, 2);
  SyncAt(*new_terminal, kSyncProtocolVersion);
  SyncAt(*old_terminal, 2);
  EXPECT_EQ(FieldOf(*new_terminal, *from_new, "residence_address"), "西乡街道 1 号");
  EXPECT_EQ(FieldOf(*old_terminal, *from_old, "residence_address"), "固戍一路 2 号");
  d.StopServer();
}

}  // namespace
}  // namespace onecard::testing
