// ServerStore's moves table (moves.h): a move recorded at ingest, and the keys of the moves the
// migration back-filled.

#include "moves.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/hybrid_clock.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/server/server_store.h"

namespace onecard::server {

Status ServerStore::RecordMoveLocked(const wire::Event& event, const std::string& from,
                                     const std::string& to) {
  if (from.empty() || to.empty() || from == to) return Status::Ok();
  ASSIGN_OR_RETURN(const RecordKeyer* keyer, RecordKeyerLocked());
  // Dated by the event's time: the record gives no date of the move itself. Checked events are
  // never ahead of the server's clock (event_checks.h).
  const uint64_t ms = HybridClock::PhysicalMs(event.hlc());
  ASSIGN_OR_RETURN(
      schema::Statement * ins,
      CachedLocked("INSERT OR IGNORE INTO moves(terminal_id, seq, child_id, from_area, to_area, "
                   "moved_at, moved_on, move_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  return ins->Bind(1, event.terminal_id())
      .Bind(2, static_cast<int64_t>(event.seq()))
      .Bind(3, event.child_id())
      .Bind(4, from)
      .Bind(5, to)
      .Bind(6, UtcIso8601(static_cast<int64_t>(ms / 1000)))
      .Bind(7, CivilDate::InChinaAt(ms).ToString())
      .Bind(8, int64_t{MoveKey(*keyer, event.terminal_id(), event.seq())})
      .Run();
}

Status ServerStore::KeyMovesLocked() {
  ASSIGN_OR_RETURN(const SecretBytes* secret, CellKeySecretLocked());
  return KeyUnkeyedMoves(db_, *secret);
}

}  // namespace onecard::server
