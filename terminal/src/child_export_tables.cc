// The parts of the guardian's copy read from the child's state and the store's tables (outbox,
// refused events, set-aside items, identity review, card proofs, revocations).
#include <nlohmann/json.hpp>

#include "child_export_parts.h"
#include "onecard/protocol/bytes.h"
#include "onecard/protocol/card_serial.h"

namespace onecard::terminal {

using nlohmann::json;
using schema::Statement;

std::vector<FieldHistory> FieldHistoryOf(const ChildState& state) {
  std::vector<FieldHistory> out;
  for (const auto& [name, field] : state.fields()) {
    const FieldValue* winner = field.winner();
    if (winner == nullptr) continue;  // only tombstones: nothing shown, nothing to date
    FieldHistory h{name, winner->stamp, winner->value.is_null(), field.live.size() - 1, {}};
    h.replaced.assign(field.superseded.begin(), field.superseded.end());
    out.push_back(std::move(h));
  }
  return out;
}

Result<std::vector<HeldChange>> HeldChangesOf(schema::Database& db, const std::string& terminal_id,
                                              const std::string& child_id, bool refused) {
  const std::string sql =
      refused ? "SELECT seq, hlc, type, payload, code, message, refused_at FROM refused_events "
                "WHERE child_id = ? ORDER BY seq"
              : "SELECT seq, hlc, type, payload, '', '', '' FROM outbox WHERE child_id = ? "
                "ORDER BY seq";
  ASSIGN_OR_RETURN(Statement st, db.Prepare(sql));
  st.Bind(1, child_id);
  std::vector<HeldChange> out;
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& row) {
    HeldChange c;
    c.seq = static_cast<uint64_t>(row.ColumnInt(0));
    c.stamp = Stamp{static_cast<uint64_t>(row.ColumnInt(1)), terminal_id, c.seq};
    c.type = row.ColumnText(2);
    // Written by this program as JSON; a damaged payload is shown as the text it is.
    c.payload = json::parse(row.ColumnText(3), nullptr, false);
    if (c.payload.is_discarded()) c.payload = row.ColumnText(3);
    c.refusal_code = row.ColumnText(4);
    c.refusal_message = row.ColumnText(5);
    c.refused_at = row.ColumnText(6);
    out.push_back(std::move(c));
  }));
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> SetAsideOf(schema::Database& db,
                                                                    const std::string& child_id) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT set_aside_at, message FROM pull_set_aside "
                                            "WHERE kind = 'child' AND item_id = ? ORDER BY id"));
  st.Bind(1, child_id);
  std::vector<std::pair<std::string, std::string>> out;
  RETURN_IF_ERROR(st.ForEachRow(
      [&](const Statement& row) { out.emplace_back(row.ColumnText(0), row.ColumnText(1)); }));
  return out;
}

Result<std::vector<std::string>> InReviewWith(schema::Database& db, const std::string& child_id) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT CASE WHEN a = ?1 THEN b ELSE a END FROM "
                                            "identity_review WHERE a = ?1 OR b = ?1 ORDER BY 1"));
  st.Bind(1, child_id);
  return st.FirstColumnTexts();
}

Status ReadCardTables(schema::Database& db, const std::string& child_id, ChildCards& cards) {
  ASSIGN_OR_RETURN(Statement proof,
                   db.Prepare("SELECT serial, read_at FROM card_proofs WHERE child_id = ?"));
  ASSIGN_OR_RETURN(bool has_proof, proof.Bind(1, child_id).Step());
  if (has_proof) {
    const std::string hex = HexEncode(proof.ColumnBlob(0));
    cards.last_read_serial = NormalizeCardSerial(hex).value_or(hex);
    cards.last_read_at = proof.ColumnText(1);
  }
  ASSIGN_OR_RETURN(Statement revoked,
                   db.Prepare("SELECT serial, child_id, reason, revoked_at_ms, revoked_by FROM "
                              "revoked_cards WHERE child_id = ?1 OR (?2 != '' AND serial = ?2) "
                              "ORDER BY revoked_at_ms, serial"));
  revoked.Bind(1, child_id).Bind(2, cards.current);
  return revoked.ForEachRow([&](const Statement& row) {
    cards.revoked.push_back(CardRevocation{row.ColumnText(0), row.ColumnText(1), row.ColumnText(2),
                                           row.ColumnInt(3), row.ColumnText(4)});
  });
}

}  // namespace onecard::terminal
