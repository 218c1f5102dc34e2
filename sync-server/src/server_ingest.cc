// ServerStore: ingest of terminals' events (SyncStore::Ingest and the group commit IngestGroup).
//
// Cost per event is what limits sync throughput (docs/performance.md, "Sync (issue 5)"), so the
// statements are prepared once per store (CachedLocked), the change sequence is read once per
// batch (next_change_seq_), IngestGroup makes many terminals' batches durable with one commit, and
// the payloads arrive parsed (IngestBatch::upserts, parsed_upsert.h).
#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "onecard/protocol/child_state.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/server/server_store.h"

namespace onecard::server {
namespace {

using nlohmann::json;
using schema::Statement;
using schema::Transaction;

Status Invalid(const std::string& zh, const std::string& en) { return Status(ErrorCode::kInvalidArgument, Tr(zh, en)); }

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
                                           const std::string& received_at) {
  ASSIGN_OR_RETURN(Statement * ins, CachedLocked("INSERT OR IGNORE INTO events(terminal_id, seq, hlc, type, child_id, "
                                                 "payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  RETURN_IF_ERROR(ins->Bind(1, terminal_id)
                      .Bind(2, static_cast<int64_t>(event.seq()))
                      .Bind(3, static_cast<int64_t>(event.hlc()))
                      .Bind(4, event.type())
                      .Bind(5, event.child_id())
                      .Bind(6, event.payload())
                      .Bind(7, received_at)
                      .Run());
  return db_.Changes() > 0;
}

Result<bool> ServerStore::EventStoredLocked(const std::string& terminal_id, uint64_t seq) {
  ASSIGN_OR_RETURN(Statement * seen, CachedLocked("SELECT 1 FROM events WHERE terminal_id = ? AND seq = ?"));
  seen->Bind(1, terminal_id).Bind(2, static_cast<int64_t>(seq));
  ASSIGN_OR_RETURN(bool stored, seen->Step());
  RETURN_IF_ERROR(seen->Reset());  // no statement stays active between calls
  return stored;
}

Status ServerStore::IngestOne(const std::string& terminal_id, const wire::Event& event,
                              Result<ParsedUpsert>& upsert, const std::string& received_at) {
  if (event.terminal_id() != terminal_id) {
    return Invalid("事件来自其他终端：" + event.terminal_id(), "event belongs to another terminal: " + event.terminal_id());
  }
  if (event.type() == "card.revoke") {
    RETURN_IF_ERROR(IngestCardRevocationLocked(terminal_id, event));
    // The revocation may have taken a number of the change sequence.
    ASSIGN_OR_RETURN(next_change_seq_, NextChangeSeqLocked());
    return Status::Ok();
  }
  if (event.type() == "referral.create" || event.type() == "referral.status") {
    return IngestReferralLocked(terminal_id, event, received_at);  // server_referrals.cc
  }
  if (event.type() == "identity.decision") {
    return IngestIdentityDecisionLocked(terminal_id, event, received_at);  // server_identity_sync.cc
  }
  if (event.seq() == 0 || event.child_id().empty() || event.type() != "child.upsert") {
    return Invalid("事件 " + std::to_string(event.seq()) + " 格式错误", "event " + std::to_string(event.seq()) + " is malformed");
  }
  if (!upsert.ok()) return upsert.status();  // parsed_upsert.cc: the payload is malformed

  ASSIGN_OR_RETURN(bool new_event, StoreEventLocked(terminal_id, event, received_at));
  if (!new_event) return Status::Ok();  // already stored: replays do nothing

  ChildState state(event.child_id());
  ASSIGN_OR_RETURN(Statement * get, CachedLocked("SELECT state FROM children WHERE child_id = ?"));
  get->Bind(1, event.child_id());
  ASSIGN_OR_RETURN(bool exists, get->Step());
  if (exists) {
    json stored = json::parse(get->ColumnText(0), nullptr, false);
    ASSIGN_OR_RETURN(state, ChildState::FromJson(stored));
  }
  RETURN_IF_ERROR(get->Reset());  // no statement stays active between calls
  // Merge semantics (protocol/docs/merge.md): the payload's fields, bases and dose changes.
  bool changed = state.ApplyChange(std::move(upsert->change), upsert->stamp);
  if (!changed && exists) return Status::Ok();

  ASSIGN_OR_RETURN(Statement * up, CachedLocked(
      "INSERT INTO children(child_id, state, residence_area, hukou_area, category, sex, birth_date, change_seq, conflicted) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(child_id) DO UPDATE SET state = excluded.state, "
      "residence_area = excluded.residence_area, hukou_area = excluded.hukou_area, category = excluded.category, "
      "sex = excluded.sex, birth_date = excluded.birth_date, change_seq = excluded.change_seq, conflicted = excluded.conflicted"));
  return up->Bind(1, event.child_id()).Bind(2, state.ToJsonText())
      .Bind(3, FieldText(state, "residence_area")).Bind(4, FieldText(state, "hukou_area"))
      .Bind(5, FieldText(state, "category")).Bind(6, FieldText(state, "sex"))
      .Bind(7, FieldText(state, "birth_date")).Bind(8, next_change_seq_++).Bind(9, int64_t{state.HasConflicts() ? 1 : 0}).Run();
}

Result<uint64_t> ServerStore::IngestBatchLocked(IngestBatch& batch) {
  const std::string& terminal_id = batch.terminal_id;
  const std::vector<wire::Event>& events = batch.events;
  if (batch.upserts.size() != events.size()) batch.upserts = ParseUpserts(events);
  ASSIGN_OR_RETURN(Statement * cur, CachedLocked("SELECT contiguous_seq FROM terminals WHERE terminal_id = ?"));
  cur->Bind(1, terminal_id);
  ASSIGN_OR_RETURN(bool known, cur->Step());
  if (!known) return Status(ErrorCode::kPermissionDenied, Tr("未注册的终端 " + terminal_id, "terminal not enrolled: " + terminal_id));
  int64_t contiguous = cur->ColumnInt(0);
  RETURN_IF_ERROR(cur->Reset());

  // Read under the transaction's write lock: numbers taken by another process (e.g. a revocation
  // by `onecard-server revoke`) are seen.
  ASSIGN_OR_RETURN(next_change_seq_, NextChangeSeqLocked());
  const std::string received_at = UtcNowIso8601();
  for (size_t i = 0; i < events.size(); ++i) RETURN_IF_ERROR(IngestOne(terminal_id, events[i], batch.upserts[i], received_at));

  // Advance the terminal's gap-free high-water mark: first through this batch's seqs (all of them
  // are stored now), without a query each; then by probing the store for seqs beyond, stored by an
  // earlier batch that arrived ahead of a gap (usually one probe that finds nothing).
  std::vector<uint64_t> seqs;
  seqs.reserve(events.size());
  for (const auto& event : events) seqs.push_back(event.seq());
  std::sort(seqs.begin(), seqs.end());
  for (uint64_t seq : seqs) {
    if (seq == static_cast<uint64_t>(contiguous) + 1) {
      ++contiguous;
    } else if (seq > static_cast<uint64_t>(contiguous) + 1) {
      break;
    }
  }
  while (true) {
    ASSIGN_OR_RETURN(bool stored, EventStoredLocked(terminal_id, static_cast<uint64_t>(contiguous) + 1));
    if (!stored) break;
    ++contiguous;
  }
  ASSIGN_OR_RETURN(Statement * save, CachedLocked("UPDATE terminals SET contiguous_seq = ? WHERE terminal_id = ?"));
  RETURN_IF_ERROR(save->Bind(1, contiguous).Bind(2, terminal_id).Run());
  return static_cast<uint64_t>(contiguous);
}

Result<uint64_t> ServerStore::Ingest(const std::string& terminal_id, const std::vector<wire::Event>& events) {
  IngestBatch batch{terminal_id, events, ParseUpserts(events)};  // parsed before taking the lock
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  ASSIGN_OR_RETURN(uint64_t acked, IngestBatchLocked(batch));
  RETURN_IF_ERROR(tx.Commit());
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
}

}  // namespace onecard::server
