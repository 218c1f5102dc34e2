// Sync server benchmark (issue 5). In one run, on the same machine and the same rows:
//   bare     a bare SQLCipher bulk insert into the server schema's events and children tables
//            (prepared statements, one transaction per 1,000 events, synchronous=FULL like the
//            store): the ceiling, in events/s (each event is one events row and one children row);
//   ingest   N terminals (default 8) pushing their outboxes at once over mutual TLS 1.3 on
//            loopback into the embedded ServerStore through the real SyncService: events/s from
//            the first connection to the last acknowledgement, and its ratio to `bare`;
//   pull     a real TerminalStore pulling and applying the children of its area: children/s;
//   idle     the process's resident memory (VmRSS) before and with M idle terminal connections
//            (TLS done, Hello answered), the clients being a separate process.
//
//   onecard_sync_ingest_bench [--terminals N] [--events E] [--idle M] [--threads T]
//
// E is the number of events per terminal (default 25,000). Everything lives in a fresh temporary
// directory that is removed at the end.
#include <malloc.h>
#ifdef ONECARD_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "fake_stores.h"
#include "onecard/platform/clock.h"
#include "onecard/protocol/child_state.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/event_types.h"
#include "onecard/protocol/frame.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/schema/database.h"
#include "onecard/schema/migrations.h"
#include "onecard/server/enrolment.h"
#include "onecard/server/server_store.h"
#include "onecard/server/sync_service.h"
#include "onecard/terminal/sync_client.h"
#include "onecard/terminal/terminal_store.h"
#include "onecard/terminal/terminal_sync_store.h"

extern char** environ;

namespace onecard {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr char kPullArea[] = "440306";  // the pull terminal's site: terminal 0's children live here
constexpr char kOtherArea[] = "440305";     // the other terminals' children
constexpr char kPushSiteArea[] = "110101";  // the pushing terminals' site: nothing to pull there

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::cerr << what << ": " << s.message() << std::endl;
    std::exit(1);
  }
}
template <typename T>
T Take(Result<T> r, const char* what) {
  Check(r.status(), what);
  return std::move(r).value();
}

// Returns the allocator's free pages to the system: jemalloc's (the server's allocator, linked
// into this program as into onecard-server) by purging every arena, glibc's by malloc_trim.
void ReturnFreePages() {
#ifdef ONECARD_JEMALLOC
  const std::string purge_all = "arena." + std::to_string(MALLCTL_ARENAS_ALL) + ".purge";
  mallctl(purge_all.c_str(), nullptr, nullptr, nullptr, 0);
#endif
  malloc_trim(0);
}

