// CardRepository: the card lifecycle beyond issue and update — revoking a lost card, recording a
// replacement — and the revocation list (revoked card serials and terminals) that every card read
// is checked against. The list grows from this terminal's own revocations and from sync (PullPage
// revoked_cards / revoked_terminals). Format and rules: protocol/docs/card.md, "Lifecycle".
#include "onecard/protocol/card_serial.h"
#include "onecard/protocol/event_types.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/terminal/card_repository.h"
#include "onecard/terminal/children_repository.h"
#include "onecard/terminal/outbox.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using schema::Statement;
using schema::Transaction;

constexpr size_t kMaxReasonBytes = 500;

std::string TimeText(int64_t unix_ms) { return UtcIso8601(unix_ms / 1000); }

Status CheckReason(const std::string& reason) {
  if (reason.size() > kMaxReasonBytes) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("原因太长（最多 500 字节）", "the reason is too long (at most 500 bytes)"));
  }
  return Status::Ok();
}

Result<std::string> SerialArgument(const std::string& text) {
  std::optional<std::string> serial = NormalizeCardSerial(text);
  if (!serial) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("卡号格式错误：" + text + "（应为 16 位十六进制数字）",
                     "malformed card serial: " + text + " (expected 16 hex digits)"));
  }
  return *serial;
}

}  // namespace

Result<std::optional<CardRevocation>> CardRepository::FindRevocation(const std::string& serial) {
  ASSIGN_OR_RETURN(Statement st,
                   unit_.db().Prepare("SELECT serial, child_id, reason, revoked_at_ms, "
                                      "revoked_by FROM revoked_cards WHERE serial = ?"));
  st.Bind(1, serial);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<CardRevocation>();
  return std::optional<CardRevocation>(CardRevocation{
      st.ColumnText(0), st.ColumnText(1), st.ColumnText(2), st.ColumnInt(3), st.ColumnText(4)});
}

// Inside the caller's transaction: the event, the local list entry and the audit entry.
Status CardRepository::RevokeLocked(const std::string& serial, const std::string& child_id,
                                    const std::string& reason) {
  ASSIGN_OR_RETURN(
      Stamp event,
      Outbox(unit_).Append(event_type::kCardRevoke, child_id,
                           {{"serial", serial}, {"child_id", child_id}, {"reason", reason}}));
  const auto revoked_at_ms = static_cast<int64_t>(event.hlc >> 16);  // as the server sees it
  ASSIGN_OR_RETURN(Statement st,
                   unit_.db().Prepare("INSERT INTO revoked_cards(serial, child_id, reason, "
                                      "revoked_at_ms, revoked_by) VALUES (?, ?, ?, ?, ?)"));
  RETURN_IF_ERROR(st.Bind(1, serial)
                      .Bind(2, child_id)
                      .Bind(3, reason)
                      .Bind(4, revoked_at_ms)
                      .Bind(5, unit_.terminal_id())
                      .Run());
  return unit_.Audit("card.revoke", child_id, {{"serial", serial}, {"reason", reason}});
}

Status CardRepository::Revoke(const std::string& serial_text, const std::string& reason) {
  ASSIGN_OR_RETURN(std::string serial, SerialArgument(serial_text));
  RETURN_IF_ERROR(CheckReason(reason));
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(std::optional<CardRevocation> known, FindRevocation(serial));
  if (known) {
    return Status(
        ErrorCode::kAlreadyExists,
        Tr("卡 " + serial + " 已于 " + TimeText(known->revoked_at_ms) + " 吊销",
           "card " + serial + " was already revoked on " + TimeText(known->revoked_at_ms)));
  }
  // The child whose current record names this card, when this terminal knows it.
  ASSIGN_OR_RETURN(Statement find,
                   unit_.db().Prepare("SELECT child_id FROM children WHERE json_extract(state, "
                                      "'$.fields.card_serial.v') = ? ORDER BY child_id LIMIT 1"));
  find.Bind(1, serial);
  ASSIGN_OR_RETURN(bool row, find.Step());
  std::string child_id = row ? find.ColumnText(0) : "";
  RETURN_IF_ERROR(RevokeLocked(serial, child_id, reason));
  return tx.Commit();
}

