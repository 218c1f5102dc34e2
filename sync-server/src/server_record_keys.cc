// ServerStore's record keys for cell key perturbation (record_key.h, cell_key.h): the secret they
// are derived from, and keying the children stored without one.

#include "onecard/protocol/i18n.h"
#include "onecard/server/server_store.h"
#include "record_key.h"

namespace onecard::server {

Result<const SecretBytes*> ServerStore::CellKeySecretLocked() {
  if (!cell_key_secret_.empty()) return &cell_key_secret_;
  Result<SecretBytes> stored = GetSecretLocked(kCellKeySecretName);
  if (stored.ok()) {
    cell_key_secret_ = std::move(stored).value();
    return &cell_key_secret_;
  }
  if (stored.status().code() != ErrorCode::kNotFound) return stored.status();
  SecretBytes made = RandomSecret(kCellKeySecretSize);
  ASSIGN_OR_RETURN(schema::Statement st,
                   db_.Prepare("INSERT INTO secrets(name, value) VALUES (?, ?)"));
  RETURN_IF_ERROR(st.Bind(1, kCellKeySecretName).Bind(2, made.span()).Run());
  cell_key_secret_ = std::move(made);
  return &cell_key_secret_;
}

Result<const RecordKeyer*> ServerStore::RecordKeyerLocked() {
  if (record_keyer_ == nullptr) {
    ASSIGN_OR_RETURN(const SecretBytes* secret, CellKeySecretLocked());
    record_keyer_ = std::make_unique<RecordKeyer>(*secret);
  }
  return record_keyer_.get();
}

Status ServerStore::KeyChildrenLocked() {
  ASSIGN_OR_RETURN(const SecretBytes* secret, CellKeySecretLocked());
  return KeyUnkeyedChildren(db_, *secret);
}

Status ServerStore::CheckCellKeySecretChangeLocked() {
  ASSIGN_OR_RETURN(schema::Statement st, db_.Prepare("SELECT EXISTS (SELECT 1 FROM children)"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (row && st.ColumnInt(0) != 0) {
    return Status(
        ErrorCode::kFailedPrecondition,
        Tr("已有儿童记录，不能更换统计扰动密钥 cell_key_secret（更换会让每张统计表多出一个"
           "可平均的独立扰动）",
           "cell_key_secret cannot change once children are stored (a new secret would "
           "give every counts table a second, independent perturbation to average)"));
  }
  cell_key_secret_ = SecretBytes();
  record_keyer_.reset();
  return Status::Ok();
}

}  // namespace onecard::server
