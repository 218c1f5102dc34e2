// Sync durability over the real programs (issue 5, acceptance): a real `onecard-server serve`
// process killed with SIGKILL at random moments (seeded) while a terminal pushes 10,000 events
// (each after the round's first acknowledgement, so that it lands mid-push whatever the load);
// a pull cut after a varied number of bytes by a TCP proxy; a revoked terminal refused. The
// terminal side is the real TerminalStore (in this process, so that 10,000 events do not cost
// 10,000 PBKDF2 runs) driven by the real client, RunSync.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <thread>

#include "cutting_proxy.h"
#include "deployment.h"
#include "onecard/protocol/frame.h"
#include "onecard/schema/database.h"
#include "onecard/server/server_store.h"
#include "onecard/terminal/store_keys.h"
#include "onecard/terminal/sync_client.h"
#include "onecard/terminal/terminal_store.h"
#include "onecard/terminal/terminal_sync_store.h"
#include "process.h"
#include "server_store_internals.h"
#include "synthetic_children.h"

namespace onecard::testing {
namespace {

using nlohmann::json;
using terminal::TerminalStore;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr uint32_t kSeed = 20261124;
constexpr char kUser[] = "chen";

// What the server holds for one terminal, read from its store while `serve` is not running.
struct ServerHolding {
  int64_t events = 0, distinct_seqs = 0, min_seq = 0, max_seq = 0, contiguous = 0, children = 0,
          max_change = 0;
};

ServerHolding ReadServer(const std::string& server_dir, const std::string& terminal_id) {
  ServerHolding h;
  auto store = server::ServerStore::Open(server_dir);
  EXPECT_TRUE(store.ok()) << store.status().message();
  if (!store.ok()) return h;
  server::ServerStoreInternals::WithDatabase(**store, [&](schema::Database& db) {
    auto one = [&](const std::string& sql, bool bind_terminal = true) -> int64_t {
      auto st = db.Prepare(sql);
      EXPECT_TRUE(st.ok()) << sql;
      if (!st.ok()) return -1;
      if (bind_terminal) st->Bind(1, terminal_id);
      auto row = st->Step();
      return row.ok() && *row ? st->ColumnInt(0) : -1;
    };
    h.events = one("SELECT count(*) FROM events WHERE terminal_id = ?");
    h.distinct_seqs = one("SELECT count(DISTINCT seq) FROM events WHERE terminal_id = ?");
    h.min_seq = one("SELECT coalesce(min(seq), 0) FROM events WHERE terminal_id = ?");
    h.max_seq = one("SELECT coalesce(max(seq), 0) FROM events WHERE terminal_id = ?");
    h.contiguous = one("SELECT contiguous_seq FROM terminals WHERE terminal_id = ?");
    h.children = one("SELECT count(*) FROM children WHERE child_id LIKE ? || '-%'");
    // The change sequence also numbers the identity review pairs and persons (a refresh before a
    // pull publishes them; these synthetic children all look alike).
    h.max_change =
        one("SELECT max(coalesce((SELECT max(change_seq) FROM children), 0), "
            "coalesce((SELECT max(change_seq) FROM revocations), 0), "
            "coalesce((SELECT max(change_seq) FROM identity_review_sync), 0), "
            "coalesce((SELECT max(change_seq) FROM identity_person_sync), 0))",
            /*bind_terminal=*/false);
    return 0;
  });
  return h;
}

// Forwards to the terminal's store and lets the test wait until the server has acknowledged
// events above a given seq (Acknowledge runs on the sync thread).
class AckWatcher : public terminal::SyncLocalStore {
 public:
  explicit AckWatcher(terminal::SyncLocalStore& store) : store_(store) {}
  Result<std::vector<wire::Event>> PendingEvents(size_t max, uint64_t after_seq = 0) override {
    return store_.PendingEvents(max, after_seq);
  }
  Status Acknowledge(uint64_t acked_seq) override {
    Status s = store_.Acknowledge(acked_seq);
    std::lock_guard lock(mu_);
    acked_ = std::max(acked_, acked_seq);
    changed_.notify_all();
    return s;
  }
  Status SetAsideRefused(const std::vector<wire::EventRefusal>& refused) override {
    return store_.SetAsideRefused(refused);
  }
  Result<uint64_t> PullCursor() override { return store_.PullCursor(); }
  Result<std::vector<terminal::PullSetAside>> ApplyPage(const wire::PullPage& page) override {
    return store_.ApplyPage(page);
  }
  // Returns when an acknowledgement above `seq` came, or after `limit`.
  void WaitForAckAbove(uint64_t seq, std::chrono::seconds limit) {
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, limit, [&] { return acked_ > seq; });
  }

