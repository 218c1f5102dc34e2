// ServerStore: a terminal's card proof (sync.md, "Who may change a child"). A terminal may change a
// child outside its site's scope only when it shows that the child's card was at its desk: the
// sealed record of the card, verified as any terminal verifies a card (card.md), for the event's
// child, on a card whose serial is not revoked, signed by a terminal not revoked before it wrote.
#include <nlohmann/json.hpp>

#include "onecard/protocol/bytes.h"
#include "onecard/protocol/card_record.h"
#include "onecard/protocol/i18n.h"
#include "onecard/server/server_store.h"

namespace onecard::server {
namespace {

using nlohmann::json;
using schema::Statement;

Status NoProof(const wire::Event& event, const std::string& zh, const std::string& en) {
  const std::string seq = std::to_string(event.seq());
  return Status(ErrorCode::kPermissionDenied,
                Tr("事件 " + seq + "：儿童 " + event.child_id() + " 不在本站点辖区内，" + zh,
                   "event " + seq + ": child " + event.child_id() +
                       " is outside this site's area, and " + en));
}

std::string SerialText(ByteSpan serial) {
  std::string hex = HexEncode(serial);
  for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return hex;
}

}  // namespace

Status ServerStore::LoadCardKeysLocked() {
  if (card_keys_loaded_) return Status::Ok();
  ASSIGN_OR_RETURN(std::string root, GetMetaLocked("card_root_public"));
  ASSIGN_OR_RETURN(Bytes point, Base64Decode(root));
  ASSIGN_OR_RETURN(card_root_public_, EcKey::FromPublicPoint(point));
  ASSIGN_OR_RETURN(std::string latest, GetMetaLocked("card_data_key_version"));
  const long versions = std::strtol(latest.c_str(), nullptr, 10);
  for (long v = 1; v <= versions; ++v) {
    ASSIGN_OR_RETURN(SecretBytes key, GetSecretLocked("card_data_key:" + std::to_string(v)));
    card_data_keys_.emplace(static_cast<uint32_t>(v), std::move(key));
  }
  card_keys_loaded_ = true;
  return Status::Ok();
}

Status ServerStore::CheckCardProofLocked(const wire::Event& event,
                                         const std::string& stored_card_serial) {
  if (!event.has_card_proof()) {
    return NoProof(event, "也没有出示该儿童的卡", "no card of the child was presented");
  }
  RETURN_IF_ERROR(LoadCardKeysLocked());
  const wire::CardProof& proof = event.card_proof();
  auto key_for_version = [this](uint32_t version) -> const SecretBytes* {
    auto it = card_data_keys_.find(version);
    return it == card_data_keys_.end() ? nullptr : &it->second;
  };
  Result<OpenedCardRecord> opened = OpenCardRecord(
      AsBytes(proof.sealed_record()), AsBytes(proof.serial()), card_root_public_, key_for_version);
  if (!opened.ok()) {
    return NoProof(event, "出示的卡片记录无法验证（" + opened.status().message() + "）",
                   "the card record presented does not verify (" + opened.status().message() + ")");
  }
  const std::string serial = SerialText(AsBytes(proof.serial()));
  const json& child = opened->child;
  if (!child.is_object() || child.value("child_id", json()) != event.child_id() ||
      child.value("card_serial", json()) != serial) {
    return NoProof(event, "出示的卡属于另一名儿童", "the card presented belongs to another child");
  }
  ASSIGN_OR_RETURN(Statement * revoked,
                   CachedLocked("SELECT 1 FROM revocations WHERE (kind = 'card' AND subject = ?) "
                                "OR (kind = 'terminal' AND subject = ? AND revoked_at_ms <= ?)"));
  revoked->Bind(1, serial)
      .Bind(2, opened->signer.terminal_id)
      .Bind(3, opened->header.written_unix * 1000);
  ASSIGN_OR_RETURN(bool is_revoked, revoked->Step());
  RETURN_IF_ERROR(revoked->Reset());
  if (is_revoked) {
    return NoProof(event, "出示的卡（" + serial + "）或其签发终端已被吊销",
                   "the card presented (" + serial + ") or the terminal that wrote it is revoked");
  }
  // A terminal holds a card-signing key: it could seal a record of any child itself. So a record
  // it signed proves nothing unless the server knows that card as the child's.
  if (opened->signer.terminal_id == event.terminal_id() && serial != stored_card_serial) {
    return NoProof(event, "出示的卡记录由本终端自己签名，且不是服务器所知该儿童的卡",
                   "the card record presented was signed by this terminal itself and is not the "
                   "card the server knows as the child's");
  }
  return Status::Ok();
}

}  // namespace onecard::server
