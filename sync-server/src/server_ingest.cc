// ServerStore: ingest of terminals' events (SyncStore::Ingest and the group commit IngestGroup).
//
// Cost per event is what limits sync throughput (docs/performance.md, "Sync (issue 5)"), so the
// statements are prepared once per store (CachedLocked), the change sequence is read once per
// batch (next_change_seq_), IngestGroup makes many terminals' batches durable with one commit, and
// the payloads arrive parsed and checked (IngestBatch::checked, event_checks.h). What needs stored
// data is checked here (sync.md, "Validation of events"): replays, and who may change a child.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "onecard/protocol/child_record.h"
#include "onecard/protocol/child_state.h"
#include "onecard/protocol/event_types.h"
#include "onecard/protocol/frame.h"
#include "onecard/protocol/hybrid_clock.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/sync_event.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/protocol/utf8.h"
#include "onecard/server/server_store.h"
#include "own_child_id.h"
#include "record_key.h"
#include "stats_cube.h"
#include "stored_values.h"

namespace onecard::server {
namespace {

using nlohmann::json;
using schema::Statement;
using schema::Transaction;

// The refusals of a terminal's event, as opposed to failures of the store, which fail the batch.
bool IsRefusal(const Status& status) {
  switch (status.code()) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kNotFound:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kTampered:
      return true;
    default:
      return false;
  }
}

bool InScope(const std::string& area, const std::string& scope) {
  return !area.empty() && !scope.empty() && area.starts_with(scope);
}

// Whether a stored state has every field a registration requires (false when it does not read).
bool StoredIsComplete(const std::string& stored_state) {
  Result<ChildState> state = ChildState::FromJson(json::parse(stored_state, nullptr, false));
  if (!state.ok()) return false;
  for (std::string_view field : RequiredChildRecordFields()) {
    if (state->Winner(std::string(field)) == nullptr) return false;
  }
  return true;
}

Status IncompleteNewChild(const wire::Event& event, const std::vector<std::string>& missing) {
  const std::string seq = std::to_string(event.seq());
  std::string fields;
  for (const std::string& f : missing) fields += (fields.empty() ? "" : ", ") + f;
  return Status(
      ErrorCode::kInvalidArgument,
      Tr("事件 " + seq + "：服务器上没有儿童 " + event.child_id() +
             " 的登记，而该变更缺少登记必填的字段：" + fields,
         "event " + seq + ": the server holds no registration of child " + event.child_id() +
             ", and the change lacks fields a registration requires: " + fields));
}

// A string field of a merged state ("" when absent or not a string), without building the record.
std::string FieldText(const ChildState& state, const char* name) {
  const FieldValue* v = state.Winner(name);
  return v != nullptr && v->value.is_string() ? v->value.get<std::string>() : std::string();
}

}  // namespace

Result<Statement*> ServerStore::CachedLocked(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
    it = statements_.emplace(std::string(sql), std::move(st)).first;
  }
  RETURN_IF_ERROR(it->second.Reset());
  return &it->second;
}

