#include "record_key.h"

#include <string>
#include <vector>

namespace onecard::server {

uint32_t RecordKeyer::Of(std::string_view id) const {
  const Bytes mac = mac_.Mac(AsBytes(id));
  return (uint32_t{mac[0]} << 24) | (uint32_t{mac[1]} << 16) | (uint32_t{mac[2]} << 8) |
         uint32_t{mac[3]};
}

uint32_t RecordKey(const SecretBytes& secret, std::string_view id) {
  return RecordKeyer(secret).Of(id);
}

Status KeyUnkeyedChildren(schema::Database& db, const SecretBytes& secret) {
  ASSIGN_OR_RETURN(schema::Statement find,
                   db.Prepare("SELECT child_id FROM children WHERE record_key IS NULL"));
  ASSIGN_OR_RETURN(std::vector<std::string> unkeyed, find.FirstColumnTexts());
  if (unkeyed.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(schema::Statement set,
                   db.Prepare("UPDATE children SET record_key = ? WHERE child_id = ?"));
  const RecordKeyer keyer(secret);
  for (const std::string& child_id : unkeyed) {
    RETURN_IF_ERROR(set.Bind(1, int64_t{keyer.Of(child_id)}).Bind(2, child_id).Run());
    RETURN_IF_ERROR(set.Reset());
  }
  return Status::Ok();
}

}  // namespace onecard::server
