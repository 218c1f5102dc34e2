// Test data for the tests of every layer and the fuzz targets (header-only; test code only).
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace onecard::testing {

// A typical record as a card carries it: child, two guardians, school, consent and 20 doses
// (about 750 bytes).
inline nlohmann::json TypicalChild(const std::string& child_id = "C-7f3a9c2e41d8") {
  nlohmann::json child = {
      {"child_id", child_id},
      {"name", "王小明"},
      {"sex", "M"},
      {"birth_date", "2016-03-14"},
      {"id_number", "32132420160314001X"},
      {"hukou_area", "321324"},
      {"residence_area", "440306"},
      {"residence_address", "深圳市宝安区西乡街道固戍一路 18 号 302 室"},
      {"category", "migrant"},
      {"guardians",
       {{{"name", "王建国"},
         {"relation", "father"},
         {"phone", "13812345678"},
         {"id_number", "321324198801011234"},
         {"residence_area", "440306"}},
        {{"name", "李秀英"},
         {"relation", "mother"},
         {"phone", "13987654321"},
         {"id_number", "321324199002022345"},
         {"residence_area", "440306"}}}},
      {"school", {{"name", "宝安区西乡中心小学"}, {"grade", "3"}, {"status", "enrolled"}}},
      {"consent", {{"by", "王建国"}, {"relation", "father"}, {"date", "2024-09-01"}}},
  };
  const char* vaccines[] = {"HepB", "BCG",  "HepB", "IPV",    "IPV",     "DTaP", "bOPV",
                            "DTaP", "DTaP", "HepB", "MPSV-A", "MMR",     "JE",   "MPSV-A",
                            "HepA", "DTaP", "MMR",  "JE",     "MPSV-AC", "bOPV"};
  int month = 3;
  for (const char* v : vaccines) {
    // Sized for any two ints, so the date can never be cut short (and the compiler can prove it).
    char date[sizeof("-2147483648--2147483648-14")];
    std::snprintf(date, sizeof(date), "%04d-%02d-14", 2016 + month / 12, month % 12 + 1);
    child["immunizations"].push_back({{"vaccine", v}, {"dose", 1 + month % 3}, {"date", date}});
    month += 2;
  }
  return child;
}

}  // namespace onecard::testing
