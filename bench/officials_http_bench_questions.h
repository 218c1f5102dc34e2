// What the officials of onecard_officials_http_bench ask: the questions of the dashboard's overview
// of their jurisdiction and of its drill-down, as API requests (docs/api.md).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "bench_areas.h"
#include "onecard/platform/clock.h"
#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/civil_date.h"

inline std::string AccountName(int i) { return "bench.official." + std::to_string(i); }

// Account i's jurisdiction: an area where the bench's children are (a city's or a home county's),
// a province one time in ten, a prefecture four in ten, else a county.
inline std::string Jurisdiction(uint64_t seed, int i) {
  std::mt19937_64 rng(seed * 7919 + static_cast<uint64_t>(i));
  const std::string& county = Skewed(rng, i % 2 ? SendingCounties() : ReceivingCounties());
  const int level = static_cast<int>(rng() % 10);
  return county.substr(0, level == 0 ? 2 : level < 5 ? 4 : 6);
}

struct Question {
  std::string endpoint;  // how the bench groups its latencies
  std::string target;    // path and query
};

// One of the overview's questions about `area`, or (three times in ten) a drill-down one level
// below it.
inline Question RandomQuestion(std::mt19937_64& rng, const std::string& area) {
  const int pick = static_cast<int>(rng() % 10);
  if (pick < 3 && area.size() < 6) {
    using Areas = std::vector<std::pair<std::string, std::string>>;
    const Areas below = onecard::AreasUnder(area).value_or(Areas{});
    if (!below.empty()) {
      const std::string& sub = below[rng() % below.size()].first;
      return {"counts (drill-down)",
              "/api/v1/counts?area=" + sub.substr(0, area.size() + 2) + "&by=category,sex"};
    }
  }
  static const char* kOverview[] = {"category", "sex", "age_band", "vaccination",
                                    "school_status,school_stage"};
  switch (pick) {
    case 3: {
      const onecard::CivilDate today =
          onecard::CivilDate::TodayInChina(onecard::platform::SystemClock());
      const onecard::CivilDate year_ago = onecard::CivilDate::FromDays(today.ToDays() - 365);
      return {"flows", "/api/v1/flows?area=" + area + "&from=" + year_ago.ToString() +
                           "&to=" + today.ToString()};
    }
    case 4:
      return {"referrals/stats", "/api/v1/referrals/stats?area=" + area};
    case 5:
      return {"coverage", "/api/v1/coverage?area=" + area};
    case 6:
      return {"areas", "/api/v1/areas?parent=" + area.substr(0, std::min<size_t>(area.size(), 4))};
    default:
      return {"counts", "/api/v1/counts?area=" + area + "&by=" + kOverview[rng() % 5]};
  }
}
