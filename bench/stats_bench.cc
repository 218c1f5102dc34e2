// Officials' counts from the statistics model (issue 13; docs/statistics.md, docs/performance.md):
// builds a server store of N synthetic children through the real write path (ServerStore::Ingest,
// the sync service's own call, in batches of 2,000, from T terminals at once: 2 by default), then
// asks random counts questions — random area prefixes (provinces, prefectures, counties that hold
// children), random sets of up to three dimensions, a fifth of them moved-out questions — and
// prints their latency percentiles, the statistics tables' size, and the daily roll's time.
//
//   onecard_stats_bench [--count N] [--queries Q] [--threads T] [--seed S] [--dir PATH]
//                       [--keep [--roll]]
//
// The population: migrant children living in receiving provinces (Guangdong, Zhejiang, Jiangsu,
// Shanghai, Beijing, Fujian) with their hukou in sending provinces (Sichuan, Henan, Hunan, Anhui,
// Guizhou, Jiangxi, Guangxi, Chongqing); left-behind children in their sending county; local
// children. Ages 0–17, school by age, birth doses for half, cards for most.
// With --keep the store stays in PATH, and a later run with the same PATH reuses it (no build);
// the daily roll is then timed only with --roll (it moves the store's statistics date ahead).
// Counts are timed through the embedded query (ComputeCounts) after the model is brought to
// today: ReportStore::Counts would first refresh the identity grouping when children changed
// (issue 17's subject, timed by onecard_identity_server_bench).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_areas.h"
#include "bench_events.h"
#include "counts.h"
#include "onecard/platform/clock.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/server/server_store.h"
#include "server_store_internals.h"
#include "stats_cube.h"

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;
using onecard::CivilDate;

struct Options {
  uint64_t count = 200'000;
  int queries = 1000;
  uint64_t seed = 2026;
  std::string dir;
  bool keep = false;
  int threads = 2;    // terminals ingesting at once while building
  bool roll = false;  // time the daily roll even with --keep (it moves the kept store's date)
};

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

int Fail(const onecard::Status& s) {
  std::fprintf(stderr, "error: %s\n", s.message().c_str());
  return 1;
}

// The school a child born on `birth` would be in on `today`, by age (sometimes not enrolled).
json SchoolOf(std::mt19937_64& rng, CivilDate birth, CivilDate today) {
  const int age = onecard::AgeInYears(birth, today);
  if (age < 6) return rng() % 4 == 0 ? json(nullptr) : json{{"status", "not_enrolled"}};
  if (rng() % 20 == 0) return json{{"status", age >= 15 ? "dropped_out" : "not_enrolled"}};
  const int grade = std::clamp(age - 5, 1, 12);
  return json{{"status", "enrolled"}, {"grade", grade}};
}

// The record of synthetic child `n`.
json Record(std::mt19937_64& rng, uint64_t n, CivilDate today) {
  static const char* surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"};
  static const char* given[] = {"明", "华", "芳", "磊", "静", "强", "丽", "军", "敏", "洋"};
  const CivilDate birth =
      CivilDate::FromDays(today.ToDays() - 1 - static_cast<int64_t>(rng() % 6570));
  const std::string hukou = Skewed(rng, SendingCounties());
  const int kind = static_cast<int>(rng() % 10);  // 6 migrant, 3 left behind, 1 local
  const std::string residence = kind < 6 ? Skewed(rng, ReceivingCounties()) : hukou;
  json r = {{"name", std::string(surnames[n % 10]) + given[(n / 10) % 10] + given[rng() % 10]},
            {"sex", rng() % 2 ? "M" : "F"},
            {"birth_date", birth.ToString()},
            {"hukou_area", hukou},
            {"residence_area", residence},
            {"category", kind < 6   ? "migrant"
                         : kind < 9 ? "left_behind"
                                    : "other"},
            {"consent", {{"by", "张建国"}, {"relation", "father"}, {"date", today.ToString()}}}};
  if (json school = SchoolOf(rng, birth, today); !school.is_null()) r["school"] = school;
  if (rng() % 2 == 0) {
    r["immunizations"] =
        json::array({{{"vaccine", "HepB"}, {"dose", 1}, {"date", birth.ToString()}},
                     {{"vaccine", "BCG"}, {"dose", 1}, {"date", birth.ToString()}}});
  }
  if (rng() % 10 < 7) {
    char serial[17];
    std::snprintf(serial, sizeof serial, "%016llX", static_cast<unsigned long long>(n));
    r["card_serial"] = serial;
  }
  return r;
}