Status CardRepository::RecordReplacement(const std::string& child_id, const std::string& old_serial,
                                         const std::string& new_serial, const std::string& reason) {
  RETURN_IF_ERROR(CheckReason(reason));
  if (!IsCardSerialText(new_serial) || (!old_serial.empty() && !IsCardSerialText(old_serial))) {
    return Status(ErrorCode::kInvalidArgument, Tr("卡号格式错误", "malformed card serial"));
  }
  ChildrenRepository children(unit_);
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(ChildState state, children.LoadKnown(child_id));
  RETURN_IF_ERROR(children.RecordChange(state, json{{"card_serial", new_serial}}));
  if (!old_serial.empty() && old_serial != new_serial) {
    ASSIGN_OR_RETURN(std::optional<CardRevocation> known, FindRevocation(old_serial));
    if (!known) {
      std::string why = reason.empty() ? "replaced by " + new_serial
                                       : reason + " (replaced by " + new_serial + ")";
      RETURN_IF_ERROR(RevokeLocked(old_serial, child_id, why));
    }
  }
  RETURN_IF_ERROR(
      unit_.Audit("card.replace", child_id, {{"old_serial", old_serial}, {"serial", new_serial}}));
  return tx.Commit();
}

Status CardRepository::CheckNotRevoked(const CardContents& card) {
  ASSIGN_OR_RETURN(std::optional<CardRevocation> revoked, FindRevocation(card.serial));
  Status refusal;
  std::string why;
  if (revoked) {
    std::string when = TimeText(revoked->revoked_at_ms);
    std::string reason_zh = revoked->reason.empty() ? "" : "（" + revoked->reason + "）";
    std::string reason_en = revoked->reason.empty() ? "" : " (" + revoked->reason + ")";
    refusal = Status(ErrorCode::kPermissionDenied,
                     Tr("卡 " + card.serial + " 已于 " + when + " 被吊销或补办新卡" + reason_zh +
                            "，不予采用，未导入任何数据",
                        "card " + card.serial + " was revoked or replaced on " + when + reason_en +
                            "; it is refused and nothing was imported"));
    why = "card revoked";
  } else {
    ASSIGN_OR_RETURN(
        Statement st,
        unit_.db().Prepare("SELECT revoked_at_ms FROM revoked_terminals WHERE terminal_id = ?"));
    st.Bind(1, card.signer_terminal_id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    // Seconds on the card against milliseconds in the list: a record written in the second of the
    // revocation itself still counts as before it.
    if (row && card.written_unix * 1000 > st.ColumnInt(0)) {
      std::string written = UtcIso8601(card.written_unix), when = TimeText(st.ColumnInt(0));
      refusal =
          Status(ErrorCode::kPermissionDenied,
                 Tr("卡上的记录由终端 " + card.signer_terminal_id + " 于 " + written +
                        " 签发，而该终端已于 " + when + " 被吊销，不予采用，未导入任何数据",
                    "the record on the card was signed by terminal " + card.signer_terminal_id +
                        " on " + written + ", after that terminal was revoked on " + when +
                        "; it is refused and nothing was imported"));
      why = "signer revoked";
    }
  }
  if (refusal.ok()) return refusal;
  RETURN_IF_ERROR(unit_.AuditAlone(
      "card.read.refused", card.child.value("child_id", ""),
      {{"serial", card.serial}, {"signer", card.signer_terminal_id}, {"why", why}}));
  return refusal;
}

Status CardRepository::ApplyPulled(const wire::PullPage& page) {
  if (page.revoked_cards_size() > 0) {
    ASSIGN_OR_RETURN(
        Statement st,
        unit_.db().Prepare(
            "INSERT INTO revoked_cards(serial, child_id, reason, revoked_at_ms, "
            "revoked_by) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(serial) DO UPDATE SET child_id = excluded.child_id, reason = "
            "excluded.reason, "
            "revoked_at_ms = excluded.revoked_at_ms, revoked_by = excluded.revoked_by"));
    for (const auto& card : page.revoked_cards()) {  // passed CheckPulledRevokedCard
      RETURN_IF_ERROR(st.Reset());
      RETURN_IF_ERROR(st.Bind(1, card.serial())
                          .Bind(2, card.child_id())
                          .Bind(3, card.reason())
                          .Bind(4, card.revoked_at_ms())
                          .Bind(5, card.revoked_by())
                          .Run());
    }
  }
  if (page.revoked_terminals_size() > 0) {
    ASSIGN_OR_RETURN(
        Statement st,
        unit_.db().Prepare(
            "INSERT INTO revoked_terminals(terminal_id, revoked_at_ms) VALUES (?, ?) "
            "ON CONFLICT(terminal_id) DO UPDATE SET revoked_at_ms = excluded.revoked_at_ms"));
    for (const auto& terminal : page.revoked_terminals()) {  // passed CheckPulledRevokedTerminal
      RETURN_IF_ERROR(st.Reset());
      RETURN_IF_ERROR(st.Bind(1, terminal.terminal_id()).Bind(2, terminal.revoked_at_ms()).Run());
    }
  }
  return Status::Ok();
}

}  // namespace onecard::terminal
