#include "test_pki.h"

#include "onecard/protocol/crypto.h"
#include "onecard/protocol/pki.h"

namespace onecard::http::testing {

TestPki MakeTestPki() {
  EcKey ca_key = EcKey::Generate();
  EcKey server_key = EcKey::Generate();
  TestPki pki;
  pki.ca_cert_pem = CreateCaCertificate(ca_key, "onecard-http-test-ca", 2);
  CertificateProfile profile;
  profile.common_name = "localhost";
  profile.dns_names = {"localhost"};
  profile.ip_addresses = {"127.0.0.1"};
  profile.for_server = true;
  profile.valid_days = 2;
  Result<std::string> cert = IssueCertificate(ca_key, pki.ca_cert_pem, server_key, profile);
  ONECARD_CHECK(cert.ok());
  pki.server_cert_pem = *cert;
  pki.server_key_pem = server_key.PrivatePem();
  return pki;
}

}  // namespace onecard::http::testing