 private:
  terminal::SyncLocalStore& store_;
  std::mutex mu_;
  std::condition_variable changed_;
  uint64_t acked_ = 0;
};

class SyncDurability : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(d_.Server({"init"}).exit_code, 0);
    t1_ = d_.AddTerminal("GD-BAOAN", "宝安区登记点", "440306", "receiving", "GD-T1", kUser);
  }
  void TearDown() override {
    if (server_.pid() > 0) server_.Stop(SIGTERM, std::chrono::seconds(10));
    if (HasFailure()) std::cerr << "server log:\n" << ReadFile(d_.dir() / "serve.log") << std::endl;
  }

  // `onecard-server serve` as a process of this test, so that it can be killed with SIGKILL.
  void StartServer() {
    RunOptions options;
    options.env = {{"ONECARD_LANG", "en"}};
    server_ = Process({BuiltProgram("onecard-server"), "serve", "--data", d_.server_dir(),
                       "--listen", d_.address()},
                      options, d_.dir() / "serve.log");
    ASSERT_TRUE(WaitForTcpPort(d_.port(), std::chrono::seconds(20)))
        << ReadFile(d_.dir() / "serve.log");
  }
  void KillServer() {
    ::kill(server_.pid(), SIGKILL);
    server_.Wait(std::chrono::seconds(20));
    server_ = Process();
  }
  void StopServer() { server_.Stop(SIGTERM, std::chrono::seconds(10)); }

  // `serve` refreshes the identity grouping in the background and publishes what changed under new
  // change numbers, possibly after a terminal's last pull ended. The terminal then pulls again, as
  // it would at its next sync, until a pull leaves nothing newer at the stopped server (at most
  // `rounds` times); returns the server's holding at the end.
  ServerHolding PullUntilNothingNewer(TerminalStore& store, const terminal::SyncEndpoint& endpoint,
                                      const terminal::SyncOptions& options, int rounds = 60) {
    ServerHolding h = ReadServer(d_.server_dir(), "GD-T1");
    for (int round = 0; round < rounds; ++round) {
      auto cursor = store.pull().Cursor();
      if (!cursor.ok() || static_cast<int64_t>(*cursor) == h.max_change) break;
      std::cerr << "pulling again: cursor " << *cursor << ", server at " << h.max_change << "\n";
      StartServer();
      std::this_thread::sleep_for(milliseconds(500));  // the background refresh goes on
      terminal::TerminalSyncStore local(store);
      auto pulled = terminal::RunSync(endpoint, local, options);
      EXPECT_TRUE(pulled.ok()) << pulled.status().message();
      StopServer();
      h = ReadServer(d_.server_dir(), "GD-T1");
    }
    return h;
  }

  static std::unique_ptr<TerminalStore> OpenTerminal(const std::string& dir) {
    auto store = TerminalStore::Open(dir, kUser, Deployment::kPassphrase);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  static terminal::SyncOptions OneAttempt() {
    terminal::SyncOptions o;
    o.attempts = 1;
    o.connect_timeout = std::chrono::seconds(10);
    o.io_timeout = std::chrono::seconds(30);
    return o;
  }

  Deployment d_;
  std::string t1_;
  Process server_;
};

