// The officials' HTTPS API under load (issue 14): many officials' sessions at once against a server
// store (the statistics bench's, e.g. 10,000,000 children kept with --keep), each asking what the
// dashboard's overview and its drill-down ask, over real HTTPS on loopback (TLS 1.3, keep-alive).
// Prints the latency of each request (p50, p90, p99, max) overall and by endpoint, the rate, and
// the server's memory per session.
//
// The server runs in a child process (this program with --serve), so that its memory is its own:
// VmRSS with the store open and the accounts made, again with every session signed in and
// connected, and after the load. Each session signs in (Argon2id: a few at a time, as people
// arrive), connects, then asks one question after another with a think time drawn uniformly from
// [0, 2 × --think-ms] between them (0: as fast as answers come).
//
//   onecard_officials_http_bench --dir D [--sessions 200] [--seconds 30] [--think-ms 500]
//                                [--accounts 20] [--threads 2] [--seed S]

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_areas.h"
#include "https_test_client.h"
#include "officials_http_bench_questions.h"
#include "officials_http_service.h"
#include "onecard/platform/clock.h"
#include "onecard/server/accounts.h"
#include "onecard/server/officials_api.h"
#include "onecard/server/server_store.h"
#include "onecard/server/sync_service.h"
#include "test_pki.h"

