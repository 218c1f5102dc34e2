// libFuzzer target: the server's ingest path, as a push from an enrolled terminal goes through it
// (sync_session.cc HandlePush → StoreExecutor::Ingest): the push's events, CheckEvents on them
// (event_checks.cc), then ServerStore::IngestGroup (server_ingest.cc and the stores of each event
// type) on a real embedded store. Input format: ingest_input.h (a wire push, or events built from
// structured pieces so that payload validation is reached without valid protobuf).
//
// The store is created once per process in a temporary directory (under /dev/shm when there is
// one), with two sites, a terminal each and a few stored events (the baseline); before each input
// its tables are put back to the baseline, so that an input does the same whatever ran before it
// (a crash reproduces from its input alone). After each push, whatever its contents:
//   - the store answers (no store error) and the reply, as the session would send it, encodes to
//     a frame that decodes again (a refusal's message is text a terminal can read);
//   - each refusal names a seq of the push, no seq is refused more often than the push carries it,
//     and each code is a refusal's (invalid_argument, permission_denied, ...);
//   - the terminal's stored events grow by at most the number of events not refused, an event
//     refused (every copy of its seq refused) that was not stored before is not stored now, and
//     every event accepted is settled;
//   - acked_seq never goes back, equals the terminal's stored contiguous_seq, and every seq up to
//     it is settled (stored or refused);
//   - with protocol version 2, a refused push stores nothing.
// After the input: every report (counts, referral stats, conflicts, identity review and log, the
// residence history of each child named) succeeds and its JSON dumps; a pull for each site
// succeeds, and a terminal's checks of the pulled page (terminal/src/pull_checks.h) set nothing
// aside: what the server accepted, an honest terminal accepts.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "../terminal/src/pull_checks.h"
#include "ingest_input.h"
#include "onecard/protocol/frame.h"
#include "onecard/protocol/hybrid_clock.h"
#include "onecard/protocol/sync_event.h"
#include "onecard/server/enrolment.h"
#include "onecard/server/event_checks.h"
#include "onecard/server/report_store.h"
#include "onecard/server/server_store.h"
#include "report_json.h"
#include "server_store_internals.h"

namespace {

using namespace onecard;
using namespace onecard::fuzz_ingest;
using nlohmann::json;
using server::ServerStore;

void Check(bool ok, const char* what, const std::string& detail = "") {
  if (ok) return;
  std::fprintf(stderr, "ingest_fuzz: invariant broken: %s %s\n", what, detail.c_str());
  std::abort();
}

uint64_t StampAt(uint64_t ms, uint64_t logical) { return (ms << 16) + logical; }

json Registration(const std::string& name, const std::string& hukou, const std::string& residence) {
  return {
      {"name", name},
      {"sex", "F"},
      {"birth_date", "2017-06-18"},
      {"hukou_area", hukou},
      {"residence_area", residence},
      {"category", hukou == residence ? "left_behind" : "migrant"},
      {"guardians",
       json::array({{{"name", "周桂兰"}, {"relation", "grandparent"}, {"phone", "13800138000"}}})},
      {"consent", {{"by", "周桂兰"}, {"relation", "grandparent"}, {"date", "2025-12-01"}}}};
}

wire::Event MakeEvent(const std::string& terminal, uint64_t seq, const std::string& type,
                      const std::string& child, const json& payload) {
  wire::Event e;
  e.set_terminal_id(terminal);
  e.set_seq(seq);
  e.set_hlc(StampAt(kBaseMs, seq));
  e.set_type(type);
  e.set_child_id(child);
  e.set_payload(payload.dump());
  return e;
}

// One statement's single integer result.
int64_t QueryInt(schema::Database& db, const std::string& sql,
                 const std::vector<std::string>& texts = {},
                 const std::vector<int64_t>& ints = {}) {
  auto st = db.Prepare(sql);
  Check(st.ok(), "query prepares", sql);
  int index = 1;
  for (const std::string& t : texts) st->Bind(index++, t);
  for (int64_t i : ints) st->Bind(index++, i);
  auto row = st->Step();
  Check(row.ok() && *row, "query returns a row", sql);
  return st->ColumnInt(0);
}

// The embedded store, created once per process, and its baseline.
class Harness {
 public:
  static Harness& Get() {
    static Harness harness;
    return harness;
  }
  ServerStore& store() { return *store_; }

