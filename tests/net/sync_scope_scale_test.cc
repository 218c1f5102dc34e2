// 200 terminals of many sites sync concurrently against one server over the real stack (SyncService
// over TLS 1.3 on loopback, ServerStore on a SQLCipher file), and each receives exactly the
// children its site's scope holds (PRODUCT.md section 8, issue 5). The expected sets are computed
// here from the areas the test chose, by the scope rule as protocol/docs/sync.md states it, not by
// asking the server.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <latch>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "net_fixture.h"
#include "onecard/server/server_store.h"
#include "process.h"

namespace onecard::testing {
namespace {

using nlohmann::json;

constexpr int kSites = 40;
constexpr int kTerminalsPerSite = 5;  // 200 terminals
constexpr int kChildren = 1500;
constexpr int kPushers = 30;  // terminals that seed the children, each its own share

// Areas with sites: counties, two cities and a province (a site sees its county, city or province).
const std::vector<std::string> kSiteAreas = {"440303", "440304", "440305", "440306", "440106",
                                             "440111", "320102", "320104", "320506", "320507",
                                             "321324", "440300", "320500", "440000"};
// Areas of children: the counties above, counties without a site of their own (seen only by a city
// or province site), and counties no site sees.
const std::vector<std::string> kChildAreas = {
    "440303", "440304", "440305", "440306", "440106", "440111", "320102", "320104",
    "320506", "320507", "321324", "440307", "320583", "510104", "360102", "420111"};

// Child i's name, different for every child so that a snapshot shows whose state it carries
// ("儿童" and i in Chinese digits: a name may not hold ASCII digits).
std::string ChildName(int i) {
  static const char* const kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  std::string name = "儿童";
  for (char d : std::to_string(i)) name += kDigits[d - '0'];
  return name;
}

// Whether a site of `site_area` sees a child living or registered (hukou) in `child_area`: a
// province site (dd0000) its province, a city site (dddd00) its city, a county site its county.
bool SiteSees(const std::string& site_area, const std::string& child_area) {
  if (site_area.ends_with("0000")) return child_area.compare(0, 2, site_area, 0, 2) == 0;
  if (site_area.ends_with("00")) return child_area.compare(0, 4, site_area, 0, 4) == 0;
  return child_area == site_area;
}

struct SeedChild {
  std::string id, hukou, residence;
};

// A terminal's local side that records every snapshot it is given, so that duplicates show.
class RecordingLocalStore : public FakeLocalStore {
 public:
  Result<std::vector<terminal::PullSetAside>> ApplyPage(const wire::PullPage& page) override {
    for (const wire::ChildSnapshot& c : page.children()) ++received[c.child_id()];
    return FakeLocalStore::ApplyPage(page);
  }
  std::map<std::string, int> received;  // child id → snapshots received
};

TEST(SyncScopeScale, TwoHundredTerminalsPullExactlyTheirScopesConcurrently) {
  const auto started = std::chrono::steady_clock::now();
  TempDir dir("onecard-scope");
  auto created = server::ServerStore::Create(dir / "server");
  ASSERT_TRUE(created.ok()) << created.status().message();
  std::unique_ptr<server::ServerStore> store = std::move(created).value();

  TestPki pki;
  std::vector<std::string> site_area(kSites);
  std::vector<terminal::SyncEndpoint> endpoints;
  std::vector<int> site_of;  // per terminal
  for (int s = 0; s < kSites; ++s) {
    site_area[s] = kSiteAreas[s % kSiteAreas.size()];
    const std::string site_id = "S" + std::to_string(s);
    ASSERT_TRUE(store->AddSite({site_id, "站点" + std::to_string(s), site_area[s], "both"}).ok());
    for (int t = 0; t < kTerminalsPerSite; ++t) {
      const std::string terminal_id = "T" + std::to_string(s) + "-" + std::to_string(t);
      ASSERT_TRUE(store->AddTerminal(terminal_id, site_id).ok());
      Credential c = pki.IssueTerminal(terminal_id);
      terminal::SyncEndpoint e;
      e.host = "127.0.0.1";
      e.ca_cert_pem = pki.ca_pem;
      e.cert_pem = c.cert_pem;
      e.key_pem = c.key_pem;
      e.terminal_id = terminal_id;
      endpoints.push_back(e);
      site_of.push_back(s);
    }
  }
  ASSERT_EQ(endpoints.size(), 200u);

  server::SyncServiceOptions options;
  options.ca_cert_pem = pki.ca_pem;
  options.cert_pem = pki.server.cert_pem;
  options.key_pem = pki.server.key_pem;
  std::mutex log_mu;
  std::vector<std::string> log;
  options.log = [&](std::string_view line) {
    std::lock_guard lock(log_mu);
    log.emplace_back(line);
  };
  server::SyncService service(std::move(options), *store);
  ASSERT_TRUE(service.Start().ok());
  for (auto& e : endpoints) e.port = service.port();

  terminal::SyncOptions sync_options;
  sync_options.attempts = 1;    // "without an error": no retry may hide one
  sync_options.pull_page = 40;  // many pages per terminal, interleaved across sessions

  // Seed: children with random hukou and residence areas (some in two sites' scopes, some in
  // none), pushed concurrently by kPushers terminals of different sites.
  std::mt19937 rng(20261201);
  std::uniform_int_distribution<size_t> pick(0, kChildAreas.size() - 1);
  std::vector<SeedChild> children;
  // Child i is registered by pusher i % kPushers, in that terminal's id namespace.
  auto pusher_terminal = [&](int p) -> const std::string& {
    return endpoints[static_cast<size_t>(p) * kTerminalsPerSite % endpoints.size()].terminal_id;
  };
  for (int i = 0; i < kChildren; ++i) {
    children.push_back({pusher_terminal(i % kPushers) + "-" + std::to_string(i),
                        kChildAreas[pick(rng)], kChildAreas[pick(rng)]});
  }
  std::vector<RecordingLocalStore> pushers(kPushers);
  for (int p = 0; p < kPushers; ++p) {
    const std::string& terminal_id = pusher_terminal(p);
    uint64_t seq = 0;
    for (int i = p; i < kChildren; i += kPushers) {
      const SeedChild& c = children[static_cast<size_t>(i)];
      wire::Event e;
      e.set_terminal_id(terminal_id);
      e.set_seq(++seq);
      e.set_hlc((uint64_t{1764547200000} + seq) << 16);
      e.set_type("child.upsert");
      e.set_child_id(c.id);
      json fields = {
          {"name", ChildName(i)},
          {"sex", i % 2 ? "F" : "M"},
          {"birth_date", "2016-03-01"},
          {"hukou_area", c.hukou},
          {"residence_area", c.residence},
          {"category", "migrant"},
          {"consent", {{"by", "张建国"}, {"relation", "father"}, {"date", "2025-06-01"}}}};
      e.set_payload(json{{"child_id", c.id}, {"fields", fields}}.dump());
      pushers[static_cast<size_t>(p)].outbox.push_back(e);
    }
  }
  {
    std::vector<std::thread> threads;
    std::vector<Status> outcomes(kPushers, Status::Ok());
    for (int p = 0; p < kPushers; ++p) {
      threads.emplace_back([&, p] {
        const auto& e = endpoints[static_cast<size_t>(p) * kTerminalsPerSite % endpoints.size()];
        auto report = terminal::RunSync(e, pushers[static_cast<size_t>(p)], sync_options);
        outcomes[static_cast<size_t>(p)] = report.ok() ? Status::Ok() : report.status();
      });
    }
    for (auto& t : threads) t.join();
    for (int p = 0; p < kPushers; ++p) {
      ASSERT_TRUE(outcomes[static_cast<size_t>(p)].ok())
          << "pusher " << p << ": " << outcomes[static_cast<size_t>(p)].message();
      ASSERT_TRUE(pushers[static_cast<size_t>(p)].outbox.empty()) << "pusher " << p;
    }
  }

  // The expected set of each site, from the seed alone.
  std::vector<std::set<std::string>> expected(kSites);
  size_t in_two_sites_areas = 0, in_none = 0;
  for (const SeedChild& c : children) {
    std::set<std::string> areas_seeing;
    for (int s = 0; s < kSites; ++s) {
      if (SiteSees(site_area[s], c.hukou) || SiteSees(site_area[s], c.residence)) {
        expected[s].insert(c.id);
        areas_seeing.insert(site_area[s]);
      }
    }
    if (areas_seeing.empty()) ++in_none;
    bool two_counties = c.hukou != c.residence &&
                        std::count(kSiteAreas.begin(), kSiteAreas.end(), c.hukou) &&
                        std::count(kSiteAreas.begin(), kSiteAreas.end(), c.residence);
    if (two_counties) ++in_two_sites_areas;
  }
  // The seed covers the cases the scope rule distinguishes.
  ASSERT_GT(in_none, 20u);
  ASSERT_GT(in_two_sites_areas, 200u);

  // All 200 terminals connect and pull at once.
  std::vector<RecordingLocalStore> locals(endpoints.size());
  std::vector<Result<terminal::SyncReport>> reports(endpoints.size(),
                                                    Status(ErrorCode::kInternal, "not run"));
  {
    std::latch go(static_cast<std::ptrdiff_t>(endpoints.size()));
    std::vector<std::thread> threads;
    for (size_t i = 0; i < endpoints.size(); ++i) {
      threads.emplace_back([&, i] {
        go.arrive_and_wait();
        reports[i] = terminal::RunSync(endpoints[i], locals[i], sync_options);
      });
    }
    for (auto& t : threads) t.join();
  }

  size_t snapshots = 0;
  for (size_t i = 0; i < endpoints.size(); ++i) {
    const std::string& id = endpoints[i].terminal_id;
    ASSERT_TRUE(reports[i].ok()) << id << ": " << reports[i].status().message();
    const int s = site_of[i];
    EXPECT_EQ(reports[i]->area, site_area[s]) << id;
    std::set<std::string> got;
    for (const auto& [child, count] : locals[i].received) {
      EXPECT_EQ(count, 1) << id << " received " << child << " " << count << " times";
      got.insert(child);
    }
    std::vector<std::string> missing, extra;
    std::set_difference(expected[s].begin(), expected[s].end(), got.begin(), got.end(),
                        std::back_inserter(missing));
    std::set_difference(got.begin(), got.end(), expected[s].begin(), expected[s].end(),
                        std::back_inserter(extra));
    EXPECT_TRUE(missing.empty()) << id << " (area " << site_area[s] << ") is missing "
                                 << missing.size() << " children, e.g. "
                                 << (missing.empty() ? "" : missing[0]);
    EXPECT_TRUE(extra.empty()) << id << " (area " << site_area[s] << ") received " << extra.size()
                               << " children out of its scope, e.g. "
                               << (extra.empty() ? "" : extra[0]);
    EXPECT_EQ(reports[i]->pulled, expected[s].size()) << id;
    // What it received is the child's merged state, not some other child's.
    for (const auto& [child, state] : locals[i].children) {
      const int index = std::stoi(child.substr(child.rfind('-') + 1));
      EXPECT_NE(state.find("\"" + ChildName(index) + "\""), std::string::npos)
          << id << " " << child;
    }
    snapshots += got.size();
  }
  EXPECT_GT(snapshots, 200u * 100u);  // every terminal had work to do, in sum

  server::SyncServiceStats stats = service.stats();
  EXPECT_EQ(stats.handshake_failed, 0u);
  EXPECT_EQ(stats.refused, 0u);
  EXPECT_EQ(stats.bad_frames, 0u);
  EXPECT_EQ(stats.timed_out, 0u);
  EXPECT_EQ(stats.over_limit, 0u);
  EXPECT_EQ(stats.events_ingested, static_cast<uint64_t>(kChildren));
  service.Stop();
  if (HasFailure()) {
    std::lock_guard lock(log_mu);
    for (const std::string& line : log) std::cerr << "server log: " << line << "\n";
  }
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "200 terminals, " << snapshots << " snapshots in all, " << seconds << " s\n";
  EXPECT_LT(seconds, 60.0);
}

}  // namespace
}  // namespace onecard::testing
