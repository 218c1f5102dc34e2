// Test and benchmark helpers (no GoogleTest): an enrolment bundle made on the spot with a
// throw-away CA, and a valid child record. Never used by the programs.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "onecard/platform/clock.h"
#include "onecard/protocol/card_certificate.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/pki.h"
#include "onecard/protocol/status.h"
#include "onecard/protocol/timestamp.h"

namespace onecard::terminal::testing {

inline constexpr char kTestPassphrase[] = "passphrase-1234";

inline nlohmann::json MakeTestBundle(const std::string& terminal_id) {
  EcKey ca = EcKey::Generate();
  std::string ca_cert = CreateCaCertificate(ca, "test CA", 30);
  EcKey tls = EcKey::Generate();
  CertificateProfile profile;
  profile.common_name = terminal_id;
  profile.for_client = true;
  auto cert = IssueCertificate(ca, ca_cert, tls, profile);
  ONECARD_CHECK(cert.ok());
  EcKey signing = EcKey::Generate();
  Bytes signer = IssueCardSignerCertificate(ca, terminal_id, signing.PublicPoint(),
                                            platform::SystemClock().WallSeconds() + 86400);
  return {
      {"format", "onecard-enrolment/1"},
      {"terminal_id", terminal_id},
      {"site", {{"site_id", "GD"}, {"name", "宝安"}, {"area", "440306"}, {"role", "receiving"}}},
      {"server", "127.0.0.1:7443"},
      {"ca_certificate", ca_cert},
      {"tls_certificate", *cert},
      {"tls_key", tls.PrivatePem()},
      {"card_signing_key", signing.PrivatePem()},
      {"card_signer_certificate", Base64Encode(signer)},
      {"card_root_public", Base64Encode(ca.PublicPoint())},
      {"card_data_keys", {{"1", HexEncode(RandomBytes(32))}}},
      {"card_data_key_version", 1}};
}

inline nlohmann::json MakeTestRecord(const std::string& name) {
  return {{"name", name},
          {"sex", "F"},
          {"birth_date", "2018-05-04"},
          {"hukou_area", "321324"},
          {"residence_area", "440306"},
          {"category", "migrant"},
          {"consent", {{"by", "李强"}, {"relation", "father"}, {"date", "2026-10-01"}}}};
}

}  // namespace onecard::terminal::testing
