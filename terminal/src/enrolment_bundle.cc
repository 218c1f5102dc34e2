#include "enrolment_bundle.h"

#include "onecard/protocol/crypto.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"

namespace onecard::terminal {

using nlohmann::json;
using schema::Database;
using schema::Statement;

namespace {

constexpr char kBundleFormat[] = "onecard-enrolment/1";

Status BadBundle(const std::string& field) {
  return Status(ErrorCode::kInvalidArgument,
                Tr("登记包无效：字段 " + field + " 缺失或格式错误",
                   "invalid enrolment bundle: field " + field + " is missing or malformed"));
}

Result<std::string> BundleString(const json& bundle, const std::string& field) {
  auto it = bundle.find(field);
  if (it == bundle.end() || !it->is_string() || it->get<std::string>().empty())
    return BadBundle(field);
  return it->get<std::string>();
}

SecretBytes SecretOf(const std::string& s) { return SecretBytes(Bytes(s.begin(), s.end())); }

}  // namespace

Result<EnrolmentBundle> ReadBundleFields(const json& bundle) {
  if (!bundle.is_object() || bundle.value("format", "") != kBundleFormat)
    return BadBundle("format");
  EnrolmentBundle b;
  ASSIGN_OR_RETURN(b.terminal_id, BundleString(bundle, "terminal_id"));
  ASSIGN_OR_RETURN(b.server, BundleString(bundle, "server"));
  ASSIGN_OR_RETURN(b.ca_cert, BundleString(bundle, "ca_certificate"));
  ASSIGN_OR_RETURN(b.tls_cert, BundleString(bundle, "tls_certificate"));
  ASSIGN_OR_RETURN(b.tls_key, BundleString(bundle, "tls_key"));
  ASSIGN_OR_RETURN(b.signing_key, BundleString(bundle, "card_signing_key"));
  ASSIGN_OR_RETURN(b.signer_cert, BundleString(bundle, "card_signer_certificate"));
  ASSIGN_OR_RETURN(b.root_public, BundleString(bundle, "card_root_public"));
  if (!bundle.contains("site") || !bundle["site"].is_object()) return BadBundle("site");
  b.site = &bundle["site"];
  ASSIGN_OR_RETURN(b.site_id, BundleString(*b.site, "site_id"));
  ASSIGN_OR_RETURN(b.site_area, BundleString(*b.site, "area"));
  b.site_name = b.site->value("name", "");
  return b;
}

Status CheckBundleKeys(const json& bundle, const EnrolmentBundle& b) {
  if (!EcKey::FromPrivatePem(b.tls_key).ok()) return BadBundle("tls_key");
  if (!EcKey::FromPrivatePem(b.signing_key).ok()) return BadBundle("card_signing_key");
  if (!Base64Decode(b.signer_cert).ok()) return BadBundle("card_signer_certificate");
  auto root_point = Base64Decode(b.root_public);
  if (!root_point.ok() || !EcKey::FromPublicPoint(*root_point).ok())
    return BadBundle("card_root_public");
  if (!bundle.contains("card_data_keys") || !bundle["card_data_keys"].is_object() ||
      bundle["card_data_keys"].empty() ||
      !bundle.value("card_data_key_version", json()).is_number_integer() ||
      bundle["card_data_key_version"].get<int64_t>() <= 0) {
    return BadBundle("card_data_keys");
  }
  for (const auto& [version, hex] : bundle["card_data_keys"].items()) {
    auto k = hex.is_string() ? HexDecode(hex.get<std::string>())
                             : Result<Bytes>(BadBundle("card_data_keys"));
    if (!k.ok() || k->size() != kAeadKeySize || version.empty() ||
        version.find_first_not_of("0123456789") != std::string::npos) {
      return BadBundle("card_data_keys");
    }
  }
  return Status::Ok();
}

std::vector<std::pair<const char*, std::string>> InitialMeta(const json& bundle,
                                                             const EnrolmentBundle& b,
                                                             const platform::Clock& clock) {
  return {
      {"terminal_id", b.terminal_id},
      {"site_id", b.site_id},
      {"site_area", b.site_area},
      {"site_name", b.site_name},
      {"server", b.server},
      {"ca_certificate", b.ca_cert},
      {"tls_certificate", b.tls_cert},
      {"card_signer_certificate", b.signer_cert},
      {"card_root_public", b.root_public},
      {"card_data_key_version", std::to_string(bundle["card_data_key_version"].get<uint32_t>())},
      {"next_seq", "1"},
      {"next_child_number", "1"},
      {"hlc", "0"},
      {"pull_cursor", "0"},
      {"created_at", UtcNowIso8601(clock)}};
}

Status WriteBundleSecrets(Database& db, const json& bundle, const EnrolmentBundle& b) {
  ASSIGN_OR_RETURN(Statement secret, db.Prepare("INSERT INTO secrets(name, value) VALUES (?, ?)"));
  auto put = [&](const std::string& name, const SecretBytes& value) -> Status {
    RETURN_IF_ERROR(secret.Reset());
    return secret.Bind(1, name).Bind(2, value.span()).Run();
  };
  RETURN_IF_ERROR(put("tls_key", SecretOf(b.tls_key)));
  RETURN_IF_ERROR(put("card_signing_key", SecretOf(b.signing_key)));
  for (const auto& [version, hex] : bundle["card_data_keys"].items()) {
    RETURN_IF_ERROR(
        put("card_data_key:" + version, SecretBytes(*HexDecode(hex.get<std::string>()))));
  }
  return Status::Ok();
}

}  // namespace onecard::terminal