namespace {

using Clock = std::chrono::steady_clock;
using onecard::http::Method;
using onecard::http::RawRequest;
namespace field = onecard::http::beast_http;

constexpr char kPassword[] = "bench password 2026";  // the bench's own accounts only
constexpr int kSignInsAtOnce = 4;

struct Options {
  std::string dir;
  int sessions = 200;
  int seconds = 30;
  int think_ms = 500;
  int accounts = 20;
  int threads = 2;
  uint64_t seed = 2026;
  bool serve = false;  // the child: serve the store until stdin closes
};

int Fail(const std::string& what) {
  std::fprintf(stderr, "error: %s\n", what.c_str());
  return 1;
}

// --- the server (child process) ---

// Makes the bench's accounts (kept across runs on a kept store), starts the HTTPS service, prints
// "port N", and serves until its standard input closes.
int Serve(const Options& o) {
  using namespace onecard::server;
  auto store = ServerStore::Open(o.dir);
  if (!store.ok()) return Fail(store.status().message());
  for (int i = 0; i < o.accounts; ++i) {
    auto made =
        AddAccount(**store, {AccountName(i), "official", Jurisdiction(o.seed, i)}, kPassword);
    if (!made.ok() && made.status().code() != onecard::ErrorCode::kAlreadyExists) {
      return Fail(made.status().message());
    }
  }
  // A throwaway PKI: the statistics bench's stores have no CA of their own (`init` makes one).
  const onecard::http::testing::TestPki pki = onecard::http::testing::MakeTestPki();
  // As `serve --http` runs: reports wait at most 1 s for the identity grouping, and the sync
  // service (no terminal connects) brings it up to date in the background meanwhile.
  (*store)->SetReportRefreshLimit(std::chrono::seconds(1));
  SyncServiceOptions sync_options;
  sync_options.ca_cert_pem = pki.ca_cert_pem;
  sync_options.cert_pem = pki.server_cert_pem;
  sync_options.key_pem = pki.server_key_pem;
  SyncService sync(std::move(sync_options), **store);
  if (onecard::Status started = sync.Start(); !started.ok()) return Fail(started.message());
  OfficialsHttpService service(**store, **store, onecard::platform::SystemClock());
  auto port = service.Start("127.0.0.1", 0, pki.server_cert_pem, pki.server_key_pem, {}, o.threads);
  if (!port.ok()) return Fail(port.status().message());
  // The port, then the CA the officials trust, then "ready".
  std::printf("port %u\n%sready\n", static_cast<unsigned>(*port), pki.ca_cert_pem.c_str());
  std::fflush(stdout);
  char ignored[64];
  while (read(STDIN_FILENO, ignored, sizeof ignored) > 0) {
  }
  service.Stop();
  sync.Stop();
  return 0;
}

// --- the officials (this process) ---

struct ServerProcess {
  pid_t pid = -1;
  int to_child = -1;  // closing it stops the server
  uint16_t port = 0;
  std::string ca_pem;
};

// Starts this program with --serve and reads the port it listens on and its CA.
bool StartServer(const Options& o, ServerProcess& server) {
  int in[2], out[2];
  if (pipe(in) != 0 || pipe(out) != 0) return false;
  server.pid = fork();
  if (server.pid == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    close(in[1]);
    close(out[0]);
    const std::string accounts = std::to_string(o.accounts), threads = std::to_string(o.threads),
                      seed = std::to_string(o.seed);
    execl("/proc/self/exe", "onecard_officials_http_bench", "--serve", "--dir", o.dir.c_str(),
          "--accounts", accounts.c_str(), "--threads", threads.c_str(), "--seed", seed.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  server.to_child = in[1];
  FILE* from_child = fdopen(out[0], "r");
  if (from_child == nullptr) return false;
  unsigned port = 0;
  bool ready = std::fscanf(from_child, "port %u\n", &port) == 1;
  char line[256];
  while (ready && std::fgets(line, sizeof line, from_child) != nullptr) {
    if (std::strcmp(line, "ready\n") == 0) break;
    server.ca_pem += line;
  }
  ready = ready && !std::feof(from_child);
  std::fclose(from_child);
  server.port = static_cast<uint16_t>(port);
  return ready && port != 0;
}

// The server's resident memory in MiB (VmRSS), 0 when unreadable.
double ResidentMiB(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

struct Latency {
  std::string endpoint;
  double ms = 0;
  bool ok = false;
};

// What every session shares: the phase barrier, the sign-in gate and the results.
struct Shared {
  Shared(const Options& o, std::string ca, uint16_t server_port)
      : options(o), ca_pem(std::move(ca)), port(server_port) {}
  const Options& options;
  const std::string ca_pem;
  const uint16_t port;
  std::mutex mu;
  std::condition_variable cv;
  int signing_in = 0, signed_in = 0, connected = 0, failed = 0;
  int phase = 0;  // 0: signing in, 1: connecting, 2: asking (set by Load when all are through)
  Clock::time_point stop_at;
  std::vector<Latency> latencies;
};

std::string SignIn(Shared& shared, int session) {
  {
    std::unique_lock lock(shared.mu);
    shared.cv.wait(lock, [&] { return shared.signing_in < kSignInsAtOnce; });
    ++shared.signing_in;
  }
  onecard::http::testing::HttpsTestClient client(shared.port, shared.ca_pem,
                                                 std::chrono::seconds(60));
  std::string cookie;
  if (client.Connect().ok()) {
    RawRequest request(Method::post, "/api/v1/session", 11);
    request.set(field::field::content_type, "application/json");
    request.body() = nlohmann::json{
        {"user", AccountName(session % shared.options.accounts)},
        {"password",
         kPassword}}.dump();
    auto answer = client.Send(std::move(request));
    if (answer.ok() && answer->result_int() == 200) {
      const std::string set(answer->at(field::field::set_cookie));
      cookie = set.substr(0, set.find(';'));  // "__Host-onecard_session=<token>"
    }
  }
  std::lock_guard lock(shared.mu);
  --shared.signing_in;
  shared.cv.notify_all();
  return cookie;
}

// Counts this session as through the current phase (in `reached`, or failed), then waits for the
// next phase.
void Meet(Shared& shared, int& reached, bool ok) {
  std::unique_lock lock(shared.mu);
  const int next = shared.phase + 1;
  (ok ? reached : shared.failed) += 1;
  shared.cv.notify_all();
  shared.cv.wait(lock, [&] { return shared.phase >= next; });
}

// Waits until every session is through the current phase (`reached` or failed).
void AwaitAllThrough(Shared& shared, const int& reached) {
  std::unique_lock lock(shared.mu);
  shared.cv.wait(lock, [&] { return reached + shared.failed == shared.options.sessions; });
}

void StartNextPhase(Shared& shared, Clock::time_point stop_at = {}) {
  {
    std::lock_guard lock(shared.mu);
    shared.stop_at = stop_at;
    ++shared.phase;
  }
  shared.cv.notify_all();
}

// One official: signs in, waits for every other, connects (the server cuts a connection whose
// first request does not come within 10 s), waits again, then asks until the time is up.
void Official(Shared& shared, int session) {
  const Options& o = shared.options;
  const std::string cookie = SignIn(shared, session);
  Meet(shared, shared.signed_in, !cookie.empty());
  if (cookie.empty()) return;
  onecard::http::testing::HttpsTestClient client(shared.port, shared.ca_pem,
                                                 std::chrono::seconds(30));
  const bool ready = client.Connect().ok();
  Meet(shared, shared.connected, ready);
  if (!ready) return;
  std::mt19937_64 rng(o.seed * 1000 + static_cast<uint64_t>(session));
  std::uniform_int_distribution<int> think(0, 2 * o.think_ms);
  const std::string area = Jurisdiction(o.seed, session % o.accounts);
  std::vector<Latency> mine;
  // Officials do not all click at the same instant: each starts after a think time of its own.
  if (o.think_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(think(rng)));
  while (Clock::now() < shared.stop_at) {
    const Question q = RandomQuestion(rng, area);
    RawRequest request(Method::get, q.target, 11);
    request.set(field::field::cookie, cookie);
    const auto start = Clock::now();
    auto answer = client.Send(std::move(request));
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    mine.push_back({q.endpoint, ms, answer.ok() && answer->result_int() == 200});
    if (!answer.ok()) break;  // the connection is gone: this official stops
    if (o.think_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(think(rng)));
  }
  std::lock_guard lock(shared.mu);
  shared.latencies.insert(shared.latencies.end(), mine.begin(), mine.end());
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// Prints the table; returns how many answers were not 200.
int PrintLatencies(const std::vector<Latency>& all, double seconds) {
  std::map<std::string, std::vector<double>> by_endpoint;
  std::vector<double> every;
  int errors = 0;
  for (const Latency& l : all) {
    by_endpoint[l.endpoint].push_back(l.ms);
    every.push_back(l.ms);
    errors += l.ok ? 0 : 1;
  }
  std::printf("requests: %zu in %.1f s (%.0f/s), not 200: %d\n", every.size(), seconds,
              static_cast<double>(every.size()) / seconds, errors);
  std::printf("%-22s %8s %8s %8s %8s %8s\n", "endpoint", "n", "p50 ms", "p90 ms", "p99 ms",
              "max ms");
  auto row = [](const std::string& name, const std::vector<double>& v) {
    std::printf("%-22s %8zu %8.2f %8.2f %8.2f %8.2f\n", name.c_str(), v.size(), Percentile(v, 0.5),
                Percentile(v, 0.9), Percentile(v, 0.99), Percentile(v, 1.0));
  };
  row("all", every);
  for (const auto& [name, v] : by_endpoint) row(name, v);
  return errors;
}

int Load(const Options& o) {
  ServerProcess server;
  if (!StartServer(o, server)) return Fail("the server did not start (see its error above)");
  const double idle_mib = ResidentMiB(server.pid);
  Shared shared(o, server.ca_pem, server.port);
  std::vector<std::thread> officials;
  const auto sign_in_start = Clock::now();
  for (int s = 0; s < o.sessions; ++s) officials.emplace_back(Official, std::ref(shared), s);
  AwaitAllThrough(shared, shared.signed_in);
  const double signed_in_s = std::chrono::duration<double>(Clock::now() - sign_in_start).count();
  StartNextPhase(shared);  // connect
  AwaitAllThrough(shared, shared.connected);
  const double connected_mib = ResidentMiB(server.pid);  // every session connected, idle
  const auto start = Clock::now();
  StartNextPhase(shared, start + std::chrono::seconds(o.seconds));  // ask
  for (std::thread& t : officials) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double loaded_mib = ResidentMiB(server.pid);
  close(server.to_child);
  int status = 0;
  waitpid(server.pid, &status, 0);

  std::printf(
      "sessions: %d signed in (%d failed) in %.1f s, then connected; think time uniform "
      "0-%d ms; server threads %d\n",
      shared.connected, shared.failed, signed_in_s, 2 * o.think_ms, o.threads);
  const int errors = PrintLatencies(shared.latencies, seconds);
  std::printf(
      "server memory: %.1f MiB with the store open, %.1f MiB with %d sessions connected "
      "(%.1f KiB per session), %.1f MiB after the load\n",
      idle_mib, connected_mib, shared.connected,
      shared.connected ? (connected_mib - idle_mib) * 1024.0 / shared.connected : 0.0, loaded_mib);
  // Any session that could not start, any answer not 200, or a server that did not stop cleanly
  // fails the run (the smoke test relies on it).
  const bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return shared.failed == 0 && errors == 0 && !shared.latencies.empty() && clean ? 0 : 1;
}

bool ParseArgs(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--serve") {
      o.serve = true;
      continue;
    }
    if (i + 1 >= argc) return false;
    const char* value = argv[++i];
    if (flag == "--dir") {
      o.dir = value;
    } else if (flag == "--sessions") {
      o.sessions = std::atoi(value);
    } else if (flag == "--seconds") {
      o.seconds = std::atoi(value);
    } else if (flag == "--think-ms") {
      o.think_ms = std::atoi(value);
    } else if (flag == "--accounts") {
      o.accounts = std::atoi(value);
    } else if (flag == "--threads") {
      o.threads = std::atoi(value);
    } else if (flag == "--seed") {
      o.seed = std::strtoull(value, nullptr, 10);
    } else {
      return false;
    }
  }
  return !o.dir.empty() && o.sessions > 0 && o.seconds > 0 && o.think_ms >= 0 && o.accounts > 0 &&
         o.threads > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseArgs(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: %s --dir STORE_DIR [--sessions N] [--seconds S] [--think-ms MS] "
                 "[--accounts A] [--threads T] [--seed S]\n",
                 argv[0]);
    return 2;
  }
  return o.serve ? Serve(o) : Load(o);
}
