#include "onecard/terminal/enrolment_repository.h"

#include "onecard/protocol/i18n.h"

namespace onecard::terminal {
namespace {

using schema::Statement;

std::string StringOf(const SecretBytes& s) { return std::string(s.span().begin(), s.span().end()); }

}  // namespace

Result<CardCredentials> EnrolmentRepository::LoadCardCredentials() {
  CardCredentials creds;
  creds.terminal_id = unit_.terminal_id();
  creds.clock = &unit_.clock();
  ASSIGN_OR_RETURN(Statement key_st, unit_.db().Prepare("SELECT name, value FROM secrets"));
  RETURN_IF_ERROR(key_st.ForEachRow([&](const Statement& row) -> Status {
    std::string name = row.ColumnText(0);
    SecretBytes value(row.ColumnBlob(1));
    if (name == "card_signing_key") {
      ASSIGN_OR_RETURN(creds.signing_key, EcKey::FromPrivatePem(StringOf(value)));
    } else if (name.starts_with("card_data_key:")) {
      creds.data_keys[static_cast<uint32_t>(std::stoul(name.substr(14)))] = std::move(value);
    }
    return Status::Ok();
  }));
  ASSIGN_OR_RETURN(std::string signer, unit_.Meta("card_signer_certificate"));
  ASSIGN_OR_RETURN(creds.signer_certificate, Base64Decode(signer));
  ASSIGN_OR_RETURN(std::string root, unit_.Meta("card_root_public"));
  ASSIGN_OR_RETURN(Bytes root_point, Base64Decode(root));
  ASSIGN_OR_RETURN(creds.root_public, EcKey::FromPublicPoint(root_point));
  ASSIGN_OR_RETURN(std::string version, unit_.Meta("card_data_key_version"));
  creds.current_data_key_version = static_cast<uint32_t>(std::stoul(version));
  return creds;
}

Result<SyncEndpoint> EnrolmentRepository::LoadSyncEndpoint(const std::string& server_override) {
  SyncEndpoint ep;
  std::string address = server_override;
  if (address.empty()) {
    ASSIGN_OR_RETURN(address, unit_.Meta("server"));
  }
  auto colon = address.rfind(':');
  int port = 0;
  if (colon != std::string::npos) {
    try {
      port = std::stoi(address.substr(colon + 1));
    } catch (...) {
      port = 0;
    }
  }
  if (colon == std::string::npos || colon == 0 || port <= 0 || port > 65535) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("服务器地址无效：" + address + "（应为 主机:端口）",
                     "invalid server address: " + address + " (expected host:port)"));
  }
  ep.host = address.substr(0, colon);
  if (ep.host.size() > 2 && ep.host.front() == '[' && ep.host.back() == ']')
    ep.host = ep.host.substr(1, ep.host.size() - 2);
  ep.port = static_cast<uint16_t>(port);
  ep.terminal_id = unit_.terminal_id();
  ASSIGN_OR_RETURN(ep.ca_cert_pem, unit_.Meta("ca_certificate"));
  ASSIGN_OR_RETURN(ep.cert_pem, unit_.Meta("tls_certificate"));
  ASSIGN_OR_RETURN(Statement st,
                   unit_.db().Prepare("SELECT value FROM secrets WHERE name = 'tls_key'"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row)
    return Status(ErrorCode::kCorruption,
                  Tr("终端数据缺少 TLS 私钥", "the terminal store has no TLS key"));
  ep.key_pem = StringOf(SecretBytes(st.ColumnBlob(0)));
  return ep;
}

}  // namespace onecard::terminal