// Resident memory after returning the heap's free pages to the system: otherwise memory freed
// after ingest is reused by the idle sessions and they would look free of cost.
long VmRssKiB() {
  ReturnFreePages();
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// The event a registration at terminal `terminal_id` makes for its child number `i`.
wire::Event MakeEvent(const std::string& terminal_id, uint64_t seq, const std::string& area) {
  std::string child_id = terminal_id + "-" + std::to_string(seq);
  json fields = {
      {"name", "王小明"},
      {"sex", seq % 2 ? "M" : "F"},
      {"birth_date", "2018-05-04"},
      {"hukou_area", "321324"},
      {"residence_area", area},
      {"residence_address", "宝安区新安街道 12 号"},
      {"category", "migrant"},
      {"guardians",
       json::array({{{"name", "王强"}, {"relation", "father"}, {"phone", "13812345678"}}})},
      {"immunizations", json::array({{{"vaccine", "BCG"}, {"dose", 1}, {"date", "2018-05-05"}},
                                     {{"vaccine", "HepB"}, {"dose", 1}, {"date", "2018-05-05"}}})},
      {"consent", {{"by", "王强"}, {"relation", "father"}, {"date", "2026-10-01"}}}};
  wire::Event e;
  e.set_terminal_id(terminal_id);
  e.set_seq(seq);
  e.set_hlc((static_cast<uint64_t>(platform::SystemClock().WallSeconds()) * 1000) << 16 | seq);
  e.set_type(std::string(onecard::event_type::kChildUpsert));
  e.set_child_id(child_id);
  e.set_payload(json{{"child_id", child_id}, {"fields", fields}}.dump());
  return e;
}

// A pushing terminal's outbox in memory, as its store would hold it.
std::unique_ptr<testing::FakeLocalStore> InMemory(const std::vector<wire::Event>& outbox) {
  auto local = std::make_unique<testing::FakeLocalStore>();
  local->outbox.assign(outbox.begin(), outbox.end());
  return local;
}

terminal::SyncEndpoint EndpointOf(const json& bundle, uint16_t port) {
  terminal::SyncEndpoint e;
  e.host = "127.0.0.1";
  e.port = port;
  e.ca_cert_pem = bundle["ca_certificate"];
  e.cert_pem = bundle["tls_certificate"];
  e.key_pem = bundle["tls_key"];
  e.terminal_id = bundle["terminal_id"];
  return e;
}

// (a) The ceiling: the same rows straight into a fresh database of the server schema.
double BareInsert(const std::string& dir, const std::vector<std::vector<wire::Event>>& outboxes) {
  // The rows are prepared first: the merged state a child gets from its first event.
  struct Row {
    const wire::Event* event;
    std::string state, residence, hukou, category, sex, birth;
  };
  std::vector<Row> rows;
  for (const auto& outbox : outboxes) {
    for (const auto& e : outbox) {
      json payload = json::parse(e.payload());
      ChildState state(e.child_id());
      state.Apply(payload["fields"], Stamp{e.hlc(), e.terminal_id(), e.seq()});
      json record = state.Record();
      rows.push_back({&e, state.ToJson().dump(), record.value("residence_area", ""),
                      record.value("hukou_area", ""), record.value("category", ""),
                      record.value("sex", ""), record.value("birth_date", "")});
    }
  }
  schema::Database db =
      Take(schema::Database::Open(dir + "/bare.db", RandomSecret(32), true), "open bare db");
  Check(schema::Migrate(db, schema::ServerMigrationFiles()), "migrate bare db");
  schema::Statement ins_event =
      Take(db.Prepare("INSERT INTO events(terminal_id, seq, hlc, type, child_id, payload, "
                      "received_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
           "prepare");
  schema::Statement ins_child =
      Take(db.Prepare("INSERT INTO children(child_id, state, residence_area, hukou_area, category, "
                      "sex, birth_date, change_seq) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
           "prepare");
  auto t0 = Clock::now();
  int64_t change_seq = 0;
  for (size_t i = 0; i < rows.size(); i += 1000) {
    Check(db.Exec("BEGIN IMMEDIATE"), "begin");
    for (size_t j = i; j < std::min(rows.size(), i + 1000); ++j) {
      const Row& r = rows[j];
      const wire::Event& e = *r.event;
      Check(ins_event.Reset(), "reset");
      Check(ins_event.Bind(1, e.terminal_id())
                .Bind(2, static_cast<int64_t>(e.seq()))
                .Bind(3, static_cast<int64_t>(e.hlc()))
                .Bind(4, e.type())
                .Bind(5, e.child_id())
                .Bind(6, e.payload())
                .Bind(7, UtcNowIso8601(platform::SystemClock()))
                .Run(),
            "insert event");
      Check(ins_child.Reset(), "reset");
      Check(ins_child.Bind(1, e.child_id())
                .Bind(2, r.state)
                .Bind(3, r.residence)
                .Bind(4, r.hukou)
                .Bind(5, r.category)
                .Bind(6, r.sex)
                .Bind(7, r.birth)
                .Bind(8, ++change_seq)
                .Run(),
            "insert child");
    }
    Check(db.Exec("COMMIT"), "commit");
  }
  return static_cast<double>(rows.size()) / Seconds(t0);
}

// The child process of the idle measurement: opens `count` connections with the credentials in
// `creds` (one JSON bundle per line), says Hello on each, prints "ready", waits for stdin to close.
int IdleClients(uint16_t port, const std::string& creds_path) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  namespace asio = boost::asio;
  asio::io_context io;
  std::ifstream in(creds_path);
  std::string line;
  std::vector<std::unique_ptr<asio::ssl::context>> contexts;
  std::vector<std::unique_ptr<asio::ssl::stream<asio::ip::tcp::socket>>> streams;
  while (std::getline(in, line)) {
    json b = json::parse(line);
    auto tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(tls->native_handle(), TLS1_3_VERSION);
    tls->add_certificate_authority(asio::buffer(b["ca_certificate"].get<std::string>()));
    tls->set_verify_mode(asio::ssl::verify_peer);
    tls->use_certificate_chain(asio::buffer(b["tls_certificate"].get<std::string>()));
    tls->use_private_key(asio::buffer(b["tls_key"].get<std::string>()), asio::ssl::context::pem);
    auto stream = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket>>(io, *tls);
    boost::system::error_code ec;
    stream->lowest_layer().connect({asio::ip::make_address("127.0.0.1"), port}, ec);
    if (!ec) stream->handshake(asio::ssl::stream_base::client, ec);
    wire::Envelope hello;
    hello.mutable_hello()->set_protocol_version(kSyncProtocolVersion);
    hello.mutable_hello()->set_terminal_id(b["terminal_id"].get<std::string>());
    Bytes frame = EncodeFrame(hello);
    if (!ec) asio::write(*stream, asio::buffer(frame), ec);
    std::array<uint8_t, 4> header;
    if (!ec) asio::read(*stream, asio::buffer(header), ec);
    if (!ec) {
      std::vector<uint8_t> body((size_t{header[0]} << 24) | (size_t{header[1]} << 16) |
                                (size_t{header[2]} << 8) | header[3]);
      asio::read(*stream, asio::buffer(body), ec);
    }
    if (ec) {
      std::cerr << "idle client " << streams.size() << ": " << ec.message() << std::endl;
      return 1;
    }
    contexts.push_back(std::move(tls));
    streams.push_back(std::move(stream));
  }
  std::cout << "ready " << streams.size() << std::endl;
  std::string ignored;
  std::getline(std::cin, ignored);  // until the parent closes our stdin
  return 0;
}

struct Args {
  int terminals = 8;
  int events = 25'000;
  int idle = 1'000;
  int threads = 2;
};

int Main(const Args& args) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("onecard-sync-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  struct Cleanup {
    std::filesystem::path p;
    ~Cleanup() { std::filesystem::remove_all(p); }
  } cleanup{dir};

  std::cout << "machine: " << std::thread::hardware_concurrency() << " cores; " << args.terminals
            << " terminals x " << args.events << " events; server threads " << args.threads
            << std::endl;
  std::vector<std::vector<wire::Event>> outboxes(static_cast<size_t>(args.terminals));
  for (int t = 0; t < args.terminals; ++t) {
    std::string id = "BENCH-T" + std::to_string(t);
    for (int s = 1; s <= args.events; ++s) {
      outboxes[static_cast<size_t>(t)].push_back(
          MakeEvent(id, static_cast<uint64_t>(s), t == 0 ? kPullArea : kOtherArea));
    }
  }
  const double total = static_cast<double>(args.terminals) * args.events;

  // (a) bare insert
  double bare = BareInsert(dir.string(), outboxes);
  std::printf(
      "bare SQLCipher insert:     %10.0f events/s (%.0f events, 2 rows each, 1,000 per "
      "transaction)\n",
      bare, total);

  // (b) end-to-end ingest
  std::string server_dir = (dir / "server").string();
  Check(server::InitializeServer(server_dir, {}), "init server");
  auto store = Take(server::ServerStore::Open(server_dir), "open server store");
  Check(store->AddSite({"PUSH", "push site", kPushSiteArea, "both"}), "site");
  Check(store->AddSite({"PULL", "pull site", kPullArea, "receiving"}), "site");
  Check(store->AddSite({"IDLE", "idle site", kPushSiteArea, "both"}), "site");
  std::vector<json> bundles;
  for (int t = 0; t < args.terminals; ++t) {
    bundles.push_back(
        Take(server::EnrollTerminal(*store, "PUSH", "BENCH-T" + std::to_string(t), "127.0.0.1:1"),
             "enroll"));
  }
  auto tls = Take(server::LoadServerTls(*store), "server tls");
  server::SyncServiceOptions options;
  options.ca_cert_pem = tls.ca_cert_pem;
  options.cert_pem = tls.cert_pem;
  options.key_pem = std::move(tls.key_pem);
  options.threads = args.threads;
  options.idle_timeout = std::chrono::minutes(5);  // opening 1,000 idle connections takes a while
  server::SyncService service(std::move(options), *store);
  Check(service.Start(), "start service");

  std::vector<std::unique_ptr<testing::FakeLocalStore>> locals;
  for (auto& outbox : outboxes) locals.push_back(InMemory(outbox));
  std::vector<std::thread> pushers;
  std::atomic<int> failures{0};
  auto t0 = Clock::now();
  for (int t = 0; t < args.terminals; ++t) {
    pushers.emplace_back([&, t] {
      auto r = terminal::RunSync(EndpointOf(bundles[static_cast<size_t>(t)], service.port()),
                                 *locals[static_cast<size_t>(t)]);
      if (!r.ok()) {
        std::cerr << "terminal " << t << ": " << r.status().message() << std::endl;
        ++failures;
      }
    });
  }
  for (auto& p : pushers) p.join();
  double ingest = total / Seconds(t0);
  if (failures > 0) return 1;
  for (auto& l : locals) {
    if (!l->outbox.empty() || !l->refused.empty()) {
      std::cerr << "an outbox was not emptied, or the server refused events" << std::endl;
      return 1;
    }
  }
  std::printf("sync ingest (mutual TLS):  %10.0f events/s (%d terminals at once)\n", ingest,
              args.terminals);
  std::printf("ratio ingest / bare:       %10.2f (target >= 0.5)\n", ingest / bare);

  // (c) pull and apply into a real terminal store
  {
    json bundle = Take(server::EnrollTerminal(*store, "PULL", "BENCH-PULL",
                                              "127.0.0.1:" + std::to_string(service.port())),
                       "enroll");
    std::string tdir = (dir / "terminal").string();
    Check(terminal::TerminalStore::Initialize(tdir, bundle, "bench", "bench passphrase"),
          "terminal init");
    auto terminal_store =
        Take(terminal::TerminalStore::Open(tdir, "bench", "bench passphrase"), "terminal open");
    terminal::TerminalSyncStore local(*terminal_store);
    auto t1 = Clock::now();
    auto report = terminal::RunSync(EndpointOf(bundle, service.port()), local);
    Check(report.status(), "pull");
    std::printf(
        "pull and apply:            %10.0f children/s (%llu children into a TerminalStore)\n",
        static_cast<double>(report->pulled) / Seconds(t1),
        static_cast<unsigned long long>(report->pulled));
  }

  // (d) memory with idle connections
  if (args.idle > 0) {
    std::string creds = (dir / "idle-creds.jsonl").string();
    {
      std::ofstream out(creds);
      std::filesystem::permissions(
          creds, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
      for (int i = 0; i < args.idle; ++i) {
        out << Take(server::EnrollTerminal(*store, "IDLE", "IDLE-" + std::to_string(i),
                                           "127.0.0.1:1"),
                    "enroll")
                   .dump()
            << "\n";
      }
    }
    long before = VmRssKiB();
    int to_child[2], from_child[2];
    if (pipe(to_child) != 0 || pipe(from_child) != 0) return 1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
    posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
    posix_spawn_file_actions_addclose(&actions, to_child[1]);
    posix_spawn_file_actions_addclose(&actions, from_child[0]);
    std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    std::string port = std::to_string(service.port());
    std::vector<char*> argv = {self.data(), const_cast<char*>("--idle-clients"), port.data(),
                               creds.data(), nullptr};
    pid_t child = -1;
    if (posix_spawn(&child, self.c_str(), &actions, nullptr, argv.data(), environ) != 0) return 1;
    posix_spawn_file_actions_destroy(&actions);
    close(to_child[0]);
    close(from_child[1]);
    char buf[64] = {};
    ssize_t n = read(from_child[0], buf, sizeof buf - 1);
    long with = VmRssKiB();
    uint64_t active = service.stats().active;
    close(to_child[1]);
    close(from_child[0]);
    int status = 0;
    waitpid(child, &status, 0);
    if (n <= 0 || std::strncmp(buf, "ready", 5) != 0) {
      std::cerr << "idle clients failed" << std::endl;
      return 1;
    }
    std::printf(
        "idle connections:          %10llu open; server VmRSS %ld KiB before, %ld KiB with them "
        "(%.1f KiB each)\n",
        static_cast<unsigned long long>(active), before, with,
        static_cast<double>(with - before) / static_cast<double>(args.idle));
  }
  service.Stop();
  return 0;
}

}  // namespace
}  // namespace onecard

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--idle-clients") {
    return onecard::IdleClients(static_cast<uint16_t>(std::stoi(argv[2])), argv[3]);
  }
  onecard::Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    int value = std::stoi(argv[i + 1]);
    if (flag == "--terminals")
      args.terminals = value;
    else if (flag == "--events")
      args.events = value;
    else if (flag == "--idle")
      args.idle = value;
    else if (flag == "--threads")
      args.threads = value;
    else {
      std::cerr << "usage: onecard_sync_ingest_bench [--terminals N] [--events E] [--idle M] "
                   "[--threads T]"
                << std::endl;
      return 2;
    }
  }
  return onecard::Main(args);
}
