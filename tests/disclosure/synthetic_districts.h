// A few hundred synthetic children registered in four Shenzhen districts (罗湖 440303, 福田
// 440304, 南山 440305, 宝安 440306), each district's terminal sending its registrations through
// the server's real ingest path: mostly migrants from a handful of sending counties, some local
// and left-behind children, both sexes, ages 0–17, school enrolled / not enrolled / dropped out or
// not recorded, and a few children whose hukou is in Shenzhen living in Guangzhou or Jiangsu (the
// moved-out tables). Small enough that many cells of a three-way breakdown hold 1 to 4 children.
// Deterministic for a seed. Test code only.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "onecard/protocol/civil_date.h"
#include "onecard/server/admin_store.h"

namespace onecard::disclosure {

// The four district sites and their terminals ({terminal id, site id}).
inline std::vector<server::Site> DistrictSites() {
  return {{"LH", "罗湖", "440303", "receiving"},
          {"FT", "福田", "440304", "receiving"},
          {"NS", "南山", "440305", "receiving"},
          {"BA", "宝安", "440306", "receiving"}};
}
inline std::vector<std::pair<std::string, std::string>> DistrictTerminals() {
  return {{"T1", "LH"}, {"T2", "FT"}, {"T3", "NS"}, {"T4", "BA"}};
}

struct SyntheticChild {
  std::string terminal;  // the registering terminal (its district is where the child lives)
  std::string child_id;  // in the terminal's namespace
  nlohmann::json fields;
};

namespace detail {

inline std::string Pick(std::mt19937& rng, const std::vector<std::string>& values,
                        const std::vector<double>& weights) {
  std::discrete_distribution<size_t> d(weights.begin(), weights.end());
  return values[d(rng)];
}

// A birth date between 2008-07-02 and 2025-05-31 (ages 0–17 on 2026-06-01, before the consent).
inline CivilDate BirthDate(std::mt19937& rng) {
  const int64_t first = CivilDate{2008, 7, 2}.ToDays();
  const int64_t last = CivilDate{2025, 5, 31}.ToDays();
  return CivilDate::FromDays(std::uniform_int_distribution<int64_t>(first, last)(rng));
}

inline nlohmann::json School(std::mt19937& rng, const CivilDate& birth) {
  const bool school_age = birth.year <= 2019;
  const std::string status =
      school_age ? Pick(rng, {"enrolled", "not_enrolled", "dropped_out", ""}, {80, 7, 6, 7})
                 : Pick(rng, {"not_enrolled", ""}, {1, 1});
  return status.empty() ? nlohmann::json() : nlohmann::json{{"status", status}};
}

}  // namespace detail

// `n` children, registered by the terminal of the district they live in (a child living outside
// Shenzhen by the terminal of its hukou district). Unique names, so that no two are one person.
inline std::vector<SyntheticChild> SyntheticDistrictChildren(int n, uint32_t seed) {
  static const std::vector<std::string> kDistricts = {"440303", "440304", "440305", "440306"};
  static const std::vector<std::string> kSending = {"411523", "341322", "510722",
                                                    "430102", "321324", "360732"};
  static const std::vector<std::string> kSurnames = {"王", "李", "张", "刘", "陈", "杨", "黄",
                                                     "赵", "吴", "周", "徐", "孙", "马", "朱",
                                                     "胡", "郭", "何", "林", "罗", "高"};
  static const std::vector<std::string> kGiven = {"子涵", "浩然", "欣怡", "梓轩", "雨桐", "宇航",
                                                  "佳琪", "俊杰", "诗涵", "博文", "思彤", "文博",
                                                  "一诺", "嘉怡", "天佑", "若汐", "明轩", "可馨"};
  std::mt19937 rng(seed);
  std::vector<SyntheticChild> out;
  for (int i = 0; i < n; ++i) {
    const size_t district = std::discrete_distribution<size_t>({35, 30, 20, 15})(rng);
    std::string residence = kDistricts[district], hukou = residence;
    std::string category = detail::Pick(rng, {"migrant", "left_behind", "other"}, {60, 8, 32});
    if (category == "migrant") hukou = detail::Pick(rng, kSending, {30, 20, 15, 15, 12, 8});
    if (std::uniform_int_distribution<int>(0, 99)(rng) < 6) {  // hukou here, living elsewhere
      residence = detail::Pick(rng, {"440106", "321324"}, {2, 1});
      category = "migrant";
    }
    const CivilDate birth = detail::BirthDate(rng);
    const std::string terminal = "T" + std::to_string(district + 1);
    nlohmann::json fields = {
        {"name", kSurnames[static_cast<size_t>(i) % kSurnames.size()] +
                     kGiven[static_cast<size_t>(i) / kSurnames.size() % kGiven.size()]},
        {"sex", detail::Pick(rng, {"M", "F"}, {52, 48})},
        {"birth_date", birth.ToString()},
        {"hukou_area", hukou},
        {"residence_area", residence},
        {"category", category},
        {"consent", {{"by", "监护人"}, {"relation", "mother"}, {"date", "2025-06-01"}}}};
    nlohmann::json school = detail::School(rng, birth);
    if (!school.is_null()) fields["school"] = school;
    out.push_back({terminal, terminal + "-" + std::to_string(i + 1), std::move(fields)});
  }
  return out;
}

// A change of residence some time in the first half of 2026, sent by the terminal that
// registered the child (the child is in its scope: it lives or has its hukou in its district).
struct SyntheticMove {
  std::string terminal;
  std::string child_id;
  nlohmann::json fields;  // residence_area and the category that follows from it
  uint64_t unix_ms = 0;   // 2026-01-01T01:00Z to 2026-06-30T23:59Z
};

// About 45% of `children` move once each (never twice: flows_attacker.h): migrants to another
// Shenzhen district, to Guangzhou or home to their hukou county (then left behind); a child living
// outside Shenzhen home to its hukou district; a local child to another district. A migrant living
// outside Shenzhen does not move (its terminal may not change it). Deterministic.
inline std::vector<SyntheticMove> SyntheticDistrictMoves(
    const std::vector<SyntheticChild>& children, uint32_t seed) {
  static const std::vector<std::string> kDistricts = {"440303", "440304", "440305", "440306"};
  std::mt19937 rng(seed);
  std::vector<SyntheticMove> out;
  for (const SyntheticChild& c : children) {
    if (std::uniform_int_distribution<int>(0, 99)(rng) >= 45) continue;
    const std::string hukou = c.fields["hukou_area"], residence = c.fields["residence_area"];
    // Neither area in the registering terminal's district: it may not change the child.
    if (!hukou.starts_with("4403") && !residence.starts_with("4403")) continue;
    std::string to = detail::Pick(rng, kDistricts, {35, 30, 20, 15});
    std::string category = hukou.starts_with("4403") ? "other" : "migrant";
    if (!residence.starts_with("4403")) {
      to = hukou;  // home
      category = "other";
    } else if (!hukou.starts_with("4403") && std::uniform_int_distribution<int>(0, 99)(rng) < 35) {
      to = hukou;
      category = "left_behind";
    } else if (std::uniform_int_distribution<int>(0, 99)(rng) < 8) {
      to = "440106";
      category = "migrant";
    }
    if (to == residence) continue;
    const int64_t day =
        CivilDate{2026, 1, 1}.ToDays() + std::uniform_int_distribution<int64_t>(0, 180)(rng);
    const int64_t minute = std::uniform_int_distribution<int64_t>(60, 24 * 60 - 1)(rng);
    out.push_back({c.terminal,
                   c.child_id,
                   {{"residence_area", to}, {"category", category}},
                   static_cast<uint64_t>(day * 86'400'000 + minute * 60'000)});
  }
  return out;
}

}  // namespace onecard::disclosure
