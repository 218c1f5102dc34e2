// The terminal's encrypted store (SQLCipher 4, terminal.db in the data directory, keyed through
// keys.json): its enrolment, staff, children, the outbox of events waiting for the server, and the
// audit log. Every change is one transaction together with its outbox event and audit entry, so a
// crash leaves it before or after the change, never between.
//
// Thread-safety: one thread at a time (the CLI runs one command per process).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "onecard/platform/clock.h"
#include "onecard/protocol/child_state.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/hybrid_clock.h"
#include "onecard/protocol/referral.h"
#include "onecard/schema/database.h"
#include "onecard/terminal/audit_log.h"
#include "onecard/terminal/card_service.h"
#include "onecard/terminal/staff_roles.h"
#include "onecard/terminal/sync_client.h"

namespace onecard::terminal {

class TerminalStore : public SyncLocalStore {
 public:
  // Creates keys.json and terminal.db in `dir` from an enrolment bundle (docs/enrolment.md);
  // `user` becomes the first supervisor. Validates the bundle fully before writing anything.
  // `clock` stamps what the store writes (created_at, audit entries, event stamps); it must outlive
  // the store.
  static Status Initialize(const std::string& dir, const nlohmann::json& bundle,
                           const std::string& user, const std::string& passphrase,
                           const platform::Clock& clock = platform::SystemClock());
  // Opens the store as `user`. kUnauthenticated for a wrong user or passphrase (nothing touched).
  static Result<std::unique_ptr<TerminalStore>> Open(
      const std::string& dir, const std::string& user, const std::string& passphrase,
      const platform::Clock& clock = platform::SystemClock());

  const std::string& user() const { return user_; }
  const std::string& terminal_id() const { return terminal_id_; }
  // The clock the store was opened with (for the store's callers: "today", card stamps).
  const platform::Clock& clock() const { return *clock_; }
  // The acting staff member's role, from the staff table.
  StaffRole role() const { return role_; }
  Result<std::string> Meta(const std::string& key);

  // Staff (terminal_staff.cc). Checks that the acting member may perform `action` (the table in
  // staff_roles.h); a refusal is kPermissionDenied naming the action, and is itself audited.
  Status Authorize(StaffAction action);
  // Adds staff member `name` with `role` and a key slot for `passphrase` (at least 8 characters).
  // Supervisors only. kAlreadyExists when `name` is already staff here. Audited.
  Status AddStaff(const std::string& name, StaffRole role, const std::string& passphrase);
  // Changes the acting member's own passphrase by re-wrapping their key slot (the store is not
  // re-encrypted; other members' slots are untouched). Audited.
  Status ChangePassphrase(const std::string& new_passphrase);

  // Registers a child from a validated, normalised record (without child_id). Returns the child_id.
  Result<std::string> Register(const nlohmann::json& record);
  // Applies validated fields to a child. Returns the new record.
  Result<nlohmann::json> Update(const std::string& child_id, const nlohmann::json& fields);
  // The child's current record (an audited read). kNotFound when unknown here.
  Result<nlohmann::json> Show(const std::string& child_id);
  // The record without an audit entry, for commands that read in order to change (they audit the
  // change).
  Result<nlohmann::json> RecordOf(const std::string& child_id);
  // Children whose name contains `name` (Han characters, or toneless pinyin in Latin letters from
  // a syllable boundary: "wang xiaoming", "xiaoming") and/or whose id_number equals `id_number`;
  // at most 200, by child_id (audited).
  Result<std::vector<nlohmann::json>> Search(const std::string& name, const std::string& id_number);

  // Conflicts (terminal_conflicts.cc; protocol/docs/merge.md).
  // The child's open conflicts, without an audit entry (for `show`, which audited the read).
  Result<std::vector<FieldConflict>> OpenConflicts(const std::string& child_id);
  // Every child here with open conflicts: [{"child_id", "name", "conflicts": [FieldConflict
  // JSON]}], by child_id (audited).
  Result<nlohmann::json> ListConflicts();
  // Resolves the open conflict of `field` ("name", or "immunizations[MMR#1]" for a dose) by an edit
  // that sets the value chosen by `value_from` — the terminal id that wrote it, or its event id
  // "TERMINAL:SEQ" — and has seen every live value, so it supersedes them all. Returns the new
  // record. kFailedPrecondition when the field has no open conflict, kInvalidArgument when
  // `value_from` names none or several of its values; nothing is written then. Audited.
  Result<nlohmann::json> ResolveConflict(const std::string& child_id, const std::string& field,
                                         const std::string& value_from);

