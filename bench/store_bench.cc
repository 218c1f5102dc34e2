// Terminal store benchmark (issue 4): a store of N children (default 100,000) is created once in
// a directory (kept and reused by later runs), then the program measures
//   open     TerminalStore::Open: passphrase unlock (PBKDF2), SQLCipher open, migration check;
//   find     one child by Han name, by pinyin (full and given name), by ID number: the index
//            query alone (FindChildIds) and the whole audited TerminalStore::Search, which also
//            loads the records and commits an audit entry (one fsync).
// Each figure is the median and the maximum over the runs, in milliseconds.
//
//   onecard_store_bench [--dir DIR] [--children N] [--runs R]
//
// The store is filled through the same code as registrations (state, projection, outbox event,
// audit entry per child) but 5,000 children per transaction instead of one, so that creating it
// does not take 100,000 fsyncs. Targets (issue 4): open < 1 s, each search < 50 ms.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "child_projection.h"
#include "child_search.h"
#include "onecard/platform/clock.h"
#include "onecard/platform/file_io.h"
#include "onecard/protocol/child_state.h"
#include "onecard/protocol/id_number.h"
#include "onecard/protocol/pinyin.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/schema/database.h"
#include "onecard/schema/migrations.h"
#include "onecard/terminal/audit_log.h"
#include "onecard/terminal/store_keys.h"
#include "onecard/terminal/terminal_store.h"
#include "test_bundle.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr char kUser[] = "bench";
constexpr char kPassphrase[] = "bench passphrase";
constexpr char kTerminal[] = "GD-T1";

