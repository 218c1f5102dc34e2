// The server library's unit-test fixture: a real ServerStore (SQLCipher file) in a fresh directory
// of its own per test, sites and terminals to ingest from, wire events as terminals send them, and
// row counts. Header-only, for *_test.cc files.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "onecard/server/server_store.h"

namespace onecard::server {

class ServerStoreFixture : public ::testing::Test {
 protected:
  // Creates the store, then the given sites and terminals ({terminal_id, site_id}).
  void CreateStore(const std::vector<Site>& sites, const std::vector<std::pair<std::string, std::string>>& terminals) {
    dir_ = (std::filesystem::temp_directory_path() /
            ("onecard-server-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    auto store = ServerStore::Create(dir_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
    for (const Site& site : sites) ASSERT_TRUE(store_->AddSite(site).ok()) << site.site_id;
    for (const auto& [terminal, site] : terminals) ASSERT_TRUE(store_->AddTerminal(terminal, site).ok()) << terminal;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static wire::Event MakeEvent(const std::string& terminal, const std::string& type, uint64_t seq, uint64_t hlc,
                               const std::string& child, const nlohmann::json& payload) {
    wire::Event e;
    e.set_terminal_id(terminal);
    e.set_seq(seq);
    e.set_hlc(hlc);
    e.set_type(type);
    e.set_child_id(child);
    e.set_payload(payload.dump());
    return e;
  }
  // A child.upsert event setting `fields` of `child`.
  static wire::Event MakeUpsert(const std::string& terminal, uint64_t seq, uint64_t hlc, const std::string& child,
                                const nlohmann::json& fields) {
    return MakeEvent(terminal, "child.upsert", seq, hlc, child, {{"child_id", child}, {"fields", fields}});
  }

  int64_t CountRows(const std::string& table) {
    return store_->WithDatabase([&](schema::Database& db) {
      auto st = db.Prepare("SELECT count(*) FROM " + table);
      EXPECT_TRUE(st.ok());
      EXPECT_TRUE(*st->Step());
      return st->ColumnInt(0);
    });
  }

  std::string dir_;
  std::unique_ptr<ServerStore> store_;
};

}  // namespace onecard::server