  // A verified card was read. An unknown child is imported (an event stamped with the card's
  // record stamp, so that newer changes elsewhere still win). Returns true when imported.
  Result<bool> RecordCardRead(const CardContents& card);
  // Audits a card operation (issue, update) for a child.
  Status AuditCardWrite(const std::string& action, const std::string& child_id,
                        const std::string& serial);

  // Card lifecycle and the revocation list (terminal_revocations.cc; card.md, "Lifecycle").
  struct CardRevocation {
    std::string serial;
    std::string child_id;  // "" when the revoking terminal did not know the child
    std::string reason;
    int64_t revoked_at_ms = 0;
    std::string revoked_by;  // terminal_id
  };
  // Revokes a card serial (typed by a person: 16 hex digits, case and blanks ignored): a
  // "card.revoke" event for the server, the serial in this terminal's list, an audit entry, in one
  // transaction. The child is the one whose record names this serial here (may be unknown).
  // kInvalidArgument for a malformed serial or a reason over 500 bytes; kAlreadyExists when
  // revoked.
  Status RevokeCard(const std::string& serial, const std::string& reason);
  // After a new card `new_serial` was written for `child_id`: sets the child's card_serial (an
  // update event) and revokes `old_serial` unless it is empty or already revoked, in one
  // transaction.
  Status RecordCardReplacement(const std::string& child_id, const std::string& old_serial,
                               const std::string& new_serial, const std::string& reason);
  // OK, or kPermissionDenied (audited, message with the date) when the card's serial is revoked or
  // its record was signed by a revoked terminal after that terminal's revocation time.
  Status CheckCardNotRevoked(const CardContents& card);
  Result<std::optional<CardRevocation>> FindCardRevocation(const std::string& serial);

  // Referrals (terminal_referrals.cc; PRODUCT.md section 10, sync.md "Referral events").
  // Refers a known child to `service` at site `to_site` (a site this terminal knows from sync):
  // a "referral.create" event, the referral and an audit entry in one transaction. Returns the
  // referral id. kInvalidArgument names a bad service or reason; kNotFound an unknown child or
  // site.
  Result<std::string> Refer(const std::string& child_id, const std::string& service,
                            const std::string& to_site, const std::string& reason);
  // Moves a referral on from this site (the status machine and who may, referral.h): a
  // "referral.status" event, the new status and an audit entry. kNotFound for an unknown referral,
  // kPermissionDenied when it is not addressed to this site, kFailedPrecondition when not allowed
  // from its status. Returns the referral as it now is.
  Result<Referral> MoveReferral(const std::string& referral_id, ReferralStatus to,
                                const std::string& outcome);
  // The referrals held here (of one child when `child_id` is not empty), newest first. Audited.
  Result<std::vector<Referral>> ListReferrals(const std::string& child_id);

  // Identity review (terminal_identity.cc; sync.md "Identity review"). The queue and the persons
  // are the server's, as last pulled.
  struct IdentityReviewPair {
    std::string a, b;  // a < b
    double score = 0;
    uint32_t reasons = 0;  // IdentityReason bits
    nlohmann::json record_a,
        record_b;  // {child_id, name, sex, birth_date, hukou_area, residence_area}
  };
  // The pairs waiting for a supervisor here, most likely first (audited).
  Result<std::vector<IdentityReviewPair>> ListIdentityReview();
  // A supervisor's decision on records `a` and `b`: `decision` is merge, separate or unmerge. An
  // "identity.decision" event for the server and an audit entry in one transaction; the server
  // applies it at its next identity refresh and the effect returns with a later pull. Errors, with
  // nothing written: kInvalidArgument (unknown decision, the same id twice), kNotFound (merge,
  // separate: the pair is not in the queue and a record is unknown here), kAlreadyExists (merge:
  // already one child here), kFailedPrecondition (unmerge: not one child here).
  Status DecideIdentity(const std::string& decision, const std::string& a, const std::string& b);
  // The other records of `child_id`'s person as last pulled (empty when it is alone), sorted.
  Result<std::vector<std::string>> OtherRecordsOf(const std::string& child_id);
  // What this site sees of the child's moves (terminal_moves.cc; issue 6, PRODUCT.md section 5):
  // {"kind": "moved_out", "area": residence now} or {"kind": "moved_in", "from": area}, or null.
  Result<nlohmann::json> MoveOf(const std::string& child_id);

