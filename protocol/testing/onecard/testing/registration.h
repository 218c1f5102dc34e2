// Test data for the tests of every layer and the fuzz targets (header-only; test code only).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/id_number.h"

namespace onecard::testing {

// The fields of a new child that a terminal accepts: a boy of Sihong county (321324) who lives
// in Bao'an district (440306) with his father, who gave consent.
inline nlohmann::json MigrantRegistration(const std::string& name) {
  using nlohmann::json;
  return {{"name", name},
          {"sex", "M"},
          {"birth_date", "2016-09-01"},
          {"hukou_area", "321324"},
          {"residence_area", "440306"},
          {"category", "migrant"},
          {"guardians",
           json::array({{{"name", "刘强"}, {"relation", "father"}, {"phone", "13912345678"}}})},
          {"consent", {{"by", "刘强"}, {"relation", "father"}, {"date", "2025-12-20"}}}};
}

// The fields of a new child that a terminal accepts, in full: a boy of Sihong county (321324) who
// lives at home with his grandmother while his father works in Bao'an district (440306), with an
// ID number, school and two doses; his father gave consent.
inline nlohmann::json LeftBehindRegistration(const std::string& name) {
  using nlohmann::json;
  return {
      {"name", name},
      {"sex", "M"},
      {"birth_date", "2016-03-15"},
      {"id_number", MakeIdNumber("321324", CivilDate{2016, 3, 15}, 123)},
      {"hukou_area", "321324"},
      {"residence_area", "321324"},
      {"residence_address", "泗洪县青阳街道幸福路 8 号"},
      {"guardians", json::array({{{"name", "王建国"},
                                  {"relation", "father"},
                                  {"phone", "13812345678"},
                                  {"residence_area", "440306"}},
                                 {{"name", "刘桂英"},
                                  {"relation", "grandparent"},
                                  {"phone", "13912345678"},
                                  {"residence_area", "321324"}}})},
      {"school", {{"name", "泗洪县第一实验小学"}, {"grade", 4}, {"status", "enrolled"}}},
      {"immunizations", json::array({{{"vaccine", "BCG"}, {"dose", 1}, {"date", "2016-03-16"}},
                                     {{"vaccine", "HepB"}, {"dose", 1}, {"date", "2016-03-15"}}})},
      {"consent", {{"by", "王建国"}, {"relation", "father"}, {"date", "2026-11-01"}}}};
}

}  // namespace onecard::testing
