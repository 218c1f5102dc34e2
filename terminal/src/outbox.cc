#include "onecard/terminal/outbox.h"

#include "onecard/protocol/event_types.h"
#include "onecard/protocol/timestamp.h"

namespace onecard::terminal {

using schema::Statement;
using schema::Transaction;

Result<Stamp> Outbox::Append(std::string_view type, const std::string& child_id,
                             const nlohmann::json& payload) {
  ASSIGN_OR_RETURN(uint64_t seq, unit_.MetaNumber("next_seq"));
  ASSIGN_OR_RETURN(uint64_t hlc, unit_.NextHlc());
  ASSIGN_OR_RETURN(
      Statement st,
      unit_.db().Prepare(
          "INSERT INTO outbox(seq, hlc, type, child_id, payload) VALUES (?, ?, ?, ?, ?)"));
  RETURN_IF_ERROR(st.Bind(1, static_cast<int64_t>(seq))
                      .Bind(2, static_cast<int64_t>(hlc))
                      .Bind(3, type)
                      .Bind(4, child_id)
                      .Bind(5, payload.dump())
                      .Run());
  RETURN_IF_ERROR(unit_.SetMeta("next_seq", std::to_string(seq + 1)));
  return Stamp{hlc, unit_.terminal_id(), seq};
}

Result<uint64_t> Outbox::Count() {
  ASSIGN_OR_RETURN(Statement st, unit_.db().Prepare("SELECT count(*) FROM outbox"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? static_cast<uint64_t>(st.ColumnInt(0)) : 0;
}

Result<std::vector<wire::Event>> Outbox::Pending(size_t max, uint64_t after_seq) {
  ASSIGN_OR_RETURN(
      Statement st,
      unit_.db().Prepare(
          "SELECT o.seq, o.hlc, o.type, o.child_id, o.payload, p.serial, p.sealed_record "
          "FROM outbox o LEFT JOIN card_proofs p ON p.child_id = o.child_id "
          "AND o.type IN (?, ?) WHERE o.seq > ? ORDER BY o.seq LIMIT ?"));
  st.Bind(1, event_type::kChildUpsert)
      .Bind(2, event_type::kCardRevoke)
      .Bind(3, static_cast<int64_t>(after_seq))
      .Bind(4, static_cast<int64_t>(max));
  std::vector<wire::Event> events;
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& row) {
    wire::Event e;
    e.set_terminal_id(unit_.terminal_id());
    e.set_seq(static_cast<uint64_t>(row.ColumnInt(0)));
    e.set_hlc(static_cast<uint64_t>(row.ColumnInt(1)));
    e.set_type(row.ColumnText(2));
    e.set_child_id(row.ColumnText(3));
    e.set_payload(row.ColumnText(4));
    if (!row.ColumnIsNull(5)) {
      e.mutable_card_proof()->set_serial(ToString(row.ColumnBlob(5)));
      e.mutable_card_proof()->set_sealed_record(ToString(row.ColumnBlob(6)));
    }
    events.push_back(std::move(e));
  }));
  return events;
}

Status Outbox::Acknowledge(uint64_t acked_seq) {
  ASSIGN_OR_RETURN(Statement st, unit_.db().Prepare("DELETE FROM outbox WHERE seq <= ?"));
  return st.Bind(1, static_cast<int64_t>(acked_seq)).Run();
}

Status Outbox::SetAsideRefused(const std::vector<wire::EventRefusal>& refused) {
  if (refused.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(
      Statement move,
      unit_.db().Prepare(
          "INSERT OR IGNORE INTO refused_events(seq, hlc, type, child_id, payload, code, message, "
          "refused_at) SELECT seq, hlc, type, child_id, payload, ?, ?, ? FROM outbox WHERE seq = "
          "?"));
  ASSIGN_OR_RETURN(Statement drop, unit_.db().Prepare("DELETE FROM outbox WHERE seq = ?"));
  const std::string now = UtcNowIso8601(unit_.clock());
  for (const wire::EventRefusal& r : refused) {
    const auto seq = static_cast<int64_t>(r.seq());
    RETURN_IF_ERROR(move.Reset());
    RETURN_IF_ERROR(move.Bind(1, r.code()).Bind(2, r.message()).Bind(3, now).Bind(4, seq).Run());
    RETURN_IF_ERROR(drop.Reset());
    RETURN_IF_ERROR(drop.Bind(1, seq).Run());
    // The audit names the event and the reason's code, not the server's sentence (which may quote
    // a value of the record).
    RETURN_IF_ERROR(unit_.Audit("sync.event_refused", "", {{"seq", r.seq()}, {"code", r.code()}}));
  }
  return tx.Commit();
}

}  // namespace onecard::terminal