// Ingests synthetic children number `first`, `first + step`, … below `o.count` + 1 as terminal
// `terminal`, in batches of 2,000.
onecard::Status IngestShare(onecard::server::ServerStore& store, const Options& o,
                            const std::string& terminal, uint64_t first, uint64_t step) {
  const CivilDate today = CivilDate::TodayInChina(onecard::platform::SystemClock());
  std::mt19937_64 rng(o.seed + first);
  std::vector<onecard::wire::Event> batch;
  uint64_t seq = 0;
  for (uint64_t n = first; n <= o.count; n += step) {
    batch.push_back(ChildRegistration(terminal, ++seq, Record(rng, n, today)));
    if (batch.size() == 2000 || n + step > o.count) {
      ASSIGN_OR_RETURN(uint64_t acked, store.Ingest(terminal, batch));
      if (acked != seq) return onecard::Status(onecard::ErrorCode::kInternal, "events refused");
      batch.clear();
    }
    if (n % 1'000'000 == 0) {
      std::fprintf(stderr, "  %llu ingested\n", static_cast<unsigned long long>(n));
    }
  }
  return onecard::Status::Ok();
}

// Ingests `count` synthetic children from `threads` terminals at once (the sync service's
// sessions call Ingest concurrently: each batch's checks run in parallel, its writes one at a
// time); prints the rate.
onecard::Status Build(onecard::server::ServerStore& store, const Options& o) {
  RETURN_IF_ERROR(store.AddSite({"BENCH", "bench", "440306", "both"}));
  std::vector<std::string> terminals;
  for (int t = 1; t <= o.threads; ++t) {
    terminals.push_back("BENCH-T" + std::to_string(t));
    RETURN_IF_ERROR(store.AddTerminal(terminals.back(), "BENCH"));
  }
  const auto start = Clock::now();
  std::vector<onecard::Status> results(terminals.size());
  std::vector<std::thread> workers;
  for (size_t t = 0; t < terminals.size(); ++t) {
    workers.emplace_back(
        [&, t] { results[t] = IngestShare(store, o, terminals[t], t + 1, terminals.size()); });
  }
  for (std::thread& w : workers) w.join();
  for (const onecard::Status& r : results) RETURN_IF_ERROR(r);
  const double s = Seconds(Clock::now() - start);
  std::printf(
      "built %llu children in %.0f s (%.0f children/s through Ingest from %d terminals, "
      "model kept)\n",
      static_cast<unsigned long long>(o.count), s, static_cast<double>(o.count) / s, o.threads);
  return onecard::Status::Ok();
}

