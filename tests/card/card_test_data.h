// Test data shared by the card tests (header-only: tests/card builds only *_test.cc).
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "onecard/protocol/card_certificate.h"
#include "onecard/protocol/crypto.h"
#include "onecard/terminal/card_service.h"

namespace onecard::terminal {

// A typical record: child, two guardians, school, consent and 20 doses (about 750 bytes).
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

// A terminal of a throw-away deployment: its own root (standing in for the server CA), card-data
// key version 1, and a card-signing key certified by the root.
struct TestCardTerminal {
  EcKey root = EcKey::Generate();
  CardCredentials creds;
  explicit TestCardTerminal(const std::string& terminal_id = "T-440306-01") {
    creds.terminal_id = terminal_id;
    creds.signing_key = EcKey::Generate();
    creds.signer_certificate = IssueCardSignerCertificate(
        root, creds.terminal_id, creds.signing_key.PublicPoint(), 4'000'000'000);
    creds.root_public = EcKey::FromPublicPoint(root.PublicPoint()).value();
    creds.data_keys.emplace(1, RandomSecret(kAeadKeySize));
    creds.current_data_key_version = 1;
  }
  // Another terminal of the same deployment: same root and card-data keys, its own signing key.
  CardCredentials Sibling(const std::string& id) const {
    CardCredentials c;
    c.terminal_id = id;
    c.signing_key = EcKey::Generate();
    c.signer_certificate =
        IssueCardSignerCertificate(root, id, c.signing_key.PublicPoint(), 4'000'000'000);
    c.root_public = EcKey::FromPublicPoint(root.PublicPoint()).value();
    for (const auto& [v, k] : creds.data_keys) c.data_keys.emplace(v, k.Copy());
    c.current_data_key_version = creds.current_data_key_version;
    return c;
  }
};

}  // namespace onecard::terminal
