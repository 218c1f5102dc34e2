// Where the benchmarks' synthetic children live: the statistics bench builds its stores with these,
// and the officials' HTTPS bench asks about the same areas (GB/T 2260 codes, area_codes.h).
#pragma once

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "onecard/protocol/area_codes.h"

// Every known county code of the given provinces.
inline std::vector<std::string> Counties(const std::vector<std::string>& provinces) {
  using Areas = std::vector<std::pair<std::string, std::string>>;
  std::vector<std::string> out;
  for (const std::string& p : provinces) {
    for (const auto& [prefecture, name] : onecard::AreasUnder(p).value_or(Areas{})) {
      for (const auto& [county, county_name] : onecard::AreasUnder(prefecture).value_or(Areas{})) {
        if (county.substr(4) != "00") out.push_back(county);
      }
    }
  }
  return out;
}

// The cities' provinces, where migrant children live.
inline const std::vector<std::string>& ReceivingCounties() {
  static const auto* c =
      new std::vector<std::string>(Counties({"44", "33", "32", "31", "11", "35"}));
  return *c;
}
// The provinces children come from (their hukou), where left-behind children live.
inline const std::vector<std::string>& SendingCounties() {
  static const auto* c =
      new std::vector<std::string>(Counties({"51", "41", "43", "34", "52", "36", "45", "50"}));
  return *c;
}

// A county drawn with a skew (a few counties hold many children, as cities do).
inline const std::string& Skewed(std::mt19937_64& rng, const std::vector<std::string>& counties) {
  std::uniform_real_distribution<double> u(0, 1);
  return counties[static_cast<size_t>(u(rng) * u(rng) * static_cast<double>(counties.size()))];
}
