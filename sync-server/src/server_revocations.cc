// ServerStore: the revocation list — revoked card serials (from terminals' "card.revoke" events)
// and revoked terminals — and its delivery to every terminal through pull (sync.md, card.md).
//
// Revocations take their numbers from the change sequence of children.change_seq, so one pull
// cursor orders both: a terminal that applied a page has every revocation numbered up to its
// next_cursor. Revocations are not scoped by area: a card or a terminal's signature can turn up
// anywhere.

#include "change_seq.h"
#include "onecard/protocol/card_serial.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/server/server_store.h"
#include "stats_cube.h"

namespace onecard::server {
namespace {

using schema::Statement;

constexpr size_t kMaxReasonBytes = 500;

Status BadRevocation(uint64_t seq, const std::string& zh, const std::string& en) {
  return Status(ErrorCode::kInvalidArgument,
                Tr("事件 " + std::to_string(seq) + "（吊销卡）" + zh,
                   "event " + std::to_string(seq) + " (card.revoke) " + en));
}

}  // namespace

Result<int64_t> ServerStore::NextChangeSeqLocked() { return NextChangeSeq(db_); }  // change_seq.h

Status ServerStore::IngestCardRevocationLocked(const TerminalIngestState& terminal,
                                               const wire::Event& event,
                                               const CheckedEvent& checked) {
  const std::string& terminal_id = event.terminal_id();
  if (event.seq() == 0) return BadRevocation(event.seq(), "没有序号", "has no sequence number");
  const CardRevokeEvent& revoke = std::get<CardRevokeEvent>(*checked.body);
  if (!IsCardSerialText(revoke.serial)) {
    return BadRevocation(event.seq(), "的卡号格式错误", "has a malformed serial");
  }
  if (revoke.child_id != event.child_id() || revoke.reason.size() > kMaxReasonBytes) {
    return BadRevocation(event.seq(), "的内容格式错误", "has a malformed payload");
  }

  // Who may revoke a child's card: as who may change the child (sync.md).
  if (!revoke.child_id.empty()) RETURN_IF_ERROR(CheckMayChangeChildLocked(terminal, event));

  ASSIGN_OR_RETURN(bool stored,
                   StoreEventLocked(terminal_id, event, checked, UtcNowIso8601(*clock_)));
  if (!stored) return Status::Ok();  // a replay

  // The first revocation of a serial stands; a second one (another terminal, later) adds nothing.
  ASSIGN_OR_RETURN(int64_t change_seq, NextChangeSeqLocked());
  // The HLC's physical part is the revoking terminal's clock in Unix milliseconds.
  const auto revoked_at_ms = static_cast<int64_t>(event.hlc() >> 16);
  ASSIGN_OR_RETURN(Statement rev,
                   db_.Prepare("INSERT OR IGNORE INTO revocations(change_seq, kind, subject, "
                               "child_id, reason, revoked_at_ms, revoked_by) "
                               "VALUES (?, 'card', ?, ?, ?, ?, ?)"));
  RETURN_IF_ERROR(rev.Bind(1, change_seq)
                      .Bind(2, revoke.serial)
                      .Bind(3, revoke.child_id)
                      .Bind(4, revoke.reason)
                      .Bind(5, revoked_at_ms)
                      .Bind(6, terminal_id)
                      .Run());
  // The card dimension counts a revoked card as none: the child is profiled again.
  if (revoke.child_id.empty()) return Status::Ok();
  return ProfileAgainLater(db_, revoke.child_id, *stats_delta_);
}

Status ServerStore::RecordTerminalRevocationLocked(const std::string& terminal_id) {
  ASSIGN_OR_RETURN(int64_t change_seq, NextChangeSeqLocked());
  ASSIGN_OR_RETURN(
      Statement st,
      db_.Prepare("INSERT OR IGNORE INTO revocations(change_seq, kind, subject, revoked_at_ms) "
                  "SELECT ?, 'terminal', terminal_id, unixepoch(revoked_at) * 1000 FROM terminals "
                  "WHERE terminal_id = ? AND revoked_at IS NOT NULL"));
  return st.Bind(1, change_seq).Bind(2, terminal_id).Run();
}

Status ServerStore::LoadRevocationsLocked(uint64_t cursor, uint32_t limit,
                                          std::vector<PullItem>& items) {
  ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT change_seq, kind, subject, child_id, reason, "
                                             "revoked_at_ms, revoked_by FROM revocations "
                                             "WHERE change_seq > ? ORDER BY change_seq LIMIT ?"));
  st.Bind(1, static_cast<int64_t>(cursor)).Bind(2, static_cast<int64_t>(limit));
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& row) {
    if (row.ColumnText(1) == "card") {
      wire::RevokedCard card;
      card.set_serial(row.ColumnText(2));
      card.set_child_id(row.ColumnText(3));
      card.set_reason(row.ColumnText(4));
      card.set_revoked_at_ms(row.ColumnInt(5));
      card.set_revoked_by(row.ColumnText(6));
      items.push_back(
          {row.ColumnInt(0), [card](wire::PullPage& page) { *page.add_revoked_cards() = card; }});
    } else {
      wire::RevokedTerminal terminal;
      terminal.set_terminal_id(row.ColumnText(2));
      terminal.set_revoked_at_ms(row.ColumnInt(5));
      items.push_back({row.ColumnInt(0), [terminal](wire::PullPage& page) {
                         *page.add_revoked_terminals() = terminal;
                       }});
    }
  }));
  return Status::Ok();
}

}  // namespace onecard::server
