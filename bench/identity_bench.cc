// Identity resolution benchmark (issue 6): generates a synthetic population (tools/src,
// onecard-synth's generator) with cross-area duplicate registrations, resolves identities and
// reports time, pairwise precision / recall / F1 of the automatic links against the truth, the
// size of the review queue, and the duplicates missed by kind of error.
//
//   onecard_identity_bench [--count N] [--duplicate-rate R] [--seed S] [--generator first|second]
//
// --generator second uses the independently written generator (synth_second.h), which labels the
// variations of both registrations of a child.
//
// Timing: "convert" is canonical JSON record → IdentityRecord; "resolve" is IdentityResolver::
// Resolve() (exact keys, blocking, scoring, clustering). Generation is not timed.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/identity_resolver.h"
#include "onecard/tools/synth_population.h"
#include "synth_flags.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::uint64_t PairsOf(std::uint64_t n) { return n * (n - 1) / 2; }

// Counts a duplicate (its registrations' labels `errors`, e.g. "no_id,lunar_date + homophone")
// once under each label it carries, as (missed, total).
void CountByLabel(const std::string& errors, bool missed,
                  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>>& by_label) {
  std::set<std::string> labels;
  std::string label;
  for (char c : errors + ",") {
    if (c == ',' || c == ' ' || c == '+') {
      if (!label.empty() && label != "-") labels.insert(label);
      label.clear();
    } else {
      label += c;
    }
  }
  for (const std::string& l : labels) {
    by_label[l].first += missed;
    ++by_label[l].second;
  }
}

}  // namespace

