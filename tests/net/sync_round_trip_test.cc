// Push and pull over real TLS on loopback between RunSync and SyncService, with fake stores.
#include <gtest/gtest.h>

#include <thread>

#include "net_fixture.h"
#include "onecard/protocol/i18n.h"

namespace onecard::testing {
namespace {

using terminal::RunSync;

TEST_F(SyncNetTest, PushThenPullRoundTrip) {
  StartService();
  terminal::SyncEndpoint a = Enrol("T-A", "320102", "S-A");
  terminal::SyncEndpoint b = Enrol("T-B", "320102", "S-B");
  terminal::SyncEndpoint elsewhere = Enrol("T-C", "440305", "S-C");

  FakeLocalStore a_store;
  a_store.AddEvents("T-A", 1, 3, "C-A");
  auto report = RunSync(a, a_store, QuickOptions());
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->pushed, 3u);
  EXPECT_EQ(report->site_id, "S-A");
  EXPECT_EQ(report->area, "320102");
  EXPECT_EQ(report->protocol_version, kSyncProtocolVersion);
  EXPECT_TRUE(a_store.outbox.empty());
  EXPECT_EQ(a_store.last_acked, 3u);
  EXPECT_EQ(store_.stored_events(), 3u);
  // A pulls its own children back (they are in its area).
  EXPECT_EQ(report->pulled, 3u);

  FakeLocalStore b_store;
  auto b_report = RunSync(b, b_store, QuickOptions());
  ASSERT_TRUE(b_report.ok()) << b_report.status().message();
  EXPECT_EQ(b_report->pushed, 0u);
  EXPECT_EQ(b_report->pulled, 3u);
  ASSERT_EQ(b_store.children.size(), 3u);
  EXPECT_NE(b_store.children.at("C-A-2").find("张三"), std::string::npos);
  EXPECT_GT(b_store.cursor, 0u);

  // Pulling again from the stored cursor brings nothing new.
  auto again = RunSync(b, b_store, QuickOptions());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->pulled, 0u);

  // Another area sees none of it.
  FakeLocalStore c_store;
  auto c_report = RunSync(elsewhere, c_store, QuickOptions());
  ASSERT_TRUE(c_report.ok());
  EXPECT_EQ(c_report->pulled, 0u);
  EXPECT_TRUE(c_store.children.empty());
  EXPECT_TRUE(StatReaches([](const server::SyncServiceStats& s) { return s.completed == 4u; }))
      << "completed";
}

// A page saying `more` must move the cursor forward: the same request would bring it for ever.
TEST_F(SyncNetTest, PageThatDoesNotMoveTheCursorForwardEndsThePullWithAClearError) {
  SetLanguage(Language::kEn);
  StartService();
  terminal::SyncEndpoint a = Enrol("T-A");
  FakeLocalStore a_store;
  a_store.AddEvents("T-A", 1, 2, "C");
  store_.stuck_next_cursor = 0;  // children come, but the cursor stays at 0
  auto stuck = RunSync(a, a_store, QuickOptions());
  ASSERT_FALSE(stuck.ok());
  EXPECT_EQ(stuck.status().code(), ErrorCode::kInternal);
  EXPECT_NE(stuck.status().message().find("did not advance"), std::string::npos)
      << stuck.status().message();
  EXPECT_EQ(store_.pull_calls.load(), 1);
  EXPECT_EQ(a_store.pages_applied, 0);

  a_store.cursor = 5;
  store_.stuck_next_cursor = 3;
  auto back = RunSync(a, a_store, QuickOptions());
  ASSERT_FALSE(back.ok());
  EXPECT_NE(back.status().message().find("went back"), std::string::npos)
      << back.status().message();
  EXPECT_EQ(a_store.cursor, 5u);
}

TEST_F(SyncNetTest, RePushingTheSameEventsIsAcknowledgedAndStoredOnce) {
  StartService();
  terminal::SyncEndpoint a = Enrol("T-A");
  FakeLocalStore once;
  once.AddEvents("T-A", 1, 5, "C");
  ASSERT_TRUE(RunSync(a, once, QuickOptions()).ok());
  FakeLocalStore
      replay;  // the same five events again, as after a crash before the ack was recorded
  replay.AddEvents("T-A", 1, 5, "C");
  auto report = RunSync(a, replay, QuickOptions());
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->pushed, 5u);
  EXPECT_TRUE(replay.outbox.empty());
  EXPECT_EQ(replay.last_acked, 5u);
  EXPECT_EQ(store_.stored_events(), 5u);
  EXPECT_EQ(store_.ingest_calls, 2);
}

TEST_F(SyncNetTest, OutboxThatKeepsAcknowledgedEventsIsAnErrorNotALoop) {
  StartService();
  terminal::SyncEndpoint a = Enrol("T-A");
  FakeLocalStore broken;
  broken.ignore_acks = true;
  broken.AddEvents("T-A", 1, 3, "C");
  auto report = RunSync(a, broken, QuickOptions());
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), ErrorCode::kInternal);
  EXPECT_EQ(store_.ingest_calls, 1);
  EXPECT_EQ(store_.stored_events(), 3u);
}

TEST_F(SyncNetTest, LostAcknowledgementIsRetriedWithoutDuplicates) {
  StartService();
  terminal::SyncEndpoint a = Enrol("T-A");
  store_.fail_after_commit = 1;  // the first push commits, then the reply is an error
  FakeLocalStore local;
  local.AddEvents("T-A", 1, 4, "C");
  auto report = RunSync(a, local, QuickOptions());
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(local.outbox.empty());
  EXPECT_EQ(store_.stored_events(), 4u);
  EXPECT_EQ(store_.ingest_calls, 2);
}