TEST_F(SyncDurability, ServerKilledManyTimesMidPushHoldsEachOfTenThousandEventsExactlyOnce) {
  constexpr int kEvents = 10'000;
  constexpr int kKills = 18;
  auto store = OpenTerminal(t1_);
  ASSERT_NE(store, nullptr);
  for (int i = 0; i < kEvents; ++i) {
    auto id = store->children().Register(SyntheticChildRecord(i));
    ASSERT_TRUE(id.ok()) << i << ": " << id.status().message();
  }
  auto endpoint = store->enrolment().LoadSyncEndpoint("");
  ASSERT_TRUE(endpoint.ok()) << endpoint.status().message();
  terminal::SyncOptions options = OneAttempt();
  options.push_batch = 100;  // many commit points to land between and inside

  // Each kill comes at a random moment (seeded) after the server acknowledged a batch of this
  // round: the push is then under way whatever the machine's load, and the moment falls between
  // or inside the following batches' receipt, ingest and commit.
  std::mt19937 rng(kSeed);
  std::uniform_int_distribution<int> moment_ms(0, 40);
  int64_t held = 0;
  int kills_mid_push = 0, failed_syncs = 0;
  for (int kill = 0; kill < kKills && held < kEvents; ++kill) {
    StartServer();
    terminal::TerminalSyncStore local(*store);
    AckWatcher watched(local);
    std::optional<Result<terminal::SyncReport>> outcome;
    std::thread sync([&] { outcome.emplace(terminal::RunSync(*endpoint, watched, options)); });
    watched.WaitForAckAbove(static_cast<uint64_t>(held), std::chrono::seconds(60));
    std::this_thread::sleep_for(milliseconds(moment_ms(rng)));
    KillServer();
    sync.join();
    ServerHolding h = ReadServer(d_.server_dir(), "GD-T1");
    ASSERT_EQ(h.events, h.distinct_seqs);
    ASSERT_GE(h.events, held) << "the server lost committed events";
    ASSERT_EQ(h.contiguous, h.events) << "a gap in the stored seqs";
    if (!outcome->ok()) ++failed_syncs;
    if (!outcome->ok() && h.events > 0 && h.events < kEvents) ++kills_mid_push;
    held = h.events;
    // The terminal drops only what the server acknowledged: never more than the server holds.
    auto pending = store->outbox().Pending(static_cast<size_t>(kEvents));
    ASSERT_TRUE(pending.ok());
    ASSERT_GE(static_cast<int64_t>(pending->size()), kEvents - held);
  }
  EXPECT_GE(kills_mid_push, kKills / 2) << "the kills did not land during the push often enough";
  EXPECT_GE(failed_syncs, kills_mid_push);

  // Restart and sync again until done.
  StartServer();
  terminal::TerminalSyncStore store_sync(*store);
  auto finished = terminal::RunSync(*endpoint, store_sync, OneAttempt());
  ASSERT_TRUE(finished.ok()) << finished.status().message();
  StopServer();
  ServerHolding h = PullUntilNothingNewer(*store, *endpoint, OneAttempt());
  EXPECT_EQ(h.events, kEvents);
  EXPECT_EQ(h.distinct_seqs, kEvents);
  EXPECT_EQ(h.min_seq, 1);
  EXPECT_EQ(h.max_seq, kEvents);
  EXPECT_EQ(h.contiguous, kEvents);
  EXPECT_EQ(h.children, kEvents);
  auto pending = store->outbox().Pending(10);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty()) << pending->size() << " events left in the outbox";
  auto cursor = store->pull().Cursor();
  ASSERT_TRUE(cursor.ok());
  EXPECT_EQ(static_cast<int64_t>(*cursor), h.max_change);
  std::cerr << "kills mid-push: " << kills_mid_push << " of " << kKills << std::endl;
}

