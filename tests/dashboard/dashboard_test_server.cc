// The browser tests' server (dashboard.test.mjs): the real officials' HTTPS service
// (OfficialsHttpService, API and dashboard on one listener) over a real server store that holds
// children in Shenzhen (4403) and Suqian (3213), moves between them, referrals and coverage
// estimates, and officials, password kPassword: sz.official (4403) and sq.official (3213), and
// two of 4403 for the sign-in tests: rate.official (to be rate-limited) and totp.official (with a
// second factor; its TOTP key is printed, as hex, for the test to make codes).
//
//   onecard_dashboard_test_server --dir DIR [--idle-timeout SECONDS]
//
// DIR is wiped and made afresh. --idle-timeout sets the sessions' idle timeout (default 1800 s),
// short for the session expiry test. Prints one JSON line {"port": N} when it listens on a free
// loopback port (and "totp_key"), then serves until its standard input closes (the test ending, or
// dying).
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "officials_http_service.h"
#include "onecard/platform/clock.h"
#include "onecard/protocol/bytes.h"
#include "onecard/protocol/event_types.h"
#include "onecard/server/accounts.h"
#include "onecard/server/enrolment.h"
#include "onecard/server/server_store.h"

namespace onecard::server {
namespace {

constexpr char kPassword[] = "dashboard-test-2026";
constexpr int64_t kDayMs = 86'400'000;

[[noreturn]] void Die(const std::string& what, const Status& status) {
  std::cerr << "dashboard_test_server: " << what << ": " << status.message() << std::endl;
  std::exit(1);
}

void Check(const std::string& what, const Status& status) {
  if (!status.ok()) Die(what, status);
}

// Wire events as one terminal sends them: numbered in order, stamped at a wall time in ms.
class Terminal {
 public:
  Terminal(ServerStore& store, std::string id) : store_(store), id_(std::move(id)) {}

  void Send(const std::string& type, const std::string& child, int64_t at_ms,
            const nlohmann::json& payload) {
    wire::Event e;
    e.set_terminal_id(id_);
    e.set_seq(++seq_);
    e.set_hlc((static_cast<uint64_t>(at_ms) << 16) + seq_);
    e.set_type(type);
    e.set_child_id(child);
    e.set_payload(payload.dump());
    auto acked = store_.Ingest(id_, {e});
    if (!acked.ok()) Die("ingest " + type + " " + child, acked.status());
  }
  void Upsert(const std::string& child, int64_t at_ms, const nlohmann::json& fields) {
    Send(std::string(event_type::kChildUpsert), child, at_ms,
         {{"child_id", child}, {"fields", fields}});
  }

