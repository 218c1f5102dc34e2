// What the real programs refuse: bad registrations (nothing written), clients without a valid
// certificate (checked with openssl s_client against `onecard-server serve`), wrong passphrases.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "deployment.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/id_number.h"
#include "process.h"

namespace onecard::testing {
namespace {

using nlohmann::json;

json ValidRecord() {
  return {{"name", "李娜"},
          {"sex", "F"},
          {"birth_date", "2019-07-01"},
          {"id_number", MakeIdNumber("440306", CivilDate{2019, 7, 1}, 24)},
          {"hukou_area", "321324"},
          {"residence_area", "440306"},
          {"consent", {{"by", "李强"}, {"relation", "father"}, {"date", "2026-10-01"}}}};
}

// The bytes of every file in a directory, by name: to show that nothing changed.
std::map<std::string, std::string> Snapshot(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.is_regular_file()) out[e.path().filename().string()] = ReadFile(e.path().string());
  }
  return out;
}

class Refusals : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(d_.Server({"init"}).exit_code, 0);
    terminal_ = d_.AddTerminal("GD-BAOAN", "宝安区登记点", "440306", "receiving", "GD-T1", "chen");
  }
  Deployment d_;
  std::string terminal_;
};

TEST_F(Refusals, BadRegistrationsNameTheFieldAndWriteNothing) {
  ASSERT_EQ(d_.Terminal(terminal_, {"register", "--record", "-"}, ValidRecord().dump()).exit_code,
            0);
  auto before = Snapshot(terminal_);

  json wrong_check = ValidRecord();
  std::string id = wrong_check["id_number"];
  id.back() = id.back() == '1' ? '2' : '1';
  wrong_check["id_number"] = id;
  json unknown_area = ValidRecord();
  unknown_area["residence_area"] = "449999";
  json no_consent = ValidRecord();
  no_consent.erase("consent");

  struct Case {
    const char* what;
    std::string input;
    const char* must_mention;
  };
  const Case cases[] = {
      {"wrong ID checksum", wrong_check.dump(), "id_number"},
      {"unknown area code", unknown_area.dump(), "residence_area"},
      {"missing consent", no_consent.dump(), "consent"},
      {"malformed JSON", R"({"name": "李娜", "sex": )", "line 1"},
  };
  for (const auto& c : cases) {
    RunResult r = d_.Terminal(terminal_, {"register", "--record", "-"}, c.input);
    EXPECT_NE(r.exit_code, 0) << c.what;
    EXPECT_NE(r.err.find(c.must_mention), std::string::npos) << c.what << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << c.what;
  }
  EXPECT_EQ(Snapshot(terminal_), before);

  RunResult found = d_.Terminal(terminal_, {"search", "--name", "李娜", "--json"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  EXPECT_EQ(json::parse(found.out).size(), 1u);
}

TEST_F(Refusals, WrongPassphraseIsClearAndTouchesNothing) {
  auto before = Snapshot(terminal_);
  RunOptions options;
  options.env = {{"ONECARD_LANG", "en"},
                 {"ONECARD_PASSPHRASE", "not the passphrase"},
                 {"ONECARD_USER", "chen"}};
  RunResult r = ::onecard::testing::Run(
      {BuiltProgram("onecard-terminal"), "search", "--name", "x", "--data", terminal_}, options);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("passphrase"), std::string::npos) << r.err;
  EXPECT_EQ(Snapshot(terminal_), before);
}

TEST_F(Refusals, ServeRefusesTlsClientWithoutCertificate) {
  ASSERT_TRUE(d_.StartServer()) << d_.ServerLog();
  // The CA certificate is public material; take it from an enrolment bundle.
  std::string bundle_path = d_.dir() / "probe.bundle";
  ASSERT_EQ(d_.Server({"enroll", "--site", "GD-BAOAN", "--terminal", "PROBE", "--out", bundle_path})
                .exit_code,
            0);
  json bundle = json::parse(ReadFile(bundle_path));
  std::string ca_path = d_.dir() / "ca.pem";
  WriteFile(ca_path, bundle["ca_certificate"].get<std::string>());

  RunOptions options;
  options.stdin_data = "hello\n";
  options.timeout = std::chrono::seconds(30);
  RunResult r = ::onecard::testing::Run({"openssl", "s_client", "-connect", d_.address(), "-CAfile",
                                         ca_path, "-tls1_3", "-quiet", "-verify_return_error"},
                                        options);
  EXPECT_NE(r.exit_code, 0) << r.out << r.err;
  // The server demanded a certificate and ended the handshake.
  EXPECT_NE(r.err.find("alert"), std::string::npos) << r.err;

  // With the enrolled certificate and key the handshake completes (the probe is a real terminal).
  std::string cert_path = d_.dir() / "probe.crt";
  std::string key_path = d_.dir() / "probe.key";
  WriteFile(cert_path, bundle["tls_certificate"].get<std::string>());
  WriteFile(key_path, bundle["tls_key"].get<std::string>());
  RunOptions ok_options;
  ok_options.timeout = std::chrono::seconds(30);
  RunResult ok = ::onecard::testing::Run(
      {"openssl", "s_client", "-connect", d_.address(), "-CAfile", ca_path, "-cert", cert_path,
       "-key", key_path, "-tls1_3", "-brief", "-verify_return_error"},
      ok_options);
  EXPECT_NE(ok.err.find("Protocol version: TLSv1.3"), std::string::npos) << ok.err;
}

}  // namespace
}  // namespace onecard::testing
