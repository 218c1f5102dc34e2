// ServerStore: erasure of a child's personal data (PRODUCT.md section 13, docs/data-protection.md,
// protocol/docs/sync.md "Erasure"), asked for by an administrator (`onecard-server erase`) or by a
// terminal's "child.erase" event, and its delivery to every terminal through pull.
//
// What an erasure removes and what it keeps: migration 019. The numbers it takes from the change
// sequence are taken before the child's row is deleted, so that they are greater than the number
// the child last had: a terminal that pulled the child also pulls its erasure.

#include <nlohmann/json.hpp>

#include "change_seq.h"
#include "identity_index.h"
#include "identity_refresh_step.h"
#include "onecard/protocol/child_state.h"
#include "onecard/protocol/erasure.h"
#include "onecard/protocol/event_types.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/sync_event.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/server/server_store.h"
#include "own_child_id.h"
#include "stats_cube.h"
#include "stored_values.h"

namespace onecard::server {
namespace {

using schema::Statement;
using schema::Transaction;

constexpr size_t kMaxStaffNameBytes = 100;

struct ErasureRow {
  std::string reason;
  int64_t erased_at_ms = 0;
};

Result<std::optional<ErasureRow>> FindErasure(Statement& lookup, const std::string& child_id) {
  RETURN_IF_ERROR(lookup.Reset());
  ASSIGN_OR_RETURN(bool row, lookup.Bind(1, child_id).Step());
  std::optional<ErasureRow> found;
  if (row) found = ErasureRow{lookup.ColumnText(0), lookup.ColumnInt(1)};
  RETURN_IF_ERROR(lookup.Reset());  // no statement stays active between calls
  return found;
}

constexpr std::string_view kFindErasureSql =
    "SELECT reason, erased_at_ms FROM erasures WHERE child_id = ?";

// "2026-12-07T08:00:00Z" of Unix milliseconds.
std::string ErasedAtText(int64_t ms) { return UtcIso8601(ms / 1000); }

Status ErasedChild(const std::string& child_id, const ErasureRow& erasure, ErrorCode code) {
  const std::string at = ErasedAtText(erasure.erased_at_ms);
  const std::string why = ErasureReasonText(erasure.reason);
  return Status(code, Tr("儿童 " + child_id + " 的个人数据已于 " + at + " 删除（" + why +
                             "），不再接受有关该儿童的变更",
                         "child " + child_id + " was erased at " + at + " (" + why +
                             "); nothing about the child is accepted any more"));
}

Status BadErasure(const wire::Event& event, const std::string& zh, const std::string& en) {
  const std::string seq = std::to_string(event.seq());
  return Status(ErrorCode::kInvalidArgument,
                Tr("事件 " + seq + "（删除儿童）" + zh, "event " + seq + " (child.erase) " + en));
}

Status RunWithChild(schema::Database& db, std::string_view sql, const std::string& child_id) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare(sql));
  return st.Bind(1, child_id).Run();
}

// The review pairs terminals were sent with the child's summary: sent again as removed, without it.
Status WithdrawReviewPairs(schema::Database& db, const std::string& child_id) {
  ASSIGN_OR_RETURN(Statement pairs,
                   db.Prepare("SELECT a, b FROM identity_review_sync WHERE (a = ?1 "
                              "OR b = ?1) AND removed = 0"));
  std::vector<std::pair<std::string, std::string>> found;
  RETURN_IF_ERROR(pairs.Bind(1, child_id).ForEachRow([&found](const Statement& row) {
    found.emplace_back(row.ColumnText(0), row.ColumnText(1));
  }));
  ASSIGN_OR_RETURN(Statement withdraw,
                   db.Prepare("UPDATE identity_review_sync SET records = '[]', removed = 1, "
                              "change_seq = ? WHERE a = ? AND b = ?"));
  for (const auto& [a, b] : found) {
    ASSIGN_OR_RETURN(int64_t seq, NextChangeSeq(db));
    RETURN_IF_ERROR(withdraw.Reset());
    RETURN_IF_ERROR(withdraw.Bind(1, seq).Bind(2, a).Bind(3, b).Run());
  }
  // Pairs already removed keep an empty summary ('[]') since they were removed.
  return RunWithChild(db,
                      "UPDATE identity_review_sync SET records = '[]' WHERE (a = ?1 OR b = ?1) "
                      "AND records != '[]'",
                      child_id);
}

}  // namespace

