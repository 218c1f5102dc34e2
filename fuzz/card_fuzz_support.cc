#include "card_fuzz_support.h"

#include <cstdio>

#include "onecard/protocol/card_certificate.h"
#include "onecard/terminal/card_reader_script.h"
#include "onecard/testing/typical_child.h"

namespace onecard::fuzz {
namespace {

constexpr size_t kMaxAtr = 33;
constexpr size_t kMaxResponse = 258;

// Test-only keys (see the header).
constexpr char kRootPem[] = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg/LTs96jJLV+M66+U
zTWXVMH6OY5N5e1pf0qZvCKNCA+hRANCAAQ0iosWLcIOV47ohEkDyGGKrWmYNl3F
dD+1Uq39CCjgQPE9NynRD5X5s2fKlzopsFa57+Gwqkh5U1v4r/oKi+AX
-----END PRIVATE KEY-----
)";
constexpr char kSignerPem[] = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgnfEdwXVlmWR2rcXK
x9gmi9DgxJmqr6vWXo190RyeiHWhRANCAATunFizXu6cjnU5v2widD4TparvcXB2
q/xoh1DWMTgnM8G3UUPoPJwqHJmjAj48WgvSLDVmrAmFcDG5vKfqOIOw
-----END PRIVATE KEY-----
)";

terminal::CardCredentials MakeCredentials() {
  terminal::CardCredentials creds;
  EcKey root = EcKey::FromPrivatePem(kRootPem).value();
  creds.terminal_id = "FUZZ-T1";
  creds.signing_key = EcKey::FromPrivatePem(kSignerPem).value();
  creds.signer_certificate = IssueCardSignerCertificate(
      root, creds.terminal_id, creds.signing_key.PublicPoint(), 4'000'000'000);
  creds.root_public = EcKey::FromPublicPoint(root.PublicPoint()).value();
  creds.data_keys.emplace(1, SecretBytes(Bytes(32, 0x5A)));
  creds.current_data_key_version = 1;
  return creds;
}

}  // namespace

CardSession DecodeCardSession(ByteSpan in) {
  CardSession s;
  size_t pos = 0;
  if (pos < in.size()) s.op = static_cast<CardOp>(in[pos++] % 3);
  if (pos < in.size()) {
    size_t atr_len = std::min<size_t>(in[pos++], kMaxAtr);
    atr_len = std::min(atr_len, in.size() - pos);
    s.atr.assign(in.begin() + static_cast<ptrdiff_t>(pos),
                 in.begin() + static_cast<ptrdiff_t>(pos + atr_len));
    pos += atr_len;
  }
  while (pos + 2 <= in.size()) {
    size_t len = std::min<size_t>((size_t{in[pos]} << 8) | in[pos + 1], kMaxResponse);
    pos += 2;
    len = std::min(len, in.size() - pos);
    s.responses.emplace_back(in.begin() + static_cast<ptrdiff_t>(pos),
                             in.begin() + static_cast<ptrdiff_t>(pos + len));
    pos += len;
  }
  return s;
}

Bytes EncodeCardSession(const CardSession& session) {
  Bytes out;
  out.push_back(static_cast<uint8_t>(session.op));
  out.push_back(static_cast<uint8_t>(session.atr.size()));
  out.insert(out.end(), session.atr.begin(), session.atr.end());
  for (const Bytes& r : session.responses) {
    out.push_back(static_cast<uint8_t>(r.size() >> 8));
    out.push_back(static_cast<uint8_t>(r.size()));
    out.insert(out.end(), r.begin(), r.end());
  }
  return out;
}

const terminal::CardCredentials& FuzzCredentials() {
  static const terminal::CardCredentials creds = MakeCredentials();
  return creds;
}

nlohmann::json FuzzChild() {
  // The typical record as it was when the seed sessions were recorded: no guardian ID numbers,
  // the address without the flat, and its own doses.
  nlohmann::json child = testing::TypicalChild("FUZZ-T1-1");
  child["residence_address"] = "深圳市宝安区西乡街道固戍一路 18 号";
  for (nlohmann::json& guardian : child["guardians"]) guardian.erase("id_number");
  child["immunizations"] = nlohmann::json::array();
  for (int i = 0; i < 20; ++i) {
    // Sized for any two ints, so the date can never be cut short (and the compiler can prove it).
    char date[sizeof("-2147483648--2147483648-14")];
    std::snprintf(date, sizeof(date), "%04d-%02d-14", 2016 + i / 6, i % 6 * 2 + 1);
    child["immunizations"].push_back(
        {{"vaccine", i % 2 == 0 ? "DTaP" : "HepB"}, {"dose", 1 + i % 4}, {"date", date}});
  }
  return child;
}

void RunCardSession(const CardSession& session) {
  terminal::ScriptedCardReader reader(session.atr, session.responses);
  switch (session.op) {
    case CardOp::kRead:
      (void)terminal::CardService::ReadOn(reader, FuzzCredentials());
      break;
    case CardOp::kUpdate:
      (void)terminal::CardService::UpdateOn(reader, FuzzChild(), FuzzCredentials());
      break;
    case CardOp::kIssue:
      (void)terminal::CardService::IssueOn(reader, FuzzChild(), FuzzCredentials());
      break;
  }
}

}  // namespace onecard::fuzz
