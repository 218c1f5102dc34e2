#include "onecard/server/enrolment.h"

#include <algorithm>
#include <optional>

#include "onecard/protocol/card_certificate.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/number_text.h"
#include "onecard/protocol/pki.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/server/server_store.h"

namespace onecard::server {
namespace {

using nlohmann::json;

constexpr int kCaDays = 20 * 365;
constexpr int kServerCertDays = 825;
constexpr int kTerminalCertDays = 825;

SecretBytes SecretFromString(std::string& s) {
  SecretBytes out(Bytes(s.begin(), s.end()));
  WipeString(s);
  return out;
}

std::string StringFromSecret(const SecretBytes& s) {
  return std::string(s.span().begin(), s.span().end());
}

}  // namespace

bool IsValidIdentifier(const std::string& id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status InitializeServer(const std::string& data_dir, const std::vector<std::string>& hosts,
                        const platform::Clock& clock) {
  ASSIGN_OR_RETURN(auto store, ServerStore::Create(data_dir, clock));

  EcKey ca_key = EcKey::Generate();
  std::string ca_cert = CreateCaCertificate(ca_key, "OneCard Root CA", kCaDays);
  EcKey server_key = EcKey::Generate();
  CertificateProfile profile;
  profile.common_name = "onecard-server";
  profile.dns_names = {"localhost"};
  profile.ip_addresses = {"127.0.0.1"};
  for (const auto& h : hosts) {
    bool is_ip = !h.empty() &&
                 h.find_first_not_of("0123456789.:abcdefABCDEF") == std::string::npos &&
                 (h.find('.') != std::string::npos || h.find(':') != std::string::npos);
    auto& list = is_ip ? profile.ip_addresses : profile.dns_names;
    if (std::find(list.begin(), list.end(), h) == list.end()) list.push_back(h);
  }
  profile.for_server = true;
  profile.valid_days = kServerCertDays;
  ASSIGN_OR_RETURN(std::string server_cert, IssueCertificate(ca_key, ca_cert, server_key, profile));

  std::string ca_pem = ca_key.PrivatePem();
  std::string server_pem = server_key.PrivatePem();
  RETURN_IF_ERROR(store->SetSecret("ca_key", SecretFromString(ca_pem)));
  RETURN_IF_ERROR(store->SetSecret("server_tls_key", SecretFromString(server_pem)));
  RETURN_IF_ERROR(store->SetSecret("card_data_key:1", RandomSecret(kAeadKeySize)));
  RETURN_IF_ERROR(store->SetMeta("card_data_key_version", "1"));
  RETURN_IF_ERROR(store->SetMeta("ca_certificate", ca_cert));
  RETURN_IF_ERROR(store->SetMeta("server_certificate", server_cert));
  RETURN_IF_ERROR(store->SetMeta("card_root_public", Base64Encode(ca_key.PublicPoint())));
  std::string host = hosts.empty() ? "127.0.0.1" : hosts.front();
  RETURN_IF_ERROR(store->SetMeta("address", host + ":" + std::to_string(kDefaultSyncPort)));
  RETURN_IF_ERROR(store->SetMeta("created_at", UtcNowIso8601(store->clock())));
  return Status::Ok();
}

Result<json> EnrollTerminal(AdminStore& store, const std::string& site_id,
                            const std::string& terminal_id, const std::string& server_address) {
  if (!IsValidIdentifier(terminal_id)) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("终端编号无效：" + terminal_id + "（1–32 个字母、数字或 _ . -）",
                     "invalid terminal id: " + terminal_id + " (1–32 letters, digits, _ . -)"));
  }
  ASSIGN_OR_RETURN(Site site, store.FindSite(site_id));
  ASSIGN_OR_RETURN(SecretBytes ca_pem, store.GetSecret("ca_key"));
  ASSIGN_OR_RETURN(EcKey ca_key, EcKey::FromPrivatePem(StringFromSecret(ca_pem)));
  ASSIGN_OR_RETURN(std::string ca_cert, store.GetMeta("ca_certificate"));
  ASSIGN_OR_RETURN(std::string key_version, store.GetMeta("card_data_key_version"));
  ASSIGN_OR_RETURN(std::string root_public, store.GetMeta("card_root_public"));
  std::string address = server_address;
  if (address.empty()) {
    ASSIGN_OR_RETURN(address, store.GetMeta("address"));
  }

  EcKey tls_key = EcKey::Generate();
  CertificateProfile profile;
  profile.common_name = terminal_id;
  profile.for_client = true;
  profile.valid_days = kTerminalCertDays;
  ASSIGN_OR_RETURN(std::string tls_cert, IssueCertificate(ca_key, ca_cert, tls_key, profile));
  EcKey signing_key = EcKey::Generate();
  int64_t not_after = store.clock().WallSeconds() + int64_t{kTerminalCertDays} * 86400;
  Bytes signer_cert =
      IssueCardSignerCertificate(ca_key, terminal_id, signing_key.PublicPoint(), not_after);

  json data_keys = json::object();
  std::optional<int64_t> latest_version = ParseInt64(key_version);
  if (!latest_version || *latest_version < 1 || *latest_version > 1'000'000) {
    return Status(ErrorCode::kCorruption,
                  Tr("存储的卡数据密钥版本无效：" + key_version,
                     "the stored card-data key version is not valid: " + key_version));
  }
  const int latest = static_cast<int>(*latest_version);
  for (int v = 1; v <= latest; ++v) {
    ASSIGN_OR_RETURN(SecretBytes k, store.GetSecret("card_data_key:" + std::to_string(v)));
    data_keys[std::to_string(v)] = HexEncode(k.span());
  }
  RETURN_IF_ERROR(store.AddTerminal(terminal_id, site_id));
  return json{
      {"format", kBundleFormat},
      {"terminal_id", terminal_id},
      {"site",
       {{"site_id", site.site_id}, {"name", site.name}, {"area", site.area}, {"role", site.role}}},
      {"server", address},
      {"ca_certificate", ca_cert},
      {"tls_certificate", tls_cert},
      {"tls_key", tls_key.PrivatePem()},
      {"card_signing_key", signing_key.PrivatePem()},
      {"card_signer_certificate", Base64Encode(signer_cert)},
      {"card_root_public", root_public},
      {"card_data_keys", data_keys},
      {"card_data_key_version", latest},
      {"issued_at", UtcNowIso8601(store.clock())}};
}

Result<ServerTlsMaterial> LoadServerTls(AdminStore& store) {
  ServerTlsMaterial m;
  ASSIGN_OR_RETURN(m.ca_cert_pem, store.GetMeta("ca_certificate"));
  ASSIGN_OR_RETURN(m.cert_pem, store.GetMeta("server_certificate"));
  ASSIGN_OR_RETURN(SecretBytes key, store.GetSecret("server_tls_key"));
  m.key_pem = StringFromSecret(key);
  return m;
}

}  // namespace onecard::server
