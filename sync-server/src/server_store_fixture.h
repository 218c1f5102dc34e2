// The server library's unit-test fixture: a real ServerStore (SQLCipher file) in a fresh directory
// of its own per test, sites and terminals to ingest from, wire events as terminals send them, and
// row counts. Header-only, for *_test.cc files.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "../../tests/support/test_card_proof.h"
#include "onecard/platform/clock.h"
#include "onecard/protocol/event_types.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/server/cli.h"
#include "onecard/server/enrolment.h"
#include "onecard/server/server_store.h"
#include "server_store_internals.h"

namespace onecard::server {

class ServerStoreFixture : public ::testing::Test {
 protected:
  // Creates the store, then the given sites and terminals ({terminal_id, site_id}). The store
  // reads `clock` (which must outlive it).
  void CreateStore(const std::vector<Site>& sites,
                   const std::vector<std::pair<std::string, std::string>>& terminals,
                   const platform::Clock& clock = platform::SystemClock()) {
    dir_ = (std::filesystem::temp_directory_path() /
            ("onecard-server-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    Status initialized = InitializeServer(dir_, {});
    ASSERT_TRUE(initialized.ok()) << initialized.message();
    auto store = ServerStore::Open(dir_, clock);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
    for (const Site& site : sites) ASSERT_TRUE(store_->AddSite(site).ok()) << site.site_id;
    for (const auto& [terminal, site] : terminals) {
      auto bundle = EnrollTerminal(*store_, site, terminal, "127.0.0.1:7443");
      ASSERT_TRUE(bundle.ok()) << terminal << ": " << bundle.status().message();
      bundles_[terminal] = std::move(bundle).value();
    }
  }

  // Sites the tests enrol terminals at: sending sites in Jiangsu and Hunan, a receiving site in
  // Guangdong.
  static inline const Site kSihong{"JS", "泗洪", "321324", "sending"};
  static inline const Site kBaoan{"GD", "宝安", "440306", "receiving"};
  static inline const Site kChangsha{"HN", "长沙", "430102", "sending"};

  // CreateStore with kSihong and its terminal T1, and kBaoan and its terminal T2.
  void CreateTwoSiteStore(const platform::Clock& clock = platform::SystemClock()) {
    CreateStore({kSihong, kBaoan}, {{"T1", "JS"}, {"T2", "GD"}}, clock);
  }

  // The card proof a terminal attaches to a change it makes after reading the child's card: the
  // card's sealed record of `child` (which names its child_id and card_serial), written and signed
  // by enrolled terminal `writer` `written_days_ago` days ago.
  wire::CardProof CardProofFrom(const std::string& writer, const nlohmann::json& child,
                                int written_days_ago = 30) {
    return testing::SealedCardProof(
        bundles_.at(writer), child,
        platform::SystemClock().WallSeconds() - int64_t{written_days_ago} * 86400);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A wall-clock time (Unix ms, 2026-09-21) for stamps written in full, (kEventMs << 16) + n: after
  // the test children's birth dates, not ahead of the server's clock.
  static constexpr uint64_t kEventMs = 1'790'000'000'000;
  // Stamps below 2^32 in tests stand for order only: they are placed after 2026-01-01 00:00 UTC,
  // where the server's checks find them plausible (after the birth dates, not ahead of its clock).
  static uint64_t Stamp(uint64_t hlc) {
    constexpr uint64_t kTestEpochMs = 1767225600000;  // 2026-01-01T00:00:00Z
    return hlc < (uint64_t{1} << 32) ? (kTestEpochMs << 16) + hlc : hlc;
  }
  // The guardian's consent a new child's record must carry.
  static nlohmann::json Consent() {
    return {{"by", "张建国"}, {"relation", "father"}, {"date", "2025-06-01"}};
  }

  static wire::Event MakeEvent(const std::string& terminal, const std::string& type, uint64_t seq,
                               uint64_t hlc, const std::string& child,
                               const nlohmann::json& payload) {
    wire::Event e;
    e.set_terminal_id(terminal);
    e.set_seq(seq);
    e.set_hlc(Stamp(hlc));
    e.set_type(type);
    e.set_child_id(child);
    e.set_payload(payload.dump());
    return e;
  }
  // A child.upsert event setting `fields` of `child`.
  static wire::Event MakeUpsert(const std::string& terminal, uint64_t seq, uint64_t hlc,
                                const std::string& child, const nlohmann::json& fields) {
    return MakeEvent(terminal, std::string(event_type::kChildUpsert), seq, hlc, child,
                     {{"child_id", child}, {"fields", fields}});
  }

  // Ingests a child.upsert of `fields` of `child` from `terminal`; a refusal is a fatal failure.
  void Put(const std::string& terminal, uint64_t seq, uint64_t hlc, const std::string& child,
           const nlohmann::json& fields) {
    auto acked = store_->Ingest(terminal, {MakeUpsert(terminal, seq, hlc << 16, child, fields)});
    ASSERT_TRUE(acked.ok()) << acked.status().message();
  }
  // A new boy's record with his hukou in Sihong (321324), living in `residence`: "other" there, a
  // migrant elsewhere.
  static nlohmann::json NewChild(const std::string& name, const std::string& residence,
                                 const std::string& birth_date = "2016-03-15") {
    return {{"name", name},
            {"sex", "M"},
            {"birth_date", birth_date},
            {"hukou_area", "321324"},
            {"residence_area", residence},
            {"category", residence == "321324" ? "other" : "migrant"},
            {"consent", Consent()}};
  }

  // Ingests `events` of `terminal` as a version 3 push (refused one by one): the refusals'
  // messages, by seq.
  std::map<uint64_t, std::string> PushV3(const std::string& terminal,
                                         std::vector<wire::Event> events) {
    std::vector<IngestBatch> group(1);
    group[0].terminal_id = terminal;
    group[0].refuse_singly = true;
    group[0].events = std::move(events);
    store_->IngestGroup(group);
    EXPECT_TRUE(group[0].acked.ok()) << group[0].acked.status().message();
    std::map<uint64_t, std::string> refused;
    for (const wire::EventRefusal& r : group[0].refused) refused[r.seq()] = r.message();
    return refused;
  }

  // The server CLI run in this process (the store closed meanwhile, opened again after with the
  // system clock): exit status and stdout.
  std::pair<int, std::string> Cli(std::vector<std::string> args) {
    store_.reset();
    args.insert(args.begin(), {"onecard-server", "--data", dir_});
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    ::testing::internal::CaptureStdout();
    int code = RunCli(static_cast<int>(argv.size()), argv.data(), platform::SystemClock());
    std::string out = ::testing::internal::GetCapturedStdout();
    auto reopened = ServerStore::Open(dir_);
    EXPECT_TRUE(reopened.ok());
    if (reopened.ok()) store_ = std::move(reopened).value();
    return {code, out};
  }

  int64_t CountRows(const std::string& table) {
    return ServerStoreInternals::WithDatabase(*store_, [&](schema::Database& db) {
      auto st = db.Prepare("SELECT count(*) FROM " + table);
      EXPECT_TRUE(st.ok());
      EXPECT_TRUE(*st->Step());
      return st->ColumnInt(0);
    });
  }

  std::string dir_;
  std::unique_ptr<ServerStore> store_;
  std::map<std::string, nlohmann::json> bundles_;  // terminal id → its enrolment bundle
};

}  // namespace onecard::server