Status ServerStore::EraseChildLocked(const std::string& child_id, std::string_view reason,
                                     const std::string& by, int64_t erased_at_ms,
                                     StatsDelta& delta) {
  ASSIGN_OR_RETURN(Statement * lookup, CachedLocked(kFindErasureSql));
  ASSIGN_OR_RETURN(std::optional<ErasureRow> before, FindErasure(*lookup, child_id));
  if (before) return Status::Ok();
  ASSIGN_OR_RETURN(Statement child, db_.Prepare("SELECT state FROM children WHERE child_id = ?"));
  ASSIGN_OR_RETURN(bool exists, child.Bind(1, child_id).Step());
  const std::string serial = exists ? StoredCardSerial(child.ColumnText(0)) : "";
  RETURN_IF_ERROR(child.Reset());

  // 1. What terminals are told, numbered before the child's row goes (see the top).
  if (!serial.empty()) {
    ASSIGN_OR_RETURN(int64_t seq, NextChangeSeq(db_));
    ASSIGN_OR_RETURN(Statement revoke,
                     db_.Prepare("INSERT OR IGNORE INTO revocations(change_seq, kind, subject, "
                                 "child_id, reason, revoked_at_ms, revoked_by) VALUES (?, 'card', "
                                 "?, ?, 'erased', ?, ?)"));
    RETURN_IF_ERROR(revoke.Bind(1, seq)
                        .Bind(2, serial)
                        .Bind(3, child_id)
                        .Bind(4, erased_at_ms)
                        .Bind(5, by)
                        .Run());
  }
  RETURN_IF_ERROR(WithdrawReviewPairs(db_, child_id));
  ASSIGN_OR_RETURN(int64_t seq, NextChangeSeq(db_));
  ASSIGN_OR_RETURN(Statement record,
                   db_.Prepare("INSERT INTO erasures(child_id, change_seq, reason, erased_at_ms, "
                               "erased_by) VALUES (?, ?, ?, ?, ?)"));
  RETURN_IF_ERROR(record.Bind(1, child_id)
                      .Bind(2, seq)
                      .Bind(3, std::string(reason))
                      .Bind(4, erased_at_ms)
                      .Bind(5, by)
                      .Run());

  // 2. The child's data. The statistics count it out first (they read its row).
  RETURN_IF_ERROR(ProfileAgainLater(db_, child_id, delta));
  for (std::string_view sql : {
           "DELETE FROM children WHERE child_id = ?",
           "UPDATE events SET payload = '{}' WHERE child_id = ? AND type != 'child.erase'",
           "DELETE FROM moves WHERE child_id = ?",
           "UPDATE referrals SET reason = '', outcome = '' WHERE child_id = ?",
       }) {
    RETURN_IF_ERROR(RunWithChild(db_, sql, child_id));
  }
  // The identity index takes the record out of its part at the next refresh step, then deletes it
  // (identity_refresh_step.cc).
  ASSIGN_OR_RETURN(Statement identity, db_.Prepare("UPDATE identity_records SET fields = ?, "
                                                   "dirty = 1 WHERE child_id = ?"));
  RETURN_IF_ERROR(identity.Bind(1, std::string(kErasedIdentityFields)).Bind(2, child_id).Run());
  RETURN_IF_ERROR(MarkIdentityGroupingStale(db_));
  erased_since_checkpoint_ = true;
  return Status::Ok();
}

Status ServerStore::EraseChild(const ErasureRequest& request) {
  RETURN_IF_ERROR(CheckGivenErasureReason(request.reason));
  if (request.by.empty() || request.by.size() > kMaxStaffNameBytes) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("请指明删除数据的管理员", "name the administrator who erases"));
  }
  std::lock_guard lock(mu_);
  {
    ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
    ASSIGN_OR_RETURN(Statement * lookup, CachedLocked(kFindErasureSql));
    ASSIGN_OR_RETURN(std::optional<ErasureRow> before, FindErasure(*lookup, request.child_id));
    if (before) return ErasedChild(request.child_id, *before, ErrorCode::kAlreadyExists);
    ASSIGN_OR_RETURN(Statement known, db_.Prepare("SELECT 1 FROM children WHERE child_id = ?"));
    ASSIGN_OR_RETURN(bool exists, known.Bind(1, request.child_id).Step());
    if (!exists) {
      return Status(ErrorCode::kNotFound, Tr("服务器上没有儿童 " + request.child_id,
                                             "the server holds no child " + request.child_id));
    }
    RETURN_IF_ERROR(known.Reset());
    StatsDelta delta;
    const auto now_ms = clock_->WallMs();
    RETURN_IF_ERROR(EraseChildLocked(request.child_id, request.reason, request.by, now_ms, delta));
    RETURN_IF_ERROR(delta.Apply(db_));
    RETURN_IF_ERROR(tx.Commit());
  }
  CheckpointAfterErasureLocked();
  return Status::Ok();
}

