#include "moves.h"

#include <string>
#include <utility>
#include <vector>

namespace onecard::server {

uint32_t MoveKey(const RecordKeyer& keyer, std::string_view terminal_id, uint64_t seq) {
  return keyer.Of("move/" + std::string(terminal_id) + ":" + std::to_string(seq));
}

Status KeyUnkeyedMoves(schema::Database& db, const SecretBytes& secret) {
  ASSIGN_OR_RETURN(schema::Statement find,
                   db.Prepare("SELECT terminal_id, seq FROM moves WHERE move_key IS NULL"));
  std::vector<std::pair<std::string, int64_t>> unkeyed;
  while (true) {
    ASSIGN_OR_RETURN(bool row, find.Step());
    if (!row) break;
    unkeyed.emplace_back(find.ColumnText(0), find.ColumnInt(1));
  }
  if (unkeyed.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(schema::Transaction tx, schema::Transaction::Begin(db));
  ASSIGN_OR_RETURN(schema::Statement set,
                   db.Prepare("UPDATE moves SET move_key = ? WHERE terminal_id = ? AND seq = ?"));
  const RecordKeyer keyer(secret);
  for (const auto& [terminal_id, seq] : unkeyed) {
    const uint32_t key = MoveKey(keyer, terminal_id, static_cast<uint64_t>(seq));
    RETURN_IF_ERROR(set.Bind(1, int64_t{key}).Bind(2, terminal_id).Bind(3, seq).Run());
    RETURN_IF_ERROR(set.Reset());
  }
  return tx.Commit();
}

}  // namespace onecard::server