  // Puts every table back as it was after the baseline (triggers that forbid deleting rows are
  // dropped for the time of it).
  void Reset() {
    Status s = server::ServerStoreInternals::WithDatabase(
        *store_, [&](schema::Database& db) { return db.Exec(reset_sql_); });
    Check(s.ok(), "store reset", s.message());
  }

  ~Harness() {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

 private:
  Harness() {
    namespace fs = std::filesystem;
    fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    dir_ = (base / ("onecard-ingest-fuzz-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
    Status init = server::InitializeServer(dir_, {});
    Check(init.ok(), "server initialises", init.message());
    auto store = ServerStore::Open(dir_);
    Check(store.ok(), "store opens", store.status().message());
    store_ = std::move(store).value();
    Check(store_->AddSite({"JS", "泗洪县登记点", "321324", "sending"}).ok(), "site JS");
    Check(store_->AddSite({"GD", "宝安区登记点", "440306", "receiving"}).ok(), "site GD");
    Check(server::EnrollTerminal(*store_, "JS", kHome, "").ok(), "terminal JS-T1");
    Check(server::EnrollTerminal(*store_, "GD", kAway, "").ok(), "terminal GD-T9");

    json home = Registration("王芳", "321324", "321324");
    home["card_serial"] = kHomeCard;
    Baseline(kHome, {MakeEvent(kHome, 1, std::string(event_type::kChildUpsert), "JS-T1-1",
                               {{"child_id", "JS-T1-1"}, {"fields", home}})});
    Baseline(
        kAway,
        {MakeEvent(kAway, 1, std::string(event_type::kChildUpsert), "GD-T9-1",
                   {{"child_id", "GD-T9-1"}, {"fields", Registration("李明", "321324", "440306")}}),
         MakeEvent(kAway, 2, std::string(event_type::kReferralCreate), "GD-T9-1",
                   {{"referral_id", "GD-T9-R1"},
                    {"child_id", "GD-T9-1"},
                    {"service", "education"},
                    {"from_site", "GD"},
                    {"to_site", "JS"},
                    {"reason", "返乡入学"}})});
    Snapshot();
  }

  void Baseline(const std::string& terminal, std::vector<wire::Event> events) {
    std::vector<server::IngestBatch> group(1);
    group[0].terminal_id = terminal;
    group[0].events = std::move(events);
    group[0].refuse_singly = true;
    store_->IngestGroup(group);
    Check(group[0].acked.ok() && group[0].refused.empty(), "baseline ingests",
          group[0].acked.ok() ? (group[0].refused.empty() ? "" : group[0].refused[0].message())
                              : group[0].acked.status().message());
  }

  // Copies every table into a temporary table, and writes the SQL that restores them.
  void Snapshot() {
    std::vector<std::string> tables;
    std::vector<std::pair<std::string, std::string>> triggers;  // name, SQL
    Status s =
        server::ServerStoreInternals::WithDatabase(*store_, [&](schema::Database& db) -> Status {
          ASSIGN_OR_RETURN(schema::Statement st,
                           db.Prepare("SELECT type, name, sql FROM sqlite_master WHERE type IN "
                                      "('table', 'trigger') ORDER BY name"));
          for (;;) {
            ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) break;
            if (st.ColumnText(0) == "trigger") {
              triggers.emplace_back(st.ColumnText(1), st.ColumnText(2));
            } else {
              tables.push_back(st.ColumnText(1));
            }
          }
          std::string copy;
          for (const std::string& t : tables) {
            copy +=
                "CREATE TEMP TABLE \"fuzz_base_" + t + "\" AS SELECT * FROM main.\"" + t + "\";";
          }
          return db.Exec(copy);
        });
    Check(s.ok(), "baseline snapshot", s.message());
    reset_sql_ = "BEGIN IMMEDIATE; PRAGMA defer_foreign_keys = ON;";
    for (const auto& [name, sql] : triggers) reset_sql_ += "DROP TRIGGER main.\"" + name + "\";";
    for (const std::string& t : tables) {
      reset_sql_ += "DELETE FROM main.\"" + t + "\"; INSERT INTO main.\"" + t +
                    "\" SELECT * FROM \"fuzz_base_" + t + "\";";
    }
    for (const auto& [name, sql] : triggers) reset_sql_ += sql + ";";
    reset_sql_ += "COMMIT;";
  }

  std::string dir_;
  std::unique_ptr<ServerStore> store_;
  std::string reset_sql_;
};

struct Push {
  std::vector<wire::Event> events;
};

struct Input {
  std::string terminal;
  bool refuse_singly = true;
  std::vector<Push> pushes;
};

std::string Payload(uint8_t how, const std::string& child, const std::string& text) {
  switch (how) {
    case kPayloadFields:
      return "{\"child_id\":\"" + child + "\",\"fields\":" + text + "}";
    case kPayloadMembers:
      return "{\"child_id\":\"" + child + "\"," + text + "}";
    default:
      return text;
  }
}

wire::Event StructuredEvent(const std::string& terminal, const std::string& piece) {
  auto byte = [&](size_t i) -> uint8_t {
    return i < piece.size() ? static_cast<uint8_t>(piece[i]) : 0;
  };
  const std::string other = terminal == kHome ? kAway : kHome;
  wire::Event e;
  e.set_type(std::string(kTypes[byte(0) % kTypes.size()]));
  e.set_seq(byte(1) == 0xFF ? uint64_t{1} << 63 : byte(1) == 0 ? 0 : byte(1) - 1u);
  switch (byte(2)) {
    case 0:
    case 1:
      e.set_hlc(0);
      break;
    case 0xFF:
      e.set_hlc(StampAt(4102444800000, 0));  // 2100-01-01T00:00:00Z
      break;
    case 0xFE:
      e.set_hlc(StampAt(HybridClock::PhysicalNowMs(platform::SystemClock()) + 2 * 3600 * 1000, 0));
      break;
    default:
      e.set_hlc(StampAt(kBaseMs + uint64_t{byte(2)} * 3600 * 1000, byte(1)));
  }
  const std::string child(kChildren[byte(3) % kChildren.size()]);
  const uint8_t how = static_cast<uint8_t>(byte(3) >> 3) % 4;
  e.set_child_id(child);
  e.set_terminal_id(how == kPayloadForeign ? other : terminal);
  e.set_payload(Payload(how, child, piece.size() > 4 ? piece.substr(4) : std::string()));
  return e;
}

bool ReadInput(const uint8_t* data, size_t size, Input& in) {
  if (size == 0) return false;
  const uint8_t mode = data[0];
  in.terminal = (mode & kModeHome) ? kHome : kAway;
  in.refuse_singly = (mode & kModeVersion2) == 0;
  if ((mode & kModeStructured) == 0) {
    if (size - 1 > kDefaultMaxFrameBytes) return false;
    wire::Envelope envelope;
    if (!envelope.ParseFromArray(data + 1, static_cast<int>(size - 1)) || !envelope.has_push())
      return false;
    Push& push = in.pushes.emplace_back();
    for (wire::Event& e : *envelope.mutable_push()->mutable_events())
      push.events.push_back(std::move(e));
    return true;
  }
  in.pushes.emplace_back();
  std::string piece;
  auto end_piece = [&] {
    if (piece.empty()) {
      if (!in.pushes.back().events.empty() && in.pushes.size() < 8) in.pushes.emplace_back();
    } else if (in.pushes.back().events.size() < 64) {
      wire::Event& e = in.pushes.back().events.emplace_back(StructuredEvent(in.terminal, piece));
      if ((mode & kModeTyped) != 0) (void)ToTyped(e);  // an event that does not convert stays
    }
    piece.clear();
  };
  for (size_t i = 1; i < size; ++i) {
    if (data[i] == 0) {
      end_piece();
    } else {
      piece.push_back(static_cast<char>(data[i]));
    }
  }
  end_piece();
  return true;
}

bool IsRefusalCode(const std::string& code) {
  for (ErrorCode c : {ErrorCode::kInvalidArgument, ErrorCode::kPermissionDenied,
                      ErrorCode::kNotFound, ErrorCode::kFailedPrecondition, ErrorCode::kTampered}) {
    if (code == ErrorCodeName(c)) return true;
  }
  return false;
}

struct TerminalCounts {
  int64_t stored = 0;      // rows in events
  int64_t contiguous = 0;  // terminals.contiguous_seq
};

TerminalCounts CountsOf(ServerStore& store, const std::string& terminal) {
  return server::ServerStoreInternals::WithDatabase(store, [&](schema::Database& db) {
    return TerminalCounts{
        QueryInt(db, "SELECT count(*) FROM events WHERE terminal_id = ?", {terminal}),
        QueryInt(db, "SELECT contiguous_seq FROM terminals WHERE terminal_id = ?", {terminal})};
  });
}

bool Stored(ServerStore& store, const std::string& terminal, uint64_t seq) {
  return server::ServerStoreInternals::WithDatabase(store, [&](schema::Database& db) {
    return QueryInt(db, "SELECT count(*) FROM events WHERE terminal_id = ? AND seq = ?", {terminal},
                    {static_cast<int64_t>(seq)}) > 0;
  });
}

bool Settled(ServerStore& store, const std::string& terminal, uint64_t seq) {
  return server::ServerStoreInternals::WithDatabase(store, [&](schema::Database& db) {
    return QueryInt(db,
                    "SELECT (SELECT count(*) FROM events WHERE terminal_id = ?1 AND seq = ?2) + "
                    "(SELECT count(*) FROM refused_events WHERE terminal_id = ?1 AND seq = ?2)",
                    {terminal}, {static_cast<int64_t>(seq)}) > 0;
  });
}

// The seqs a push carries that the server may settle (the terminal's own, in range): how many
// events of the push carry each, and whether it was stored before the push.
struct CarriedSeqs {
  std::map<uint64_t, int> count;
  std::map<uint64_t, bool> stored_before;
};

CarriedSeqs CarriedBy(ServerStore& store, const std::string& terminal, const Push& push) {
  CarriedSeqs carried;
  for (const wire::Event& e : push.events) {
    if (e.terminal_id() != terminal || e.seq() == 0 || e.seq() > server::kMaxEventSeq) continue;
    if (carried.count[e.seq()]++ == 0)
      carried.stored_before[e.seq()] = Stored(store, terminal, e.seq());
  }
  return carried;
}

// Checks and ingests the push as the session does, and returns the batch with its answer.
server::IngestBatch IngestAsSession(ServerStore& store, const Input& in, const Push& push) {
  std::vector<server::IngestBatch> group(1);
  server::IngestBatch& batch = group[0];
  batch.terminal_id = in.terminal;
  batch.events = push.events;
  batch.refuse_singly = in.refuse_singly;
  batch.checked = server::CheckEvents(batch.events, in.terminal,
                                      HybridClock::PhysicalNowMs(platform::SystemClock()));
  Check(batch.checked.size() == batch.events.size(), "one check per event");
  store.IngestGroup(group);
  return std::move(group[0]);
}

// With ONECARD_FUZZ_VERBOSE set, says what the push did (for writing seeds).
void LogPush(const Push& push, const std::string& terminal, const server::IngestBatch& batch,
             const TerminalCounts& before, const TerminalCounts& after) {
  if (std::getenv("ONECARD_FUZZ_VERBOSE") == nullptr) return;
  std::fprintf(stderr, "push of %zu events from %s: %s, %zu refused, stored %lld -> %lld\n",
               push.events.size(), terminal.c_str(),
               batch.acked.ok() ? ("acked " + std::to_string(*batch.acked)).c_str()
                                : batch.acked.status().message().c_str(),
               batch.refused.size(), static_cast<long long>(before.stored),
               static_cast<long long>(after.stored));
  for (const wire::EventRefusal& r : batch.refused)
    std::fprintf(stderr, "  %llu: %s\n", static_cast<unsigned long long>(r.seq()),
                 r.message().c_str());
}

// A push that failed as a whole: only version 2 fails a push, only with the refusal of one of
// its events, storing nothing, and the error reply decodes.
void CheckFailedPush(const Input& in, const server::IngestBatch& batch,
                     const TerminalCounts& before, const TerminalCounts& after) {
  Check(!in.refuse_singly, "a version 3 push is answered", batch.acked.status().message());
  Check(IsRefusalCode(ErrorCodeName(batch.acked.status().code())),
        "a version 2 push fails only with a refusal", batch.acked.status().message());
  Check(after.stored == before.stored && after.contiguous == before.contiguous,
        "a refused push stores nothing");
  Bytes frame = EncodeFrame(ErrorEnvelope(batch.acked.status()));
  FrameDecodeResult back = DecodeFrame(frame, kDefaultMaxFrameBytes);
  Check(back.state == FrameState::kComplete && back.envelope.has_error(),
        "the error reply decodes");
}

// The reply as the session sends it, read back as the terminal reads it.
void CheckReplyDecodes(const server::IngestBatch& batch) {
  wire::Envelope reply;
  reply.mutable_push_ack()->set_acked_seq(*batch.acked);
  for (const wire::EventRefusal& r : batch.refused) *reply.mutable_push_ack()->add_refused() = r;
  Bytes frame = EncodeFrame(reply);
  FrameDecodeResult back = DecodeFrame(frame, kDefaultMaxFrameBytes);
  Check(back.state == FrameState::kComplete && back.envelope.has_push_ack() &&
            back.envelope.push_ack().refused_size() == static_cast<int>(batch.refused.size()),
        "the push reply decodes at the terminal",
        batch.refused.empty() ? "" : batch.refused.front().message());
}

// Each event answered once: refusals name seqs of the push, no more often than it carries them,
// each with a refusal code and a reason. Returns how often each seq was refused.
std::map<uint64_t, int> CheckRefusals(const Push& push, const server::IngestBatch& batch) {
  Check(batch.refused.size() <= push.events.size(), "no more refusals than events");
  std::map<uint64_t, int> all_seqs, refused;
  for (const wire::Event& e : push.events) ++all_seqs[e.seq()];
  for (const wire::EventRefusal& r : batch.refused) {
    Check(IsRefusalCode(r.code()), "a refusal's code", r.code());
    Check(!r.message().empty(), "a refusal says why");
    Check(++refused[r.seq()] <= all_seqs[r.seq()], "each event refused at most once",
          std::to_string(r.seq()));
  }
  return refused;
}

// Nothing refused was stored; what was accepted is settled.
void CheckStored(ServerStore& store, const std::string& terminal, size_t accepted,
                 const CarriedSeqs& carried, const std::map<uint64_t, int>& refused,
                 const TerminalCounts& before, const TerminalCounts& after) {
  Check(after.stored - before.stored <= static_cast<int64_t>(accepted),
        "stored events grow by at most the accepted ones");
  for (const auto& [seq, count] : carried.count) {
    auto r = refused.find(seq);
    if (r != refused.end() && r->second >= count) {
      if (!carried.stored_before.at(seq))
        Check(!Stored(store, terminal, seq), "a refused event is not stored", std::to_string(seq));
    } else {
      Check(Settled(store, terminal, seq), "an accepted event is settled", std::to_string(seq));
    }
  }
}

// acked_seq: monotonic, the stored contiguous_seq, and every seq up to it settled.
void CheckAckedSeq(ServerStore& store, const std::string& terminal, uint64_t acked,
                   const TerminalCounts& before, const TerminalCounts& after) {
  Check(static_cast<int64_t>(acked) >= before.contiguous, "acked_seq never goes back");
  Check(static_cast<int64_t>(acked) == after.contiguous, "acked_seq is the stored contiguous seq");
  const int64_t settled_up_to =
      server::ServerStoreInternals::WithDatabase(store, [&](schema::Database& db) {
        return QueryInt(
            db,
            "SELECT count(*) FROM (SELECT seq FROM events WHERE terminal_id = ?1 AND seq BETWEEN 1 "
            "AND ?2 "
            "UNION SELECT seq FROM refused_events WHERE terminal_id = ?1 AND seq BETWEEN 1 AND ?2)",
            {terminal}, {after.contiguous});
      });
  Check(settled_up_to == after.contiguous, "every seq up to acked_seq is settled");
}

// Ingests one push as the session does, and checks the answer and the store.
void RunPush(ServerStore& store, const Input& in, const Push& push) {
  const std::string& terminal = in.terminal;
  const TerminalCounts before = CountsOf(store, terminal);
  const CarriedSeqs carried = CarriedBy(store, terminal, push);
  const server::IngestBatch batch = IngestAsSession(store, in, push);
  const TerminalCounts after = CountsOf(store, terminal);
  LogPush(push, terminal, batch, before, after);
  if (!batch.acked.ok()) return CheckFailedPush(in, batch, before, after);
  Check(in.refuse_singly || batch.refused.empty(), "version 2 pushes refuse whole");
  CheckReplyDecodes(batch);
  const std::map<uint64_t, int> refused = CheckRefusals(push, batch);
  CheckStored(store, terminal, push.events.size() - batch.refused.size(), carried, refused, before,
              after);
  CheckAckedSeq(store, terminal, *batch.acked, before, after);
}

template <typename T>
void CheckReport(const Result<T>& r, const char* what) {
  Check(r.ok(), what, r.ok() ? "" : r.status().message());
  (void)server::ToJson(*r).dump();  // as the CLI prints it; throws on text that is not UTF-8
}

// Every report (through the report interface, as the CLI asks) and pull over the stored data.
void CheckReports(ServerStore& store, const std::set<std::string>& children) {
  server::ReportStore& reports = store;
  auto refreshed = reports.RefreshIdentities(/*force=*/true);
  Check(refreshed.ok(), "identity refresh", refreshed.ok() ? "" : refreshed.status().message());
  CheckReport(reports.ReviewQueue(), "identity review queue");
  CheckReport(reports.DecisionLog(), "identity decision log");
  for (const char* area : {"32", "4403", "440306"}) {
    for (bool exact : {false, true}) {
      server::CountsQuery q;
      q.area_prefix = area;
      // An official combines at most three dimensions; an administrator's exact query any number.
      q.by = exact ? std::vector<std::string>{"category",      "sex",          "age_band",
                                              "school_status", "school_stage", "vaccination",
                                              "card",          "hukou_area:4", "residence_area"}
                   : std::vector<std::string>{"category", "age_band", "hukou_area:4"};
      q.exact = exact;
      q.requested_by = "ingest-fuzz";
      q.moved_out = !exact;
      CheckReport(reports.Counts(q), "counts");
    }
    CheckReport(reports.ReferralStats(server::ReferralStatsQuery{area, false, ""}),
                "referral stats");
  }
  CheckReport(reports.Conflicts(""), "conflicts");
  for (const std::string& child : children) {
    auto history = reports.ResidenceHistory(child);
    if (!history.ok() && history.status().code() == ErrorCode::kNotFound) continue;
    CheckReport(history, "residence history");
  }
  for (const server::PullScope& scope :
       {server::PullScope{"JS", "321324"}, server::PullScope{"GD", "440306"}}) {
    auto page = store.Pull(scope, 0, 1000);
    Check(page.ok(), "pull", page.ok() ? "" : page.status().message());
    terminal::CheckedPage checked =
        terminal::CheckPullPage(*page, HybridClock::PhysicalNowMs(platform::SystemClock()));
    Check(checked.set_aside.empty(), "a terminal accepts what the server stored",
          checked.set_aside.empty() ? "" : checked.set_aside.front().message);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in;
  if (!ReadInput(data, size, in)) return 0;
  Harness& harness = Harness::Get();
  harness.Reset();
  std::set<std::string> children;
  for (const Push& push : in.pushes) {
    if (push.events.empty()) continue;
    RunPush(harness.store(), in, push);
    for (const wire::Event& e : push.events) children.insert(e.child_id());
  }
  CheckReports(harness.store(), children);
  return 0;
}