 private:
  ServerStore& store_;
  std::string id_;
  uint64_t seq_ = 0;
};

// The i-th child: varied sex, age, school and vaccination; hukou in Sihong (321324).
nlohmann::json Child(int i, const std::string& residence, const std::string& category) {
  static const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
  static const char* kGiven[] = {"小明", "丽", "建国", "芳", "伟", "秀英", "敏", "静", "强"};
  const int age = 1 + i % 15;
  const std::string birth =
      std::to_string(2025 - age) + "-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10);
  nlohmann::json child = {
      {"name", std::string(kSurnames[i % 10]) + kGiven[(i / 10) % 9] + (i >= 90 ? "华" : "")},
      {"sex", i % 3 == 0 ? "F" : "M"},
      {"birth_date", birth},
      {"hukou_area", "321324"},
      {"residence_area", residence},
      {"category", category},
      {"consent", {{"by", "张建国"}, {"relation", "father"}, {"date", "2025-06-01"}}}};
  if (age >= 6) {
    static const char* kStages[] = {"primary", "primary", "junior", "senior"};
    // Two children of Bao'an (20 and 35) in vocational school: a cell always shown as "<5".
    const bool vocational = i == 20 || i == 35;
    child["school"] = {{"status", i % 7 == 0 ? "not_enrolled" : "enrolled"},
                       {"stage", vocational ? "vocational" : kStages[(age - 6) / 3 % 4]}};
  }
  if (i % 4 != 0) {
    child["immunizations"] =
        nlohmann::json::array({{{"vaccine", "BCG"}, {"dose", 1}, {"date", birth}}});
  }
  return child;
}

// A child's id: the registering terminal's id and a number, as terminals make them.
std::string ChildId(int i) { return (i < 52 ? "GD-T1-" : "JS-T1-") + std::to_string(i); }

// Children, moves and referrals, stamped relative to now so that they fall in the dashboard's
// last 12 months.
void Populate(ServerStore& store, int64_t now_ms) {
  Terminal sihong(store, "JS-T1"), baoan(store, "GD-T1");
  const int64_t registered = now_ms - 300 * kDayMs;
  // Bao'an (440306): 40 migrant children; Nanshan (440305): 12; Sihong (321324): 30 left behind.
  for (int i = 0; i < 82; ++i) {
    const std::string residence = i < 40 ? "440306" : i < 52 ? "440305" : "321324";
    Terminal& at = i < 52 ? baoan : sihong;
    at.Upsert(ChildId(i), registered + i * 60000,
              Child(i, residence, i < 52 ? "migrant" : "left_behind"));
  }
  // Eight children of Bao'an go home to Sihong two months ago; six of Sihong come to Bao'an. A
  // move is sent by the terminal where the child lives (the other would need the child's card).
  for (int i = 0; i < 8; ++i) {
    baoan.Upsert(ChildId(i), now_ms - 60 * kDayMs + i * 60000,
                 {{"residence_area", "321324"}, {"category", "left_behind"}});
  }
  for (int i = 52; i < 58; ++i) {
    sihong.Upsert(ChildId(i), now_ms - 120 * kDayMs + i * 60000,
                  {{"residence_area", "440306"}, {"category", "migrant"}});
  }
  // Bao'an refers 24 children to Sihong: completed, declined (inappropriate or no capacity),
  // closed unreached, in turn.
  const char* outcomes[] = {"completed", "declined", "declined", "closed_unreached"};
  for (int n = 0; n < 24; ++n) {
    const std::string child = ChildId(10 + n);
    const std::string id = "GD-T1-R" + std::to_string(n);
    const int64_t made = now_ms - (90 + n % 3 * 30) * kDayMs;
    baoan.Send("referral.create", child, made,
               {{"referral_id", id},
                {"child_id", child},
                {"service", n % 2 == 0 ? "education" : "health"},
                {"from_site", "GD"},
                {"to_site", "JS"},
                {"reason", "转介"}});
    nlohmann::json change = {{"referral_id", id}, {"status", outcomes[n % 4]}};
    if (n % 4 == 1) change["decline_reason"] = "inappropriate";
    if (n % 4 == 2) change["decline_reason"] = "no_capacity";
    if (n % 4 == 0) {
      sihong.Send("referral.status", child, made + kDayMs,
                  {{"referral_id", id}, {"status", "accepted"}});
    }
    sihong.Send("referral.status", child, made + 2 * kDayMs, change);
  }
  Check("estimate",
        store.SetCoverageEstimate({"4403", "migrant", 60, "2025年抽样调查", 2025, "", ""}));
  Check("estimate",
        store.SetCoverageEstimate({"3213", "left_behind", 40, "2025年抽样调查", 2025, "", ""}));
}

void Prepare(const std::string& dir, const platform::Clock& clock) {
  std::filesystem::remove_all(dir);
  Check("init", InitializeServer(dir, {}, clock));
}

int Run(const std::string& dir, int idle_seconds) {
  const platform::Clock& clock = platform::SystemClock();
  Prepare(dir, clock);
  auto opened = ServerStore::Open(dir, clock);
  if (!opened.ok()) Die("open", opened.status());
  ServerStore& store = **opened;
  Check("site", store.AddSite({"JS", "泗洪县青阳街道登记点", "321324", "sending"}));
  Check("site", store.AddSite({"GD", "宝安区西乡街道登记点", "440306", "receiving"}));
  for (const auto& [terminal, site] : {std::pair{"JS-T1", "JS"}, std::pair{"GD-T1", "GD"}}) {
    auto bundle = EnrollTerminal(store, site, terminal, "127.0.0.1:7443");
    if (!bundle.ok()) Die("enrol", bundle.status());
  }
  Populate(store, clock.WallMs());
  std::string totp_key;
  for (const NewAccount& account : {NewAccount{"sz.official", "official", "4403"},
                                    NewAccount{"sq.official", "official", "3213"},
                                    NewAccount{"rate.official", "official", "4403"},
                                    NewAccount{"totp.official", "official", "4403", true}}) {
    auto added = AddAccount(store, account, kPassword);
    if (!added.ok()) Die("account", added.status());
    if (account.totp) totp_key = HexEncode(added->span());
  }
  auto tls = LoadServerTls(store);
  if (!tls.ok()) Die("tls", tls.status());
  SignInPolicy policy;
  policy.idle_timeout = std::chrono::seconds(idle_seconds);
  OfficialsHttpService service(store, store, clock, policy);
  auto port = service.Start("127.0.0.1", 0, tls->cert_pem, tls->key_pem);
  if (!port.ok()) Die("listen", port.status());
  std::cout << nlohmann::json{{"port", *port}, {"totp_key", totp_key}}.dump() << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  service.Stop();
  return 0;
}

}  // namespace
}  // namespace onecard::server

int main(int argc, char** argv) {
  std::string dir;
  int idle_seconds = 1800;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--dir") dir = argv[i + 1];
    if (flag == "--idle-timeout") idle_seconds = std::atoi(argv[i + 1]);
  }
  if (dir.empty() || idle_seconds <= 0) {
    std::cerr << "usage: onecard_dashboard_test_server --dir DIR [--idle-timeout SECONDS]\n";
    return 2;
  }
  return onecard::server::Run(dir, idle_seconds);
}