TEST_F(SyncDurability, PullCutAtVariedBytesResumesAndEndsWithEveryChildExactlyOnce) {
  constexpr int kChildren = 1'500;
  constexpr int kCuts = 16;
  std::map<std::string, std::string> registered;  // child_id -> name
  {
    auto a = OpenTerminal(t1_);
    ASSERT_NE(a, nullptr);
    for (int i = 0; i < kChildren; ++i) {
      auto id = a->children().Register(SyntheticChildRecord(i));
      ASSERT_TRUE(id.ok()) << id.status().message();
      registered[*id] = SyntheticChildName(i);
    }
    StartServer();
    auto endpoint = a->enrolment().LoadSyncEndpoint("");
    ASSERT_TRUE(endpoint.ok());
    terminal::TerminalSyncStore a_sync(*a);
    auto pushed = terminal::RunSync(*endpoint, a_sync, OneAttempt());
    ASSERT_TRUE(pushed.ok()) << pushed.status().message();
    ASSERT_EQ(pushed->pushed, static_cast<uint64_t>(kChildren));
  }
  // A second terminal of the same site pulls everything through a proxy that cuts.
  std::string t2 =
      d_.AddTerminal("GD-BAOAN", "宝安区登记点", "440306", "receiving", "GD-T2", kUser);
  auto b = OpenTerminal(t2);
  ASSERT_NE(b, nullptr);
  CuttingProxy proxy(d_.port());
  auto endpoint = b->enrolment().LoadSyncEndpoint("127.0.0.1:" + std::to_string(proxy.port()));
  ASSERT_TRUE(endpoint.ok());
  terminal::SyncOptions options = OneAttempt();
  options.pull_page = 50;  // 30 pages: cuts land inside pages and between them

  std::mt19937 rng(kSeed);
  std::uniform_int_distribution<uint64_t> cut_at(1, 120'000);
  uint64_t cursor = 0;
  int resumed_mid_pull = 0;
  for (int i = 0; i < kCuts; ++i) {
    proxy.set_cut_after(cut_at(rng));
    terminal::TerminalSyncStore b_sync(*b);
    auto r = terminal::RunSync(*endpoint, b_sync, options);
    auto now = b->pull().Cursor();
    ASSERT_TRUE(now.ok());
    ASSERT_GE(*now, cursor) << "the pull cursor went back";
    if (!r.ok() && *now > cursor) ++resumed_mid_pull;  // progress kept although the pull was cut
    cursor = *now;
    if (r.ok()) break;  // the cut came after the whole exchange
  }
  EXPECT_GE(proxy.cuts(), static_cast<uint64_t>(kCuts / 2));
  EXPECT_GE(resumed_mid_pull, 3) << "cuts did not land between applied pages";

  proxy.set_cut_after(CuttingProxy::kNoCut);
  terminal::TerminalSyncStore b_sync(*b);
  auto last = terminal::RunSync(*endpoint, b_sync, options);
  ASSERT_TRUE(last.ok()) << last.status().message();
  StopServer();
  ServerHolding h = PullUntilNothingNewer(*b, *endpoint, options);
  auto final_cursor = b->pull().Cursor();
  ASSERT_TRUE(final_cursor.ok());
  EXPECT_EQ(static_cast<int64_t>(*final_cursor), h.max_change);

  // Every child exactly once, with its data.
  for (const auto& [id, name] : registered) {
    auto record = b->children().RecordOf(id);
    ASSERT_TRUE(record.ok()) << id << ": " << record.status().message();
    EXPECT_EQ((*record)["name"], name) << id;
  }
  b.reset();
  auto key = terminal::StoreKeys::Unlock(t2, kUser, Deployment::kPassphrase);
  ASSERT_TRUE(key.ok());
  auto db = schema::Database::Open(t2 + "/terminal.db", *key, false);
  ASSERT_TRUE(db.ok());
  auto st = db->Prepare("SELECT count(*), count(DISTINCT child_id) FROM children");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(st->Step().value());
  EXPECT_EQ(st->ColumnInt(0), kChildren);
  EXPECT_EQ(st->ColumnInt(1), kChildren);
}

TEST_F(SyncDurability, RevokedTerminalIsRefusedWithAClearMessage) {
  StartServer();
  RunResult first = d_.Terminal(t1_, {"sync"});
  ASSERT_EQ(first.exit_code, 0) << first.err;

  RunResult revoke = d_.Server({"revoke", "--terminal", "GD-T1"});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  // The running server notices the revocation made by another process at its next reload of the
  // revoked terminals (every second by default) and logs it.
  const std::string noticed =
      "terminal GD-T1 is revoked: refused during the TLS handshake from now on";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (ReadFile(d_.dir() / "serve.log").find(noticed) == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_NE(ReadFile(d_.dir() / "serve.log").find(noticed), std::string::npos)
      << ReadFile(d_.dir() / "serve.log");
  RunResult refused = d_.Terminal(t1_, {"sync"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("this terminal's certificate was revoked"), std::string::npos)
      << refused.err;

  // openssl s_client with the terminal's own certificate: the handshake ends with the TLS alert
  // certificate_revoked (TLS 1.3: s_client sees it at its first read), and the server closes.
  auto store = OpenTerminal(t1_);
  ASSERT_NE(store, nullptr);
  auto endpoint = store->enrolment().LoadSyncEndpoint("");
  ASSERT_TRUE(endpoint.ok());
  WriteFile(d_.dir() / "ca.pem", endpoint->ca_cert_pem);
  WriteFile(d_.dir() / "t.pem", endpoint->cert_pem);
  WriteFile(d_.dir() / "t.key", endpoint->key_pem);
  wire::Envelope hello;
  hello.mutable_hello()->set_protocol_version(kSyncProtocolVersion);
  hello.mutable_hello()->set_terminal_id("GD-T1");
  hello.mutable_hello()->set_software("openssl-s_client");
  Bytes frame = EncodeFrame(hello);
  RunOptions options;
  options.stdin_data.assign(frame.begin(), frame.end());
  options.timeout = std::chrono::seconds(30);
  RunResult r = ::onecard::testing::Run(
      {"openssl", "s_client", "-connect", d_.address(), "-CAfile", d_.dir() / "ca.pem", "-cert",
       d_.dir() / "t.pem", "-key", d_.dir() / "t.key", "-tls1_3", "-quiet", "-ign_eof",
       "-verify_return_error"},
      options);
  std::remove((d_.dir() / "t.key").c_str());
  ASSERT_FALSE(r.timed_out) << "the server did not close the session";
  EXPECT_NE((r.out + r.err).find("certificate revoked"), std::string::npos) << r.out << r.err;
  // `serve` logs each refusal on one line (no personal data).
  EXPECT_NE(
      ReadFile(d_.dir() / "serve.log")
          .find("terminal GD-T1: terminal GD-T1 is revoked (refused during the TLS handshake)"),
      std::string::npos)
      << ReadFile(d_.dir() / "serve.log");
}

}  // namespace
}  // namespace onecard::testing
