// The cost of a child's vaccination status at ingest (vaccination_status.h): VaccinationOutlookOf
// over synthetic records of children 0–17 with most of their doses, on one day, in µs per call;
// AssessImmunizations alone (one assessment of the schedule) for comparison, and a copy of the
// schedule version's rows (what each assessment made before VersionOn handed out a reference).
//
//   onecard_vaccination_status_bench [--records N] [--rounds R]   (defaults 10,000 and 20)

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

#include "onecard/protocol/vaccination_status.h"

namespace {

using nlohmann::json;
using onecard::CivilDate;
using Clock = std::chrono::steady_clock;

const CivilDate kOn{2026, 11, 23};

// Born in the 18 years before kOn; each scheduled dose recorded with probability 0.9, up to 60
// days after its recommended age, never after kOn.
json SyntheticRecord(std::mt19937& rng) {
  std::uniform_int_distribution<int64_t> age_days(0, 18 * 365 - 1);
  const CivilDate birth = CivilDate::FromDays(kOn.ToDays() - age_days(rng));
  std::bernoulli_distribution recorded(0.9);
  std::uniform_int_distribution<int> late(0, 60);
  json doses = json::array();
  for (const auto& d : onecard::ImmunizationSchedule::National().VersionOn(kOn)) {
    CivilDate day = onecard::AddMonthsAndDays(birth, d.age_months, d.age_days + late(rng));
    if (day > kOn || !recorded(rng)) continue;
    doses.push_back({{"vaccine", d.vaccine}, {"dose", d.dose}, {"date", day.ToString()}});
  }
  return {{"birth_date", birth.ToString()}, {"immunizations", doses}};
}

double MicrosecondsPerCall(Clock::duration d, long calls) {
  return std::chrono::duration<double, std::micro>(d).count() / static_cast<double>(calls);
}

}  // namespace

int main(int argc, char** argv) {
  long records = 10'000, rounds = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--records") == 0) records = std::atol(argv[i + 1]);
    if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::atol(argv[i + 1]);
  }
  if (records <= 0 || rounds <= 0) {
    std::fprintf(stderr, "usage: onecard_vaccination_status_bench [--records N] [--rounds R]\n");
    return 2;
  }
  std::mt19937 rng(20261123);
  std::vector<json> corpus;
  std::vector<std::vector<onecard::GivenDose>> given;
  for (long i = 0; i < records; ++i) {
    corpus.push_back(SyntheticRecord(rng));
    given.push_back(onecard::GivenDosesOf(corpus.back()).value());
  }
  long counts[3] = {0, 0, 0}, changing = 0;
  auto start = Clock::now();
  for (long r = 0; r < rounds; ++r) {
    for (const json& record : corpus) {
      onecard::VaccinationOutlook o = onecard::VaccinationOutlookOf(record, kOn);
      ++counts[static_cast<int>(o.status)];
      changing += o.changes_on.has_value();
    }
  }
  const double outlook_us = MicrosecondsPerCall(Clock::now() - start, records * rounds);
  size_t doses_seen = 0;
  start = Clock::now();
  for (long r = 0; r < rounds; ++r) {
    for (long i = 0; i < records; ++i) {
      const CivilDate birth = CivilDate::Parse(corpus[i]["birth_date"].get<std::string>()).value();
      doses_seen += onecard::AssessImmunizations(onecard::ImmunizationSchedule::National(), birth,
                                                 given[i], kOn)
                        .doses.size();
    }
  }
  const double assess_us = MicrosecondsPerCall(Clock::now() - start, records * rounds);
  size_t rows_copied = 0;
  start = Clock::now();
  for (long i = 0; i < records * rounds; ++i) {
    std::vector<onecard::ScheduledDose> copy =
        onecard::ImmunizationSchedule::National().VersionOn(kOn);
    rows_copied += copy.size();
  }
  const double copy_us = MicrosecondsPerCall(Clock::now() - start, records * rounds);
  const long calls = records * rounds;
  std::printf("%ld records x %ld rounds on %s\n", records, rounds, kOn.ToString().c_str());
  std::printf(
      "VaccinationOutlookOf: %.2f µs per call (up_to_date %.1f%%, overdue %.1f%%, "
      "unknown %.1f%%; %.1f%% with a change ahead)\n",
      outlook_us, 100.0 * counts[0] / calls, 100.0 * counts[1] / calls, 100.0 * counts[2] / calls,
      100.0 * changing / calls);
  std::printf("AssessImmunizations:  %.2f µs per call (%zu doses assessed)\n", assess_us,
              doses_seen);
  std::printf("copying a version's rows: %.2f µs (%zu rows; no longer done per assessment)\n",
              copy_us, rows_copied);
  return 0;
}
