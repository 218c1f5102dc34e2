#include "onecard/tools/synth_areas.h"

#include <string_view>
#include <utility>

#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/status.h"

namespace onecard {
const std::vector<std::pair<std::string_view, std::string_view>>& DataFiles();
}  // namespace onecard

namespace onecard::synth {
namespace {

struct Region {
  std::string_view prefix;  // 2 or 4 digits
  double weight;            // rough share of the migrant flow, percent
};

// Rough shares of migrant children by province of origin and destination (orders of magnitude
// from census-based studies of migrant children; only the structure matters for deduplication).
constexpr Region kSending[] = {{"41", 16}, {"34", 14}, {"51", 13}, {"43", 11}, {"36", 9},
                               {"52", 8},  {"42", 8},  {"32", 6},  {"45", 8},  {"50", 7}};
constexpr Region kReceiving[] = {{"4401", 12}, {"4403", 14}, {"4419", 8}, {"4406", 6},
                                 {"3101", 15}, {"1101", 11}, {"3301", 8}, {"3302", 5},
                                 {"3303", 4},  {"3205", 9},  {"3502", 4}, {"3505", 4}};

struct Pool {
  std::vector<std::vector<std::string>> codes;  // per region
  std::vector<double> weights;
};

// Codes of the shipped table at the finest level under each prefix: counties, or the prefecture
// itself when it has none (441900 东莞市).
Pool BuildPool(const Region* regions, std::size_t count) {
  std::string_view table;
  for (const auto& [name, contents] : DataFiles()) {
    if (name == "gbt2260.tsv") table = contents;
  }
  ONECARD_CHECK(!table.empty());
  Pool pool;
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<std::string> codes;
    for (std::string_view rest = table; !rest.empty();) {
      std::size_t end = rest.find('\n');
      std::string_view line = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      if (line.size() < 6 || line[0] == '#') continue;
      std::string_view code = line.substr(0, 6);
      if (code.substr(0, regions[i].prefix.size()) != regions[i].prefix) continue;
      if (code.substr(4) == "00") continue;
      if (line.find("市辖区") != std::string_view::npos) continue;
      codes.emplace_back(code);
    }
    if (codes.empty()) codes.emplace_back(std::string(regions[i].prefix) + "00");
    for (const std::string& code : codes) ONECARD_CHECK(IsKnownArea(code));
    pool.codes.push_back(std::move(codes));
    pool.weights.push_back(regions[i].weight);
  }
  return pool;
}

std::string Draw(SynthRandom& rng, const Pool& pool) {
  const std::vector<std::string>& codes = pool.codes[rng.Weighted(pool.weights)];
  return codes[rng.Below(codes.size())];
}

}  // namespace

std::string DrawSendingCounty(SynthRandom& rng) {
  static const Pool pool = BuildPool(kSending, std::size(kSending));
  return Draw(rng, pool);
}

std::string DrawReceivingDistrict(SynthRandom& rng) {
  static const Pool pool = BuildPool(kReceiving, std::size(kReceiving));
  return Draw(rng, pool);
}

std::string PrefectureOf(const std::string& county) { return county.substr(0, 4) + "00"; }

}  // namespace onecard::synth