int main(int argc, char** argv) {
  onecard::synth::SynthOptions options;
  options.count = 1'000'000;
  options.seed = 2026;
  SynthGenerator generate = &onecard::synth::GeneratePopulation;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!ApplySynthFlag(argv[i], argv[i + 1], options) &&
        !ApplyGeneratorFlag(argv[i], argv[i + 1], generate))
      generate = nullptr;
  }
  if (!generate) {
    std::fprintf(
        stderr,
        "usage: %s [--count N] [--duplicate-rate R] [--seed S] [--generator first|second]\n",
        argv[0]);
    return 2;
  }

  onecard::IdentityResolver resolver;
  std::unordered_map<std::string, std::uint32_t> person_of;  // record id → person number
  std::unordered_map<std::string, std::string> errors_of;    // second registrations only
  std::vector<std::uint32_t> records_per_person;
  Clock::duration convert{};
  auto start = Clock::now();
  bool failed = false;
  onecard::Status generated = generate(options, [&](onecard::synth::SynthRecord&& r) {
    auto t0 = Clock::now();
    onecard::Result<onecard::IdentityRecord> record = onecard::IdentityRecordFromChild(r.record);
    convert += Clock::now() - t0;
    if (!record.ok() || !resolver.Add(std::move(record).value()).ok()) failed = true;
    auto person = static_cast<std::uint32_t>(std::strtoul(r.person_id.c_str() + 1, nullptr, 10));
    if (person >= records_per_person.size()) records_per_person.resize(person + 1, 0);
    ++records_per_person[person];
    person_of.emplace(r.record_id, person);
    if (r.errors != "-" || records_per_person[person] > 1) errors_of.emplace(r.record_id, r.errors);
  });
  if (!generated.ok() || failed) {
    std::fprintf(stderr, "generation failed: %s\n", generated.message().c_str());
    return 1;
  }
  double generate_s = Seconds(Clock::now() - start);

  auto t0 = Clock::now();
  onecard::IdentityResolution res = resolver.Resolve();
  double resolve_s = Seconds(Clock::now() - t0);

  // Pairwise metrics: a pair of records is "linked" when in one cluster, "true" when one person.
  std::uint64_t true_pairs = 0, linked_pairs = 0, correct_pairs = 0;
  for (std::uint32_t n : records_per_person) true_pairs += n > 1 ? PairsOf(n) : 0;
  std::unordered_map<std::string, std::size_t> cluster_of;
  for (std::size_t c = 0; c < res.clusters.size(); ++c) {
    const auto& cluster = res.clusters[c];
    linked_pairs += PairsOf(cluster.size());
    std::map<std::uint32_t, std::uint64_t> persons;
    for (const std::string& id : cluster) {
      ++persons[person_of.at(id)];
      cluster_of.emplace(id, c);
    }
    for (const auto& [person, n] : persons) correct_pairs += n > 1 ? PairsOf(n) : 0;
  }
  std::uint64_t review_true = 0;
  for (const onecard::IdentityPair& p : res.review)
    review_true += person_of.at(p.a) == person_of.at(p.b);
  // Duplicates not linked automatically, by the errors of the second registration.
  std::map<std::uint32_t, std::vector<std::string>> ids_of_person;
  for (const auto& [id, person] : person_of) {
    if (records_per_person[person] > 1) ids_of_person[person].push_back(id);
  }
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> by_errors,
      by_label;  // errors or one label → (missed, total)
  std::uint64_t missed = 0;
  for (const auto& [person, ids] : ids_of_person) {
    // The labels of each registration that has any, " + " between registrations (the first
    // generator labels only second registrations; the second generator labels both).
    std::vector<std::string> labelled;
    for (const std::string& id : ids) {
      auto it = errors_of.find(id);
      if (it != errors_of.end() && it->second != "-") labelled.push_back(it->second);
    }
    std::sort(labelled.begin(), labelled.end());
    std::string errors = labelled.empty() ? "-" : labelled[0];
    for (std::size_t i = 1; i < labelled.size(); ++i) errors += " + " + labelled[i];
    auto a = cluster_of.find(ids[0]), b = cluster_of.find(ids[1]);
    bool linked = a != cluster_of.end() && b != cluster_of.end() && a->second == b->second;
    ++by_errors[errors].second;
    CountByLabel(errors, !linked, by_label);
    if (!linked) {
      ++by_errors[errors].first;
      ++missed;
    }
  }

  // Automatic links joining two different children, by the reasons of the link (what to fix).
  std::map<std::uint32_t, std::uint64_t> false_links_by_reasons;
  for (const onecard::IdentityPair& p : res.links) {
    if (person_of.at(p.a) != person_of.at(p.b)) ++false_links_by_reasons[p.reasons];
  }

  double precision =
      linked_pairs ? static_cast<double>(correct_pairs) / static_cast<double>(linked_pairs) : 1;
  double recall =
      true_pairs ? static_cast<double>(correct_pairs) / static_cast<double>(true_pairs) : 1;
  double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
  std::printf("registrations        %zu (seed %llu, duplicate rate %.3f, %s generator)\n",
              resolver.size(), static_cast<unsigned long long>(options.seed),
              options.duplicate_rate,
              generate == &onecard::synth::GeneratePopulation ? "first" : "second");
  std::printf("true duplicate pairs %llu\n", static_cast<unsigned long long>(true_pairs));
  std::printf("generate (untimed)   %.1f s\n", generate_s);
  std::printf("convert JSON->record %.2f s\n", Seconds(convert));
  std::printf("resolve              %.2f s\n", resolve_s);
  std::printf("candidate pairs      %zu (blocks skipped as too large: %zu)\n", res.candidate_pairs,
              res.skipped_blocks);
  std::printf("links                %zu, clusters %zu\n", res.links.size(), res.clusters.size());
  std::printf("auto-link precision  %.5f (%llu of %llu linked pairs)\n", precision,
              static_cast<unsigned long long>(correct_pairs),
              static_cast<unsigned long long>(linked_pairs));
  std::printf("auto-link recall     %.5f\n", recall);
  std::printf("auto-link F1         %.5f\n", f1);
  std::printf("review queue         %zu pairs (%llu true duplicates, %.1f%%)\n", res.review.size(),
              static_cast<unsigned long long>(review_true),
              res.review.empty() ? 0.0
                                 : 100.0 * static_cast<double>(review_true) /
                                       static_cast<double>(res.review.size()));
  std::printf("duplicates missed    %llu; by errors of the registrations (missed / total):\n",
              static_cast<unsigned long long>(missed));
  for (const auto& [errors, counts] : by_errors) {
    if (counts.first > 0) {
      std::printf("  %-40s %llu / %llu\n", errors.c_str(),
                  static_cast<unsigned long long>(counts.first),
                  static_cast<unsigned long long>(counts.second));
    }
  }
  std::printf("duplicates missed, by each label a registration carries (missed / total):\n");
  for (const auto& [label, counts] : by_label) {
    std::printf("  %-24s %6llu / %llu\n", label.c_str(),
                static_cast<unsigned long long>(counts.first),
                static_cast<unsigned long long>(counts.second));
  }
  onecard::SetLanguage(onecard::Language::kEn);
  std::printf("false automatic links, by reasons:\n");
  for (const auto& [reasons, n] : false_links_by_reasons) {
    std::printf("  %-6llu %s\n", static_cast<unsigned long long>(n),
                onecard::DescribeIdentityReasons(reasons).c_str());
  }
  return 0;
}