// Synthetic children: common surnames and given-name characters, birth dates 2009–2025.
struct Generator {
  std::mt19937 rng{42};
  std::vector<std::string> surnames{
      "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",   "马",
      "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐",   "许",
      "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于",   "蒋",
      "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "欧阳", "司马"};
  std::vector<std::string> given{
      "小", "明", "丽", "建", "国", "芳", "伟", "秀", "英", "敏", "静", "强", "磊", "洋",
      "艳", "勇", "军", "杰", "娟", "涛", "超", "霞", "平", "刚", "桂", "文", "华", "红",
      "梅", "鑫", "宇", "浩", "欣", "怡", "子", "涵", "晨", "轩", "雨", "博", "佳", "婷",
      "思", "嘉", "俊", "琪", "梓", "睿", "诗", "瑶", "一", "诺", "天", "乐", "安", "宁"};
  std::vector<std::string> areas{"440306", "321324", "440305", "320106", "441900", "510104"};

  json Child(int i) {
    auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
    std::string name = pick(surnames) + pick(given);
    if (rng() % 3 != 0) name += pick(given);
    CivilDate birth = CivilDate::FromDays(CivilDate{2009, 1, 1}.ToDays() +
                                          static_cast<int64_t>(rng() % (16 * 365)));
    std::string area = pick(areas);
    json r = {{"name", name},
              {"sex", i % 2 ? "M" : "F"},
              {"birth_date", birth.ToString()},
              {"id_number", MakeIdNumber(area, birth, i % 1000)},
              {"hukou_area", "321324"},
              {"residence_area", area},
              {"category", area == "321324" ? "other" : "migrant"},
              {"guardians", json::array({{{"name", pick(surnames) + pick(given) + pick(given)},
                                          {"relation", "father"},
                                          {"phone", "138" + std::to_string(10000000 + i)}}})},
              {"school",
               {{"name", "第一实验小学"},
                {"grade", 1 + static_cast<int>(rng() % 6)},
                {"status", "enrolled"}}},
              {"immunizations",
               json::array({{{"vaccine", "HepB"}, {"dose", 1}, {"date", birth.ToString()}},
                            {{"vaccine", "BCG"}, {"dose", 1}, {"date", birth.ToString()}}})},
              {"consent", {{"by", "李强"}, {"relation", "father"}, {"date", "2026-10-01"}}}};
    return r;
  }
};

Status CreateStore(const std::string& dir, int children) {
  RETURN_IF_ERROR(
      TerminalStore::Initialize(dir, testing::MakeTestBundle(kTerminal), kUser, kPassphrase));
  ASSIGN_OR_RETURN(SecretBytes key, StoreKeys::Unlock(dir, kUser, kPassphrase));
  ASSIGN_OR_RETURN(schema::Database db, schema::Database::Open(dir + "/terminal.db", key, false));
  Generator gen;
  constexpr int kBatch = 5000;
  for (int start = 0; start < children; start += kBatch) {
    ASSIGN_OR_RETURN(schema::Transaction tx, schema::Transaction::Begin(db));
    ASSIGN_OR_RETURN(schema::Statement child,
                     db.Prepare("INSERT INTO children(child_id, state, name, id_number, "
                                "updated_at) VALUES (?, ?, ?, ?, ?)"));
    ASSIGN_OR_RETURN(schema::Statement event,
                     db.Prepare("INSERT INTO outbox(seq, hlc, type, child_id, payload) VALUES (?, "
                                "?, 'child.upsert', ?, ?)"));
    for (int i = start; i < std::min(children, start + kBatch); ++i) {
      std::string id = std::string(kTerminal) + "-" + std::to_string(i + 1);
      json record = gen.Child(i);
      uint64_t seq = static_cast<uint64_t>(i) + 1;
      ChildState state(id);
      state.Apply(record, Stamp{seq << 16, kTerminal, seq});
      RETURN_IF_ERROR(child.Reset());
      RETURN_IF_ERROR(child.Bind(1, id)
                          .Bind(2, state.ToJson().dump())
                          .Bind(3, record["name"].get<std::string>())
                          .Bind(4, record["id_number"].get<std::string>())
                          .Bind(5, UtcNowIso8601(platform::SystemClock()))
                          .Run());
      RETURN_IF_ERROR(WriteChildProjection(db, id, state.Record()));
      RETURN_IF_ERROR(event.Reset());
      RETURN_IF_ERROR(event.Bind(1, static_cast<int64_t>(seq))
                          .Bind(2, static_cast<int64_t>(seq << 16))
                          .Bind(3, id)
                          .Bind(4, json{{"child_id", id}, {"fields", record}}.dump())
                          .Run());
      RETURN_IF_ERROR(AppendAudit(db, platform::SystemClock(), kUser, "child.register", id,
                                  {{"fields", json::array({"name"})}}));
    }
    RETURN_IF_ERROR(db.Exec("UPDATE meta SET value = '" +
                            std::to_string(std::min(children, start + kBatch) + 1) +
                            "' WHERE key IN ('next_seq', 'next_child_number')"));
    RETURN_IF_ERROR(tx.Commit());
    std::cerr << "\rcreated " << std::min(children, start + kBatch) << " children" << std::flush;
  }
  std::cerr << std::endl;
  return db.Exec("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;");
}

struct Figures {
  double median_ms = 0, max_ms = 0;
};

template <typename F>
Figures Measure(int runs, F&& f) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    f(i);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms.back()};
}

void Print(const std::string& what, const Figures& f, const std::string& note = "") {
  std::printf("%-44s median %9.3f ms   max %9.3f ms%s\n", what.c_str(), f.median_ms, f.max_ms,
              note.c_str());
}