Result<bool> ServerStore::StoreEventLocked(const std::string& terminal_id, const wire::Event& event,
                                           const CheckedEvent& checked,
                                           const std::string& received_at) {
  // Kept in the legacy form (type + canonical JSON payload) whichever form the event came in.
  const std::string& payload =
      checked.stored_payload.empty() ? event.payload() : checked.stored_payload;
  ASSIGN_OR_RETURN(
      Statement * ins,
      CachedLocked("INSERT OR IGNORE INTO events(terminal_id, seq, hlc, type, child_id, "
                   "payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  RETURN_IF_ERROR(ins->Bind(1, terminal_id)
                      .Bind(2, static_cast<int64_t>(event.seq()))
                      .Bind(3, static_cast<int64_t>(event.hlc()))
                      .Bind(4, std::string(EventTypeOf(event)))
                      .Bind(5, event.child_id())
                      .Bind(6, payload)
                      .Bind(7, received_at)
                      .Run());
  return db_.Changes() > 0;
}

Result<bool> ServerStore::EventSettledLocked(const std::string& terminal_id, uint64_t seq) {
  ASSIGN_OR_RETURN(SettledAnswer answer, SettledAnswerLocked(terminal_id, seq));
  return answer.settled;
}

Result<ServerStore::SettledAnswer> ServerStore::SettledAnswerLocked(const std::string& terminal_id,
                                                                    uint64_t seq) {
  ASSIGN_OR_RETURN(Statement * seen,
                   CachedLocked("SELECT NULL, NULL FROM events WHERE terminal_id = ?1 AND seq = ?2 "
                                "UNION ALL SELECT code, message FROM refused_events WHERE "
                                "terminal_id = ?1 AND seq = ?2"));
  seen->Bind(1, terminal_id).Bind(2, static_cast<int64_t>(seq));
  ASSIGN_OR_RETURN(bool settled, seen->Step());
  SettledAnswer answer;
  if (settled) {
    answer.settled = true;
    if (!seen->ColumnIsNull(0))
      answer.answer = Status(ErrorCodeFromName(seen->ColumnText(0)), seen->ColumnText(1));
  }
  RETURN_IF_ERROR(seen->Reset());  // no statement stays active between calls
  return answer;
}

Result<ServerStore::TerminalIngestState> ServerStore::LoadTerminalIngestStateLocked(
    const std::string& terminal_id) {
  ASSIGN_OR_RETURN(
      Statement * cur,
      CachedLocked(
          "SELECT t.contiguous_seq, s.area, max(coalesce((SELECT max(seq) FROM events WHERE "
          "terminal_id = t.terminal_id), 0), coalesce((SELECT max(seq) FROM refused_events WHERE "
          "terminal_id = t.terminal_id), 0)) FROM terminals t JOIN sites s USING (site_id) "
          "WHERE t.terminal_id = ?"));
  cur->Bind(1, terminal_id);
  ASSIGN_OR_RETURN(bool known, cur->Step());
  if (!known) {
    RETURN_IF_ERROR(cur->Reset());
    return Status(ErrorCode::kPermissionDenied,
                  Tr("未注册的终端 " + terminal_id, "terminal not enrolled: " + terminal_id));
  }
  TerminalIngestState state{cur->ColumnInt(0), cur->ColumnInt(2),
                            AreaScopePrefix(cur->ColumnText(1))};
  RETURN_IF_ERROR(cur->Reset());
  return state;
}

Status ServerStore::IngestEventLocked(const TerminalIngestState& terminal, const wire::Event& event,
                                      CheckedEvent& checked, const std::string& received_at) {
  if (!checked.refusal.ok()) return checked.refusal;
  // A settled event (stored or refused) gets its first answer again and is not judged anew: the
  // child may have moved since, and the terminal may have lost only the acknowledgement.
  if (static_cast<int64_t>(event.seq()) <= terminal.max_settled) {
    ASSIGN_OR_RETURN(SettledAnswer answer, SettledAnswerLocked(event.terminal_id(), event.seq()));
    if (answer.settled) return answer.answer;
  }
  // An erased child's id is never used again (server_erasure.cc).
  RETURN_IF_ERROR(RefuseIfErasedLocked(event, checked));
  if (checked.upsert) return IngestUpsertLocked(terminal, event, checked, received_at);
  if (!checked.body_refusal.ok()) return checked.body_refusal;
  ONECARD_CHECK(checked.body.has_value());  // CheckEvent: an upsert, a body or a refusal
  const EventBody& body = *checked.body;
  if (std::holds_alternative<ChildEraseEvent>(body)) {
    return IngestChildEraseLocked(terminal, event, checked, received_at);
  }
  if (std::holds_alternative<CardRevokeEvent>(body)) {
    RETURN_IF_ERROR(IngestCardRevocationLocked(terminal, event, checked));
    // The revocation may have taken a number of the change sequence.
    ASSIGN_OR_RETURN(next_change_seq_, NextChangeSeqLocked());
    return Status::Ok();
  }
  if (std::holds_alternative<Referral>(body) ||
      std::holds_alternative<ReferralStatusChange>(body)) {
    return IngestReferralLocked(event.terminal_id(), event, checked, received_at);
  }
  // server_identity_sync.cc (the last type of the registry)
  return IngestIdentityDecisionLocked(event.terminal_id(), event, checked, received_at);
}

Status ServerStore::IngestUpsertLocked(const TerminalIngestState& terminal,
                                       const wire::Event& event, CheckedEvent& checked,
                                       const std::string& received_at) {
  ParsedUpsert& upsert = *checked.upsert;
  ASSIGN_OR_RETURN(Statement * get,
                   CachedLocked("SELECT state, residence_area, hukou_area, stats_attributes, "
                                "stats_counted FROM children WHERE child_id = ?"));
  get->Bind(1, event.child_id());
  ASSIGN_OR_RETURN(bool exists, get->Step());
  std::string stored = exists ? get->ColumnText(0) : std::string();
  const std::string stored_residence = exists ? get->ColumnText(1) : std::string();
  const bool in_scope = exists && (InScope(get->ColumnText(1), terminal.scope) ||
                                   InScope(get->ColumnText(2), terminal.scope));
  // Where the statistics count the child now (stats_cube.h): nowhere when it is new, not
  // profiled yet, or not its person's current record.
  const bool counted = !exists || get->ColumnInt(4) != 0;
  std::optional<StatsEntry> counted_as;  // its key is set when it is counted out
  if (exists && counted && !get->ColumnIsNull(3)) {
    counted_as = StatsEntry{StatsArea(get->ColumnText(1)), StatsArea(get->ColumnText(2)),
                            static_cast<StatsAttributes>(get->ColumnInt(3)), 0};
  }
  RETURN_IF_ERROR(get->Reset());  // no statement stays active between calls
  // Who may change the child is judged on the child as stored before the change, so that no
  // change can pull a child into the changer's scope. A new child in the terminal's own namespace
  // must be complete; any other change outside the scope needs the child's card, which also
  // admits a change that arrives before the child's registration (the card proves it exists).
  // A registration that arrives after such a change (the stored child still lacks a required
  // field) is the child's creation too.
  const bool registration =
      IsOwnChildId(event.child_id(), event.terminal_id()) && (!exists || !StoredIsComplete(stored));
  if (!in_scope && registration && !upsert.missing.empty()) {
    return IncompleteNewChild(event, upsert.missing);
  }
  if (!in_scope && !registration) {
    RETURN_IF_ERROR(CheckCardProofLocked(event, StoredCardSerial(stored)));
  }

  ASSIGN_OR_RETURN(bool new_event,
                   StoreEventLocked(event.terminal_id(), event, checked, received_at));
  if (!new_event) return Status::Ok();  // already stored: replays do nothing
  ChildState state(event.child_id());
  if (exists) {
    json parsed = json::parse(stored, nullptr, false);
    ASSIGN_OR_RETURN(state, ChildState::FromJson(parsed));
  }
  // Merge semantics (protocol/docs/merge.md): the payload's fields, bases and dose changes.
  bool changed = state.ApplyChange(std::move(upsert.change), upsert.stamp);
  if (!changed && exists) return Status::Ok();
  // A change of residence is a move (flows, server_moves.cc).
  RETURN_IF_ERROR(RecordMoveLocked(event, stored_residence, FieldText(state, "residence_area")));

  // A new child's record is the change alone: its vaccination status was worked out outside the
  // lock (event_checks.h), on the statistics' date unless midnight came between.
  const bool known = !exists && upsert.vaccination && upsert.vaccination_on == stats_date_;
  return SaveChildLocked(state, counted_as, counted, received_at,
                         known ? &*upsert.vaccination : nullptr);
}

Status ServerStore::SaveChildLocked(const ChildState& state,
                                    const std::optional<StatsEntry>& counted_as, bool counted,
                                    const std::string& received_at,
                                    const VaccinationOutlook* vaccination) {
  // The record key is the child's for life: set with the row, never updated.
  ASSIGN_OR_RETURN(const RecordKeyer* keyer, RecordKeyerLocked());
  const uint32_t record_key = keyer->Of(state.child_id());
  const std::string category = FieldText(state, "category"), sex = FieldText(state, "sex"),
                    birth_date = FieldText(state, "birth_date");
  ASSIGN_OR_RETURN(Statement * revoked, CachedLocked(kCardRevokedSql));
  ASSIGN_OR_RETURN(const bool card_revoked, CardSerialRevoked(*revoked, StatsCardSerial(state)));
  const StatsProfile profile =
      ProfileOf({category, sex, birth_date, card_revoked}, state, stats_date_, vaccination);
  const StatsEntry entry{StatsArea(FieldText(state, "residence_area")),
                         StatsArea(FieldText(state, "hukou_area")), profile.attributes, record_key};
  if (counted_as) {
    StatsEntry before = *counted_as;
    before.key = record_key;
    stats_delta_->Add(before, -1);
  }
  if (counted) stats_delta_->Add(entry, +1);
  stats_as_of_ = received_at;
  ASSIGN_OR_RETURN(
      Statement * up,
      CachedLocked("INSERT INTO children(child_id, state, residence_area, hukou_area, "
                   "category, sex, birth_date, change_seq, conflicted, record_key, "
                   "stats_attributes, stats_changes_on) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(child_id) DO "
                   "UPDATE SET state = excluded.state, "
                   "residence_area = excluded.residence_area, hukou_area = "
                   "excluded.hukou_area, category = excluded.category, "
                   "sex = excluded.sex, birth_date = excluded.birth_date, change_seq "
                   "= excluded.change_seq, conflicted = excluded.conflicted, stats_attributes = "
                   "excluded.stats_attributes, stats_changes_on = excluded.stats_changes_on"));
  up->Bind(1, state.child_id())
      .Bind(2, state.ToJsonText())
      .Bind(3, FieldText(state, "residence_area"))
      .Bind(4, FieldText(state, "hukou_area"))
      .Bind(5, category)
      .Bind(6, sex)
      .Bind(7, birth_date)
      .Bind(8, next_change_seq_++)
      .Bind(9, int64_t{state.HasConflicts() ? 1 : 0})
      .Bind(10, int64_t{record_key})
      .Bind(11, int64_t{profile.attributes});
  if (profile.changes_on) {
    up->Bind(12, profile.changes_on->ToString());
  } else {
    up->BindNull(12);
  }
  return up->Run();
}

Status ServerStore::CheckMayChangeChildLocked(const TerminalIngestState& terminal,
                                              const wire::Event& event) {
  ASSIGN_OR_RETURN(
      Statement * get,
      CachedLocked("SELECT state, residence_area, hukou_area FROM children WHERE child_id = ?"));
  get->Bind(1, event.child_id());
  ASSIGN_OR_RETURN(bool exists, get->Step());
  const std::string stored = exists ? get->ColumnText(0) : std::string();
  const bool in_scope = exists && (InScope(get->ColumnText(1), terminal.scope) ||
                                   InScope(get->ColumnText(2), terminal.scope));
  RETURN_IF_ERROR(get->Reset());
  if (!exists || in_scope) return Status::Ok();
  return CheckCardProofLocked(event, StoredCardSerial(stored));
}

Status ServerStore::RecordRefusalLocked(IngestBatch& batch, const wire::Event& event,
                                        const Status& refusal, const std::string& received_at) {
  wire::EventRefusal& out = batch.refused.emplace_back();
  out.set_seq(event.seq());
  out.set_code(ErrorCodeName(refusal.code()));
  // A protobuf string must be UTF-8, or the terminal cannot decode the push's reply at all.
  out.set_message(EscapeMalformedUtf8(refusal.message()));
  // A seq outside the protocol's range, or another terminal's event, settles nothing.
  if (event.seq() == 0 || event.seq() > kMaxEventSeq || event.terminal_id() != batch.terminal_id) {
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(
      Statement * ins,
      CachedLocked(
          "INSERT OR IGNORE INTO refused_events(terminal_id, seq, type, code, message, refused_at) "
          "VALUES (?, ?, ?, ?, ?, ?)"));
  return ins->Bind(1, batch.terminal_id)
      .Bind(2, static_cast<int64_t>(event.seq()))
      .Bind(3, std::string(EventTypeOf(event).substr(0, 64)))
      .Bind(4, out.code())
      .Bind(5, out.message())
      .Bind(6, received_at)
      .Run();
}

Result<uint64_t> ServerStore::AdvanceContiguousLocked(const std::string& terminal_id,
                                                      int64_t contiguous,
                                                      const std::vector<wire::Event>& events) {
  // First through this batch's seqs (all of them are settled now: stored or refused), without a
  // query each; then by probing for seqs beyond, settled by an earlier batch that arrived ahead of
  // a gap (usually one probe that finds nothing). Seqs outside the protocol's range settle nothing.
  std::vector<uint64_t> seqs;
  seqs.reserve(events.size());
  for (const auto& event : events) {
    if (event.terminal_id() == terminal_id && event.seq() <= kMaxEventSeq) {
      seqs.push_back(event.seq());
    }
  }
  std::sort(seqs.begin(), seqs.end());
  for (uint64_t seq : seqs) {
    if (seq == static_cast<uint64_t>(contiguous) + 1) {
      ++contiguous;
    } else if (seq > static_cast<uint64_t>(contiguous) + 1) {
      break;
    }
  }
  while (static_cast<uint64_t>(contiguous) < kMaxEventSeq) {
    ASSIGN_OR_RETURN(bool settled,
                     EventSettledLocked(terminal_id, static_cast<uint64_t>(contiguous) + 1));
    if (!settled) break;
    ++contiguous;
  }
  ASSIGN_OR_RETURN(Statement * save,
                   CachedLocked("UPDATE terminals SET contiguous_seq = ? WHERE terminal_id = ?"));
  RETURN_IF_ERROR(save->Bind(1, contiguous).Bind(2, terminal_id).Run());
  return static_cast<uint64_t>(contiguous);
}

Result<uint64_t> ServerStore::IngestBatchLocked(IngestBatch& batch) {
  const std::string& terminal_id = batch.terminal_id;
  const std::vector<wire::Event>& events = batch.events;
  if (batch.checked.size() != events.size()) {
    batch.checked = CheckEvents(events, terminal_id, HybridClock::PhysicalNowMs(*clock_));
  }
  batch.refused.clear();
  ASSIGN_OR_RETURN(TerminalIngestState terminal, LoadTerminalIngestStateLocked(terminal_id));

  // Read under the transaction's write lock: numbers taken by another process (e.g. a revocation
  // by `onecard-server revoke`) are seen.
  ASSIGN_OR_RETURN(next_change_seq_, NextChangeSeqLocked());
  // The statistics' date, rolled to today first (stats_cube.h); their changes written at the end.
  stats_delta_->Clear();
  stats_as_of_.clear();
  ASSIGN_OR_RETURN(stats_date_, BringStatsLocked());
  const std::string received_at = UtcNowIso8601(*clock_);
  for (size_t i = 0; i < events.size(); ++i) {
    // Other types than child.upsert may write before they refuse (server_referrals.cc, ...):
    // each runs in a savepoint, so that a refusal leaves nothing of it behind.
    const bool guarded = batch.refuse_singly && EventTypeOf(events[i]) != event_type::kChildUpsert;
    if (guarded) RETURN_IF_ERROR(db_.Exec("SAVEPOINT ingest_event"));
    Status outcome = IngestEventLocked(terminal, events[i], batch.checked[i], received_at);
    if (guarded) {
      RETURN_IF_ERROR(db_.Exec(outcome.ok() ? "RELEASE ingest_event"
                                            : "ROLLBACK TO ingest_event; RELEASE ingest_event"));
    }
    if (outcome.ok()) continue;
    if (!batch.refuse_singly || !IsRefusal(outcome)) return outcome;
    RETURN_IF_ERROR(RecordRefusalLocked(batch, events[i], outcome, received_at));
  }
  RETURN_IF_ERROR(stats_delta_->Apply(db_));
  if (!stats_as_of_.empty()) RETURN_IF_ERROR(SetStatsAsOf(db_, stats_as_of_));
  return AdvanceContiguousLocked(terminal_id, terminal.contiguous, events);
}

Result<uint64_t> ServerStore::Ingest(const std::string& terminal_id,
                                     const std::vector<wire::Event>& events) {
  IngestBatch batch;
  batch.terminal_id = terminal_id;
  batch.events = events;
  batch.checked =
      CheckEvents(events, terminal_id, HybridClock::PhysicalNowMs(*clock_));  // before the lock
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  ASSIGN_OR_RETURN(uint64_t acked, IngestBatchLocked(batch));
  RETURN_IF_ERROR(tx.Commit());
  CheckpointAfterErasureLocked();
  return acked;
}

void ServerStore::IngestGroup(std::vector<IngestBatch>& batches) {
  std::lock_guard lock(mu_);
  Result<Transaction> tx = Transaction::Begin(db_);
  if (!tx.ok()) {
    for (IngestBatch& b : batches) b.acked = tx.status();
    return;
  }
  for (IngestBatch& b : batches) {
    Status opened = db_.Exec("SAVEPOINT ingest_batch");
    if (!opened.ok()) {
      b.acked = opened;
      continue;
    }
    b.acked = IngestBatchLocked(b);
    // A failed batch leaves nothing behind; the others go on.
    Status closed = b.acked.ok() ? db_.Exec("RELEASE ingest_batch")
                                 : db_.Exec("ROLLBACK TO ingest_batch; RELEASE ingest_batch");
    if (!closed.ok()) {
      // The savepoint could not be closed: give up the whole group (the transaction rolls back).
      for (IngestBatch& all : batches) all.acked = closed;
      return;
    }
  }
  // Acknowledgements only after the one durable commit.
  Status committed = tx->Commit();
  if (!committed.ok()) {
    for (IngestBatch& b : batches) {
      if (b.acked.ok()) b.acked = committed;
    }
  }
  CheckpointAfterErasureLocked();
}

}  // namespace onecard::server
