// Valid, varied child records for tests that register many children (crash and durability
// tests). Deterministic: the same i gives the same record.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace onecard::testing {

// The i-th name of 640 distinct Han names (surname + given name, sometimes a third character).
std::string SyntheticChildName(int i);

// A registrable record (consent, one guardian, one dose) named SyntheticChildName(i), registered
// in Sihong (321324) and living in Bao'an (440306).
nlohmann::json SyntheticChildRecord(int i);

}  // namespace onecard::testing