Status ServerStore::IngestChildEraseLocked(const TerminalIngestState& terminal,
                                           const wire::Event& event, const CheckedEvent& checked,
                                           const std::string& received_at) {
  const ChildEraseEvent& erase = std::get<ChildEraseEvent>(*checked.body);
  const std::string& child_id = event.child_id();
  if (child_id.empty()) return BadErasure(event, "没有儿童编号", "names no child");
  if (Status reason = CheckGivenErasureReason(erase.reason); !reason.ok()) {
    return BadErasure(event, "：" + reason.message(), ": " + reason.message());
  }
  if (erase.by.empty() || erase.by.size() > kMaxStaffNameBytes) {
    return BadErasure(event, "缺少删除数据的工作人员（by）", "lacks the erasing staff member (by)");
  }
  ASSIGN_OR_RETURN(Statement * lookup, CachedLocked(kFindErasureSql));
  ASSIGN_OR_RETURN(std::optional<ErasureRow> before, FindErasure(*lookup, child_id));
  if (!before) {
    // Who may erase: as who may change the child. A child the server never held may be erased
    // only by the terminal that numbered it (registered and erased before it was synced).
    ASSIGN_OR_RETURN(Statement * known, CachedLocked("SELECT 1 FROM children WHERE child_id = ?"));
    ASSIGN_OR_RETURN(bool exists, known->Bind(1, child_id).Step());
    RETURN_IF_ERROR(known->Reset());
    if (!exists && !IsOwnChildId(child_id, event.terminal_id())) {
      return Status(
          ErrorCode::kNotFound,
          Tr("事件 " + std::to_string(event.seq()) + "：服务器上没有儿童 " + child_id,
             "event " + std::to_string(event.seq()) + ": the server holds no child " + child_id));
    }
    RETURN_IF_ERROR(CheckMayChangeChildLocked(terminal, event));
  }
  ASSIGN_OR_RETURN(bool stored, StoreEventLocked(event.terminal_id(), event, checked, received_at));
  if (!stored) return Status::Ok();  // a replay
  // The HLC's physical part is the erasing terminal's clock in Unix milliseconds.
  const auto erased_at_ms = static_cast<int64_t>(event.hlc() >> 16);
  RETURN_IF_ERROR(EraseChildLocked(child_id, erase.reason, erase.by + " @ " + event.terminal_id(),
                                   erased_at_ms, *stats_delta_));
  // The erasure took numbers of the change sequence.
  ASSIGN_OR_RETURN(next_change_seq_, NextChangeSeqLocked());
  return Status::Ok();
}

Status ServerStore::RefuseIfErasedLocked(const wire::Event& event, const CheckedEvent& checked) {
  const std::string_view type = EventTypeOf(event);
  if (type == event_type::kCardRevoke || type == event_type::kChildErase) return Status::Ok();
  ASSIGN_OR_RETURN(Statement * lookup, CachedLocked(kFindErasureSql));
  std::vector<const std::string*> children = {&event.child_id()};
  if (checked.body && std::holds_alternative<IdentityDecisionEvent>(*checked.body))
    children.push_back(&std::get<IdentityDecisionEvent>(*checked.body).b);
  for (const std::string* child : children) {
    if (child->empty()) continue;
    ASSIGN_OR_RETURN(std::optional<ErasureRow> erased, FindErasure(*lookup, *child));
    if (erased) return ErasedChild(*child, *erased, ErrorCode::kFailedPrecondition);
  }
  return Status::Ok();
}

void ServerStore::CheckpointAfterErasureLocked() {
  if (!erased_since_checkpoint_) return;
  // Columns: busy (1 when readers kept it from finishing), WAL frames, frames checkpointed.
  Result<Statement> st = db_.Prepare("PRAGMA wal_checkpoint(TRUNCATE)");
  if (!st.ok()) return;
  Result<bool> row = st->Step();
  if (row.ok() && *row && st->ColumnInt(0) == 0) erased_since_checkpoint_ = false;
}

Status ServerStore::LoadErasuresLocked(uint64_t cursor, uint32_t limit,
                                       std::vector<PullItem>& items) {
  ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT change_seq, child_id, reason, erased_at_ms "
                                             "FROM erasures WHERE change_seq > ? ORDER BY "
                                             "change_seq LIMIT ?"));
  st.Bind(1, static_cast<int64_t>(cursor)).Bind(2, static_cast<int64_t>(limit));
  return st.ForEachRow([&items](const Statement& row) {
    wire::ChildErasure erasure;
    erasure.set_child_id(row.ColumnText(1));
    erasure.set_reason(row.ColumnText(2));
    erasure.set_erased_at_ms(static_cast<uint64_t>(row.ColumnInt(3)));
    items.push_back({row.ColumnInt(0), [erasure = std::move(erasure)](wire::PullPage& page) {
                       *page.add_erasures() = erasure;
                     }});
  });
}

}  // namespace onecard::server
