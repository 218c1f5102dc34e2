// Identity resolution in the server (issues 6 and 17; docs/identity-server.md): ingests a
// synthetic population (tools/src, with cross-area second registrations) into a real server store
// as child.upsert events, then times a full `review refresh` (read every child's state, index and
// group every record), a refresh with nothing changed, the refresh after --added more children
// arrive (another seed of the same generator) and after one more, and `counts` over persons. Each
// refresh reports its steps and the longest one: how long it held the store at a time.
//
//   onecard_identity_server_bench [--count N] [--duplicate-rate R] [--seed S] [--dir PATH]
//       [--generator first|second] [--added M]
//
// The store is created in PATH (default a fresh directory under /tmp) and removed afterwards.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_events.h"
#include "counts.h"
#include "onecard/platform/clock.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/server/server_store.h"
#include "onecard/tools/synth_population.h"
#include "server_store_internals.h"
#include "synth_flags.h"

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

onecard::wire::Event Upsert(uint64_t seq, const json& record) {
  return ChildRegistration("BENCH-T1", seq, record);
}

// Ingests `options.count` generated children in batches of 2,000, numbering events after `seq`.
onecard::Status IngestGenerated(onecard::server::ServerStore& store, SynthGenerator generate,
                                const onecard::synth::SynthOptions& options, uint64_t& seq) {
  std::vector<onecard::wire::Event> batch;
  onecard::Status failed;
  auto flush = [&] {
    if (auto acked = store.Ingest("BENCH-T1", batch); !acked.ok() && failed.ok())
      failed = acked.status();
    batch.clear();
  };
  onecard::Status generated = generate(options, [&](onecard::synth::SynthRecord&& r) {
    batch.push_back(Upsert(++seq, r.record));
    if (batch.size() == 2000) flush();
  });
  if (!batch.empty()) flush();
  return generated.ok() ? failed : generated;
}

// Times a refresh and prints it on one line.
bool TimeRefresh(onecard::server::ServerStore& store, bool force, const char* what) {
  auto t0 = Clock::now();
  auto stats = store.RefreshIdentities(force);
  const double seconds = Seconds(Clock::now() - t0);
  if (!stats.ok()) {
    std::fprintf(stderr, "error: %s\n", stats.status().message().c_str());
    return false;
  }
  std::printf(
      "%-30s %8.3f s  (%zu records indexed, %zu regrouped, %zu steps, the longest %.1f ms; "
      "%zu persons of 2+, %zu links, %zu review, %zu unreadable)\n",
      what, seconds, stats->records, stats->regrouped, stats->steps,
      stats->longest_step_seconds * 1e3, stats->persons, stats->links, stats->review,
      stats->unreadable);
  return true;
}

int Fail(const onecard::Status& s) {
  std::fprintf(stderr, "error: %s\n", s.message().c_str());
  return 1;
}

// Times and prints `counts --area 44 --by category,sex` over persons, as the command line asks it
// (after the refreshes above, nothing is left to refresh). 1 on a failure.
int TimeCounts(onecard::server::ServerStore& store) {
  onecard::server::CountsQuery q;
  q.area_prefix = "44";
  q.exact = true;  // true totals, unperturbed
  q.requested_by = "bench";
  q.by = {"category", "sex"};
  auto t0 = Clock::now();
  auto counts = static_cast<onecard::server::ReportStore&>(store).Counts(q);
  double seconds = Seconds(Clock::now() - t0);
  if (!counts.ok()) return Fail(counts.status());
  std::printf("counts --area 44 --by category,sex over persons %.3f s (total %lld)\n", seconds,
              static_cast<long long>(counts->total.value_or(-1)));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  onecard::synth::SynthOptions options;
  options.count = 100'000;
  // The children must be 0-17 today, as the server's validation checks at ingest.
  options.reference_date = onecard::CivilDate::TodayInChina(onecard::platform::SystemClock());
  options.seed = 2026;
  std::string dir =
      (std::filesystem::temp_directory_path() / ("onecard-idbench-" + std::to_string(::getpid())))
          .string();
  SynthGenerator generate = &onecard::synth::GeneratePopulation;
  size_t added = 10'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (ApplySynthFlag(argv[i], argv[i + 1], options) ||
        ApplyGeneratorFlag(argv[i], argv[i + 1], generate))
      continue;
    if (!std::strcmp(argv[i], "--dir"))
      dir = argv[i + 1];
    else if (!std::strcmp(argv[i], "--added"))
      added = std::strtoull(argv[i + 1], nullptr, 10);
    else
      generate = nullptr;
  }
  if (!generate) {
    std::fprintf(stderr,
                 "usage: %s [--count N] [--duplicate-rate R] [--seed S] [--dir PATH] "
                 "[--generator first|second] [--added M]\n",
                 argv[0]);
    return 2;
  }
  auto store = onecard::server::ServerStore::Create(dir);
  if (!store.ok()) return Fail(store.status());
  if (auto s = (*store)->AddSite({"BENCH", "bench", "440306", "both"}); !s.ok()) return Fail(s);
  if (auto s = (*store)->AddTerminal("BENCH-T1", "BENCH"); !s.ok()) return Fail(s);

  uint64_t seq = 0;
  auto ingest_start = Clock::now();
  if (auto s = IngestGenerated(**store, generate, options, seq); !s.ok()) return Fail(s);
  std::printf("records ingested               %zu in %.1f s (setup, not the figure)\n",
              static_cast<size_t>(seq), Seconds(Clock::now() - ingest_start));
  if (!TimeRefresh(**store, true, "full refresh (review refresh)") ||
      !TimeRefresh(**store, false, "refresh, nothing changed"))
    return 1;
  onecard::synth::SynthOptions more = options;
  more.count = added;
  more.seed = options.seed + 1;
  if (auto s = IngestGenerated(**store, generate, more, seq); !s.ok()) return Fail(s);
  const std::string after_added = "refresh after " + std::to_string(added) + " new";
  if (!TimeRefresh(**store, false, after_added.c_str())) return 1;
  more.count = 1;
  more.seed = options.seed + 2;
  if (auto s = IngestGenerated(**store, generate, more, seq); !s.ok()) return Fail(s);
  if (!TimeRefresh(**store, false, "refresh after one new child")) return 1;
  if (int failed_counts = TimeCounts(**store); failed_counts != 0) return failed_counts;
  store->reset();
  std::filesystem::remove_all(dir);
  return 0;
}