// A random question: a prefix of 2, 4 or 6 digits of an area that holds children, and up to three
// dimensions (at most one length of each area).
onecard::server::CountsQuery RandomQuery(std::mt19937_64& rng) {
  onecard::server::CountsQuery q;
  const auto& pool = rng() % 2 ? ReceivingCounties() : SendingCounties();
  q.area_prefix = Skewed(rng, pool).substr(0, 2 * (1 + rng() % 3));
  q.moved_out = rng() % 5 == 0;
  std::vector<std::string> dims = {"category",     "sex",         "age_band", "school_status",
                                   "school_stage", "vaccination", "card"};
  dims.push_back("hukou_area:" + std::to_string(2 * (1 + rng() % 3)));
  dims.push_back("residence_area:" + std::to_string(2 * (1 + rng() % 3)));
  std::shuffle(dims.begin(), dims.end(), rng);
  dims.resize(rng() % 4);
  q.by = dims;
  return q;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// Times `o.queries` random questions; prints the percentiles, overall and by kind.
onecard::Status TimeQueries(onecard::server::ServerStore& store, const Options& o) {
  std::mt19937_64 rng(o.seed + 7);
  std::vector<double> all, with_hukou, without_hukou;
  size_t groups = 0;
  for (int i = 0; i < o.queries; ++i) {
    const onecard::server::CountsQuery q = RandomQuery(rng);
    const auto t0 = Clock::now();
    auto r = onecard::server::ServerStoreInternals::WithDatabase(
        store,
        [&](onecard::schema::Database& db) { return onecard::server::ComputeCounts(db, q); });
    const double ms = 1000 * Seconds(Clock::now() - t0);
    if (!r.ok()) return r.status();
    groups += r->groups.size();
    all.push_back(ms);
    const bool hukou = q.moved_out || std::any_of(q.by.begin(), q.by.end(), [](const auto& d) {
                         return d.rfind("hukou_area", 0) == 0;
                       });
    (hukou ? with_hukou : without_hukou).push_back(ms);
  }
  auto line = [](const char* what, const std::vector<double>& v) {
    if (v.empty()) return;
    std::printf("%-28s %5zu queries  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms\n",
                what, v.size(), Percentile(v, 0.5), Percentile(v, 0.9), Percentile(v, 0.99),
                *std::max_element(v.begin(), v.end()));
  };
  line("counts, all", all);
  line("  by hukou or moved out", with_hukou);
  line("  by residence only", without_hukou);
  std::printf("groups per answer (mean)     %.1f\n", static_cast<double>(groups) / o.queries);
  return onecard::Status::Ok();
}

// The bytes the statistics' cells take on disk: a copy of stats_blocks and its index in a scratch
// database (aggregates only, no personal data), measured by its pages. Embedded SQLite has no
// dbstat.
onecard::Result<int64_t> CellsOnDisk(onecard::schema::Database& db, const std::string& dir) {
  const std::string copy = dir + "/cells-size.db";
  // A reopened store's connection may not create files: ATTACH opens an empty one.
  std::ofstream(copy, std::ios::trunc).close();
  RETURN_IF_ERROR(db.Exec("ATTACH DATABASE '" + copy + "' AS sized KEY ''"));
  RETURN_IF_ERROR(db.Exec(
      "CREATE TABLE sized.stats_blocks (level INTEGER NOT NULL, residence INTEGER NOT NULL, "
      "hukou INTEGER NOT NULL, head INTEGER NOT NULL, cells BLOB NOT NULL, "
      "PRIMARY KEY (level, residence, hukou, head)) WITHOUT ROWID;"
      "INSERT INTO sized.stats_blocks SELECT * FROM main.stats_blocks;"
      "CREATE INDEX sized.stats_blocks_by_hukou ON stats_blocks(level, hukou);"));
  ASSIGN_OR_RETURN(onecard::schema::Statement pages,
                   db.Prepare("SELECT (SELECT page_count FROM pragma_page_count('sized')) * "
                              "(SELECT page_size FROM pragma_page_size('sized'))"));
  ASSIGN_OR_RETURN(bool row, pages.Step());
  const int64_t bytes = row ? pages.ColumnInt(0) : -1;
  RETURN_IF_ERROR(pages.Reset());
  RETURN_IF_ERROR(db.Exec("DETACH DATABASE sized"));
  std::filesystem::remove(copy);
  return bytes;
}

// Prints the size of the statistics: blocks (rows) and cells per level, on disk, and the store's
// file.
onecard::Status PrintSizes(onecard::server::ServerStore& store, const std::string& dir) {
  return onecard::server::ServerStoreInternals::WithDatabase(
      store, [&](onecard::schema::Database& db) -> onecard::Status {
        ASSIGN_OR_RETURN(onecard::schema::Statement levels,
                         db.Prepare("SELECT level, count(*), sum(length(cells)) / 10 FROM "
                                    "stats_blocks GROUP BY level ORDER BY level DESC"));
        RETURN_IF_ERROR(levels.ForEachRow([](const onecard::schema::Statement& r) {
          std::printf("level %2lld                     %9lld blocks %9lld cells\n",
                      static_cast<long long>(r.ColumnInt(0)),
                      static_cast<long long>(r.ColumnInt(1)),
                      static_cast<long long>(r.ColumnInt(2)));
        }));
        ASSIGN_OR_RETURN(int64_t cells, CellsOnDisk(db, dir));
        std::printf("stats_blocks + index on disk %8.1f MB\n", static_cast<double>(cells) / 1e6);
        std::printf("server.db                    %8.1f MB\n",
                    static_cast<double>(std::filesystem::file_size(dir + "/server.db")) / 1e6);
        return onecard::Status::Ok();
      });
}

// Times the daily roll: the model brought to tomorrow, then 30 days later.
onecard::Status TimeRoll(onecard::server::ServerStore& store) {
  const CivilDate today = CivilDate::TodayInChina(onecard::platform::SystemClock());
  for (int days : {1, 31}) {
    const CivilDate to = CivilDate::FromDays(today.ToDays() + days);
    size_t rolled = 0;
    const auto t0 = Clock::now();
    RETURN_IF_ERROR(onecard::server::ServerStoreInternals::WithDatabase(
        store, [&](onecard::schema::Database& db) -> onecard::Status {
          ASSIGN_OR_RETURN(auto tx, onecard::schema::Transaction::Begin(db));
          auto date = onecard::server::BringStatsTo(db, to, &rolled);
          if (!date.ok()) return date.status();
          return tx.Commit();
        }));
    std::printf("daily roll to %s       %.2f s (%zu records re-profiled)\n", to.ToString().c_str(),
                Seconds(Clock::now() - t0), rolled);
  }
  return onecard::Status::Ok();
}

bool ParseFlags(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (!std::strcmp(argv[i], "--keep")) {
      o.keep = true;
    } else if (!std::strcmp(argv[i], "--roll")) {
      o.roll = true;
    } else if (has_value && !std::strcmp(argv[i], "--count")) {
      o.count = std::strtoull(argv[++i], nullptr, 10);
    } else if (has_value && !std::strcmp(argv[i], "--queries")) {
      o.queries = std::atoi(argv[++i]);
    } else if (has_value && !std::strcmp(argv[i], "--threads")) {
      o.threads = std::atoi(argv[++i]);
    } else if (has_value && !std::strcmp(argv[i], "--seed")) {
      o.seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (has_value && !std::strcmp(argv[i], "--dir")) {
      o.dir = argv[++i];
    } else {
      return false;
    }
  }
  return o.count > 0 && o.queries > 0 && o.threads > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  o.dir = (std::filesystem::temp_directory_path() /
           ("onecard-statsbench-" + std::to_string(::getpid())))
              .string();
  if (!ParseFlags(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: %s [--count N] [--queries Q] [--threads T] [--seed S] [--dir PATH] "
                 "[--keep [--roll]]\n",
                 argv[0]);
    return 2;
  }
  const bool reuse = std::filesystem::exists(o.dir + "/server.db");
  const auto opening = Clock::now();
  auto store = reuse ? onecard::server::ServerStore::Open(o.dir)
                     : onecard::server::ServerStore::Create(o.dir);
  if (!store.ok()) return Fail(store.status());
  // Opening a store of an older version migrates it (a new statistics layout profiles every
  // record).
  if (reuse) std::printf("opened the store in %.1f s\n", Seconds(Clock::now() - opening));
  if (!reuse) {
    if (auto s = Build(**store, o); !s.ok()) return Fail(s);
  }
  if (auto s = TimeQueries(**store, o); !s.ok()) return Fail(s);
  if (auto s = PrintSizes(**store, o.dir); !s.ok()) return Fail(s);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak memory (RSS)            %8.1f MB\n",
              static_cast<double>(usage.ru_maxrss) / 1e3);
  if (!o.keep || o.roll) {
    if (auto s = TimeRoll(**store); !s.ok()) return Fail(s);
  }
  store->reset();
  if (!o.keep) std::filesystem::remove_all(o.dir);
  return 0;
}
