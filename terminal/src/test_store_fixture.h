// Test-only helpers for TerminalStore unit tests (included by *_test.cc files only): an enrolment
// bundle made on the spot and a fixture with a fresh store in its own temporary directory.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "onecard/protocol/card_certificate.h"
#include "onecard/protocol/pki.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/terminal/terminal_store.h"

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
  EXPECT_TRUE(cert.ok());
  EcKey signing = EcKey::Generate();
  Bytes signer = IssueCardSignerCertificate(ca, terminal_id, signing.PublicPoint(), UnixNow() + 86400);
  return {{"format", "onecard-enrolment/1"},
          {"terminal_id", terminal_id},
          {"site", {{"site_id", "GD"}, {"name", "宝安"}, {"area", "440306"}, {"role", "receiving"}}},
          {"server", "127.0.0.1:7443"},
          {"ca_certificate", ca_cert},
          {"tls_certificate", cert.ok() ? *cert : ""},
          {"tls_key", tls.PrivatePem()},
          {"card_signing_key", signing.PrivatePem()},
          {"card_signer_certificate", Base64Encode(signer)},
          {"card_root_public", Base64Encode(ca.PublicPoint())},
          {"card_data_keys", {{"1", HexEncode(RandomBytes(32))}}},
          {"card_data_key_version", 1}};
}

inline nlohmann::json MakeTestRecord(const std::string& name) {
  return {{"name", name}, {"sex", "F"}, {"birth_date", "2018-05-04"}, {"hukou_area", "321324"},
          {"residence_area", "440306"}, {"category", "migrant"},
          {"consent", {{"by", "李强"}, {"relation", "father"}, {"date", "2026-10-01"}}}};
}

// A store initialised in a fresh directory, with "chen" as its first supervisor.
class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("onecard-store-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name())).string();
    std::filesystem::remove_all(dir_);
    Status init = TerminalStore::Initialize(dir_, MakeTestBundle("GD-T1"), "chen", kTestPassphrase);
    ASSERT_TRUE(init.ok()) << init.message();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::unique_ptr<TerminalStore> OpenAs(const std::string& user, const std::string& passphrase = kTestPassphrase) {
    auto s = TerminalStore::Open(dir_, user, passphrase);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  std::string dir_;
};

}  // namespace onecard::terminal::testing