TEST_F(SyncNetTest, GivesUpAfterTheLastAttempt) {
  StartService();
  terminal::SyncEndpoint a = Enrol("T-A");
  store_.fail_after_commit = 100;
  FakeLocalStore local;
  local.AddEvents("T-A", 1, 2, "C");
  terminal::SyncOptions options = QuickOptions();
  options.attempts = 3;
  auto report = RunSync(a, local, options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(store_.ingest_calls, 3);
  EXPECT_EQ(local.outbox.size(), 2u);  // nothing dropped without an acknowledgement
}

TEST_F(SyncNetTest, StoreRejectionIsReportedAndNothingIsDropped) {
  StartService();
  terminal::SyncEndpoint a = Enrol("T-A");
  FakeLocalStore local;
  local.AddEvents("T-OTHER", 1, 2, "C");  // events claiming another terminal's identity
  auto report = RunSync(a, local, QuickOptions());
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(local.outbox.size(), 2u);
  EXPECT_EQ(store_.stored_events(), 0u);
  EXPECT_EQ(store_.ingest_calls, 1);  // not retried
}

TEST_F(SyncNetTest, PushesAndPullsInBatchesAndPages) {
  StartService([](server::SyncServiceOptions& o) { o.max_pull_items = 100; });
  terminal::SyncEndpoint a = Enrol("T-A");
  FakeLocalStore local;
  local.AddEvents("T-A", 1, 1234, "C");
  terminal::SyncOptions options = QuickOptions();
  options.push_batch = 500;
  options.pull_page = 1000;  // capped by the server at 100
  auto report = RunSync(a, local, options);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->pushed, 1234u);
  EXPECT_EQ(local.acknowledgements, 3);  // 500 + 500 + 234
  EXPECT_EQ(report->pulled, 1234u);
  EXPECT_EQ(local.pages_applied, 13);  // 12 full pages of 100 and one of 34
  EXPECT_EQ(store_.largest_max_items.load(), 100u);
  EXPECT_EQ(local.children.size(), 1234u);
}

TEST_F(SyncNetTest, BatchesShrinkToFitTheFrameLimit) {
  StartService([](server::SyncServiceOptions& o) { o.max_frame_bytes = 64 * 1024; });
  terminal::SyncEndpoint a = Enrol("T-A");
  FakeLocalStore local;
  local.AddEvents("T-A", 1, 40, "C", 8 * 1024);  // ~8 KiB each: 40 do not fit in 64 KiB
  terminal::SyncOptions options = QuickOptions();
  options.max_frame_bytes = 64 * 1024;
  auto report = RunSync(a, local, options);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->pushed, 40u);
  EXPECT_GT(store_.ingest_calls, 1);
  EXPECT_EQ(report->pulled, 40u);  // pages were shrunk by the server too
  EXPECT_EQ(service_->stats().bad_frames, 0u);
}

TEST_F(SyncNetTest, ClientRefusesAFrameOverItsOwnLimit) {
  StartService();
  terminal::SyncEndpoint a = Enrol("T-A");
  FakeLocalStore local;
  local.AddEvents("T-A", 1, 40, "C");  // about 70 bytes each: one page of 40 is over 2 KiB
  terminal::SyncOptions options = QuickOptions();
  options.push_batch = 10;
  options.max_frame_bytes = 2048;
  auto report = RunSync(a, local, options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), ErrorCode::kResourceExhausted) << report.status().message();
  EXPECT_TRUE(local.outbox.empty());  // the pushes went through before the pull failed
  EXPECT_TRUE(local.children.empty());
  EXPECT_EQ(local.cursor, 0u);
}

TEST_F(SyncNetTest, ManyTerminalsSyncConcurrently) {
  StartService([](server::SyncServiceOptions& o) { o.threads = 2; });
  constexpr int kTerminals = 40;
  std::vector<terminal::SyncEndpoint> endpoints;
  for (int i = 0; i < kTerminals; ++i) endpoints.push_back(Enrol("T-" + std::to_string(i)));
  std::vector<Status> results(kTerminals);
  std::vector<std::thread> threads;
  for (int i = 0; i < kTerminals; ++i) {
    threads.emplace_back([&, i] {
      FakeLocalStore local;
      local.AddEvents(endpoints[i].terminal_id, 1, 25, "C" + std::to_string(i));
      auto r = RunSync(endpoints[i], local, QuickOptions());
      results[i] = r.ok()
                       ? (local.outbox.empty() ? Status::Ok()
                                               : Status(ErrorCode::kInternal, "outbox not empty"))
                       : r.status();
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kTerminals; ++i)
    EXPECT_TRUE(results[i].ok()) << i << ": " << results[i].message();
  EXPECT_EQ(store_.stored_events(), static_cast<size_t>(kTerminals * 25));
  EXPECT_TRUE(StatReaches([](const server::SyncServiceStats& s) {
    return s.events_ingested == static_cast<uint64_t>(kTerminals * 25);
  })) << "events_ingested";
}

TEST_F(SyncNetTest, UnreachableServerIsUnavailableAfterRetries) {
  StartService();
  terminal::SyncEndpoint a = Enrol("T-A");
  uint16_t port = service_->port();
  service_->Stop();
  a.port = port;
  FakeLocalStore local;
  local.AddEvents("T-A", 1, 1, "C");
  auto start = std::chrono::steady_clock::now();
  auto report = RunSync(a, local, QuickOptions());
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), ErrorCode::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(local.outbox.size(), 1u);
}

}  // namespace
}  // namespace onecard::testing