int Main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::string dir = (std::filesystem::temp_directory_path() / "onecard-store-bench").string();
  int children = 100000;
  int runs = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--dir")
      dir = argv[i + 1];
    else if (flag == "--children")
      children = std::stoi(argv[i + 1]);
    else if (flag == "--runs")
      runs = std::stoi(argv[i + 1]);
  }
  if (!std::filesystem::exists(dir + "/terminal.db")) {
    auto t0 = Clock::now();
    Status s = CreateStore(dir, children);
    if (!s.ok()) {
      std::cerr << "creating the store failed: " << s.message() << std::endl;
      return 1;
    }
    std::printf("created %d children in %.1f s (%s)\n", children,
                std::chrono::duration<double>(Clock::now() - t0).count(), dir.c_str());
  }

  Figures open = Measure(std::max(3, runs / 4), [&](int) {
    auto store = TerminalStore::Open(dir, kUser, kPassphrase);
    ONECARD_CHECK(store.ok());
  });
  // Where the open time goes: the passphrase KDF, then the database itself.
  Figures unlock = Measure(std::max(3, runs / 4), [&](int) {
    ONECARD_CHECK(StoreKeys::Unlock(dir, kUser, kPassphrase).ok());
  });
  auto store_key = StoreKeys::Unlock(dir, kUser, kPassphrase);
  ONECARD_CHECK(store_key.ok());
  Figures open_db = Measure(runs, [&](int) {
    auto opened = schema::Database::Open(dir + "/terminal.db", *store_key, false);
    ONECARD_CHECK(opened.ok());
    ONECARD_CHECK(schema::Migrate(*opened, schema::TerminalMigrationFiles()).ok());
    ONECARD_CHECK(RefreshNameKeysIfStale(*opened).ok());
  });
  auto store = TerminalStore::Open(dir, kUser, kPassphrase);
  if (!store.ok()) {
    std::cerr << store.status().message() << std::endl;
    return 1;
  }
  // Probe children spread over the store; their names, pinyin and ID numbers are the queries.
  auto key = StoreKeys::Unlock(dir, kUser, kPassphrase);
  auto db = schema::Database::Open(dir + "/terminal.db", *key, false);
  ONECARD_CHECK(db.ok());
  auto count_st = db->Prepare("SELECT count(*) FROM children");
  ONECARD_CHECK(count_st.ok() && *count_st->Step());
  int64_t stored = count_st->ColumnInt(0);
  std::vector<std::string> names, pinyins, given_pinyins, id_numbers;
  for (int i = 0; i < runs; ++i) {
    auto st = db->Prepare("SELECT name, name_pinyin, id_number FROM children WHERE child_id = ?");
    ONECARD_CHECK(st.ok());
    st->Bind(1, std::string(kTerminal) + "-" +
                    std::to_string(1 + (static_cast<int64_t>(i) * 7919 % stored)));
    ONECARD_CHECK(*st->Step());
    names.push_back(st->ColumnText(0));
    pinyins.push_back(st->ColumnText(1));
    std::string py = st->ColumnText(1);
    given_pinyins.push_back(py.substr(py.find(' ') + 1));
    id_numbers.push_back(st->ColumnText(2));
  }
  size_t hits = 0;
  auto query = [&](const std::string& name, const std::string& id) {
    auto ids = FindChildIds(*db, name, id, 200);
    ONECARD_CHECK(ids.ok() && !ids->empty());
    hits += ids->size();
  };
  auto search = [&](const std::string& name, const std::string& id) {
    auto found = (*store)->children().Search(name, id);
    ONECARD_CHECK(found.ok() && !found->empty());
  };

  auto loadavg = platform::ReadWholeFile("/proc/loadavg");
  std::string load = loadavg.ok() ? *loadavg : "?\n";
  std::printf("store: %lld children, %s, %.0f MB; load average at the end: %s",
              static_cast<long long>(stored), dir.c_str(),
              static_cast<double>(std::filesystem::file_size(dir + "/terminal.db")) / 1e6,
              load.c_str());
  Print("open (unlock + open + migration check)", open);
  Print("  of which unlock (PBKDF2-HMAC-SHA512)", unlock);
  Print("  of which SQLCipher open + migration check", open_db);
  std::vector<std::pair<std::string, const std::vector<std::string>*>> kinds = {
      {"name (Han, full)", &names},
      {"pinyin (full, \"wang xiao ming\")", &pinyins},
      {"pinyin (given name, \"xiao ming\")", &given_pinyins}};
  for (const auto& [label, queries] : kinds) {
    hits = 0;
    Figures q = Measure(runs, [&](int i) { query((*queries)[i], ""); });
    Print("query  by " + label, q,
          "   (" + std::to_string(hits / runs) + " hits avg, at most 200)");
    Print("search by " + label, Measure(runs, [&](int i) { search((*queries)[i], ""); }));
  }
  hits = 0;
  Print("query  by ID number", Measure(runs, [&](int i) { query("", id_numbers[i]); }));
  Print("search by ID number", Measure(runs, [&](int i) { search("", id_numbers[i]); }));
  return 0;
}

}  // namespace
}  // namespace onecard::terminal

int main(int argc, char** argv) { return onecard::terminal::Main(argc, argv); }