  Result<CardCredentials> LoadCardCredentials();
  // The sync endpoint from the bundle; `server_override` ("host:port") replaces the address.
  Result<SyncEndpoint> LoadSyncEndpoint(const std::string& server_override);
  Status AuditSync(const SyncReport& report);

  Result<AuditReport> VerifyAuditLog();

  // SyncLocalStore
  Result<std::vector<wire::Event>> PendingEvents(size_t max, uint64_t after_seq = 0) override;
  Status Acknowledge(uint64_t acked_seq) override;
  // Moves the refused events from the outbox to refused_events with the server's reason, audited.
  Status SetAsideRefused(const std::vector<wire::EventRefusal>& refused) override;
  Result<uint64_t> PullCursor() override;
  // Checks every item (pull_checks.h) and applies those that pass; the others are kept in
  // pull_set_aside with an audit entry each, and returned (terminal_pull.cc).
  Result<std::vector<PullSetAside>> ApplyPage(const wire::PullPage& page) override;

  // The stamp a card carries for the record written now: the greatest stamp of the child's state.
  static constexpr char kCardStampField[] = "record_stamp";

 private:
  TerminalStore(schema::Database db, std::string user, std::string terminal_id,
                const platform::Clock& clock)
      : db_(std::move(db)),
        user_(std::move(user)),
        terminal_id_(std::move(terminal_id)),
        clock_(&clock) {}

  Status SetMetaValue(const std::string& key, const std::string& value);
  // A meta value that holds an unsigned number; kCorruption (not an exception) when it does not.
  Result<uint64_t> MetaNumber(const std::string& key);
  // terminal_pull.cc, inside ApplyPage's transaction.
  Status ApplyChildren(std::vector<ChildState>& children, HybridClock& clock, uint64_t now_ms);
  Status KeepSetAside(const std::vector<PullSetAside>& set_aside);
  // Keeps the card just read as the child's card proof (card_proofs), replacing an older one.
  Status SaveCardProof(const std::string& child_id, const CardContents& card);
  Result<std::optional<ChildState>> LoadState(const std::string& child_id);
  Status SaveState(const ChildState& state);
  // Appends an outbox event setting `fields` of `state`'s child and applies it locally.
  Status RecordChange(ChildState& state, const nlohmann::json& fields,
                      const std::optional<Stamp>& stamp_override);
  // The same for a change already computed (its bases older than the override stamp, if any).
  Status RecordChange(ChildState& state, const ChildChange& change,
                      const std::optional<Stamp>& stamp_override);
  Result<uint64_t> NextHlc();
  // terminal_revocations.cc
  Status AppendOutboxEvent(const std::string& type, const std::string& child_id,
                           const nlohmann::json& payload);
  Status RevokeCardLocked(const std::string& serial, const std::string& child_id,
                          const std::string& reason);
  Status ApplyRevocations(const wire::PullPage& page);
  // terminal_referrals.cc, inside ApplyPage's transaction.
  Status ApplyReferrals(const wire::PullPage& page, HybridClock& clock, uint64_t now_ms);
  Status ApplySites(const wire::PullPage& page);
  // terminal_identity.cc, inside ApplyPage's transaction.
  Status ApplyIdentity(const wire::PullPage& page);
  Result<std::optional<Referral>> LoadReferral(const std::string& referral_id);
  Status SaveReferral(const Referral& r);
  Status LoadRole();

  schema::Database db_;
  std::string user_;
  std::string terminal_id_;
  std::string dir_;
  SecretBytes store_key_;  // kept to add and re-wrap key slots; wiped on destruction
  StaffRole role_ = StaffRole::kRegistrar;
  const platform::Clock* clock_;
};

}  // namespace onecard::terminal
