// What the terminal's store keeps about cards (protocol/docs/card.md, "Lifecycle"): the card last
// read of each child (table `card_proofs`, shown to the server as proof), the audit of card reads
// and writes, and the revocation list (revoked card serials and terminals) that every card read is
// checked against. The list grows from this terminal's own revocations and from sync. The card
// operations themselves (card_service.h) are not here: this repository takes their results.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "onecard/protocol/status.h"
#include "onecard/terminal/card_contents.h"
#include "onecard/terminal/unit_of_work.h"
#include "sync.pb.h"

namespace onecard::terminal {

struct CardRevocation {
  std::string serial;
  std::string child_id;  // "" when the revoking terminal did not know the child
  std::string reason;
  int64_t revoked_at_ms = 0;
  std::string revoked_by;  // terminal_id
};

class CardRepository {
 public:
  explicit CardRepository(UnitOfWork& unit) : unit_(unit) {}

  // A verified card was read (card_repository.cc). An unknown child is imported (an event stamped
  // with the card's record stamp, so that newer changes elsewhere still win). Returns true when
  // imported. A revoked card imports nothing (CheckNotRevoked).
  Result<bool> RecordRead(const CardContents& card);
  // Audits a card operation (`action`: card.issue, card.update, card.read.closed) for a child.
  Status AuditWrite(const std::string& action, const std::string& child_id,
                    const std::string& serial);

  // The revocation list (card_revocations.cc).
  // Revokes a card serial (typed by a person: 16 hex digits, case and blanks ignored): a
  // card.revoke event for the server, the serial in this terminal's list, an audit entry, in one
  // transaction. The child is the one whose record names this serial here (may be unknown).
  // kInvalidArgument for a malformed serial or a reason over 500 bytes; kAlreadyExists when
  // revoked.
  Status Revoke(const std::string& serial, const std::string& reason);
  // After a new card `new_serial` was written for `child_id`: sets the child's card_serial (an
  // update event) and revokes `old_serial` unless it is empty or already revoked, in one
  // transaction.
  Status RecordReplacement(const std::string& child_id, const std::string& old_serial,
                           const std::string& new_serial, const std::string& reason);
  // OK, or kPermissionDenied (audited, message with the date) when the card's serial is revoked or
  // its record was signed by a revoked terminal after that terminal's revocation time.
  Status CheckNotRevoked(const CardContents& card);
  Result<std::optional<CardRevocation>> FindRevocation(const std::string& serial);
  // Inside the pull's transaction: the page's revoked cards and terminals (checked, pull_checks.h)
  // replace this terminal's entries; the server's list is authoritative.
  Status ApplyPulled(const wire::PullPage& page);

 private:
  // Keeps the card just read as the child's card proof, replacing an older one.
  Status SaveProof(const std::string& child_id, const CardContents& card);
  // Inside the caller's transaction: the event, the local list entry and the audit entry.
  Status RevokeLocked(const std::string& serial, const std::string& child_id,
                      const std::string& reason);

  UnitOfWork& unit_;
};

}  // namespace onecard::terminal
