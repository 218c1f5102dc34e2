// Identity resolution in the server (issue 6; docs/identity-server.md): ingests a synthetic
// population (tools/src, with cross-area second registrations) into a real server store as
// child.upsert events, then times a full `review refresh` (read every child's state, resolve,
// group, write the grouping), a no-op refresh (nothing changed), a refresh after one more child
// arrives, and `counts` over persons.
//
//   onecard_identity_server_bench [--count N] [--duplicate-rate R] [--seed S] [--dir PATH]
//       [--generator first|second]
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
  for (int i = 1; i + 1 < argc; i += 2) {
    if (ApplySynthFlag(argv[i], argv[i + 1], options) ||
        ApplyGeneratorFlag(argv[i], argv[i + 1], generate))
      continue;
    if (!std::strcmp(argv[i], "--dir"))
      dir = argv[i + 1];
    else
      generate = nullptr;
  }
  if (!generate) {
    std::fprintf(stderr,
                 "usage: %s [--count N] [--duplicate-rate R] [--seed S] [--dir PATH] "
                 "[--generator first|second]\n",
                 argv[0]);
    return 2;
  }
  auto store = onecard::server::ServerStore::Create(dir);
  if (!store.ok()) return Fail(store.status());
  if (auto s = (*store)->AddSite({"BENCH", "bench", "440306", "both"}); !s.ok()) return Fail(s);
  if (auto s = (*store)->AddTerminal("BENCH-T1", "BENCH"); !s.ok()) return Fail(s);

  std::vector<onecard::wire::Event> batch;
  uint64_t seq = 0;
  onecard::Status failed;
  auto ingest_start = Clock::now();
  onecard::Status generated = generate(options, [&](onecard::synth::SynthRecord&& r) {
    batch.push_back(Upsert(++seq, r.record));
    if (batch.size() == 2000) {
      if (auto acked = (*store)->Ingest("BENCH-T1", batch); !acked.ok()) failed = acked.status();
      batch.clear();
    }
  });
  if (!generated.ok()) return Fail(generated);
  if (!batch.empty()) {
    if (auto acked = (*store)->Ingest("BENCH-T1", batch); !acked.ok()) failed = acked.status();
  }
  if (!failed.ok()) return Fail(failed);
  double ingest = Seconds(Clock::now() - ingest_start);
  const uint64_t ingested = seq;

  auto timed = [&](bool force) {
    auto t0 = Clock::now();
    auto stats = (*store)->RefreshIdentities(force);
    return std::pair{Seconds(Clock::now() - t0), std::move(stats)};
  };
  auto [full, stats] = timed(true);
  if (!stats.ok()) return Fail(stats.status());
  auto [noop, noop_stats] = timed(false);
  if (!noop_stats.ok()) return Fail(noop_stats.status());
  onecard::synth::SynthOptions one = options;
  one.count = 1;
  one.seed = options.seed + 1;
  (void)generate(one, [&](onecard::synth::SynthRecord&& r) {
    std::vector<onecard::wire::Event> e{Upsert(++seq, r.record)};
    if (auto acked = (*store)->Ingest("BENCH-T1", e); !acked.ok()) failed = acked.status();
  });
  if (!failed.ok()) return Fail(failed);
  auto [after_one, after_stats] = timed(false);
  if (!after_stats.ok()) return Fail(after_stats.status());

  std::printf("records ingested            %zu in %.1f s (setup, not the figure)\n",
              static_cast<size_t>(ingested), ingest);
  std::printf(
      "full refresh                %.2f s  (%zu records, %zu candidate pairs, %zu persons of 2+, "
      "%zu links, %zu review, %zu unreadable)\n",
      full, stats->records, stats->candidate_pairs, stats->persons, stats->links, stats->review,
      stats->unreadable);
  std::printf("  of which read+convert %.2f s, resolve+group %.2f s, write %.2f s\n",
              stats->read_seconds, stats->resolve_seconds, stats->write_seconds);
  std::printf("refresh, nothing changed    %.4f s\n", noop);
  std::printf("refresh after one new child %.2f s\n", after_one);
  if (int failed_counts = TimeCounts(**store); failed_counts != 0) return failed_counts;
  store->reset();
  std::filesystem::remove_all(dir);
  return 0;
}
