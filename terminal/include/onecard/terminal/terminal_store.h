// The terminal's encrypted store (SQLCipher 4, terminal.db in the data directory, keyed through
// keys.json): its enrolment, staff, children, cards, referrals, identity review, the outbox of
// events waiting for the server, and the audit log.
//
// TerminalStore makes and opens the store and hands out its repositories, each a small view over
// the one unit of work (unit_of_work.h) that holds the open database and the acting staff member:
//   store.children().Register(record);  store.cards().Revoke(serial, reason);
// Every change is one transaction together with its outbox event and audit entry, so a crash
// leaves it before or after the change, never between. Sync sees the store through
// TerminalSyncStore (terminal_sync_store.h). Nothing here knows card readers or the network.
//
// Thread-safety: one thread at a time (the CLI runs one command per process).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"
#include "onecard/terminal/audit_log.h"
#include "onecard/terminal/card_repository.h"
#include "onecard/terminal/child_export.h"
#include "onecard/terminal/children_repository.h"
#include "onecard/terminal/conflict_repository.h"
#include "onecard/terminal/enrolment_repository.h"
#include "onecard/terminal/erasure_repository.h"
#include "onecard/terminal/identity_repository.h"
#include "onecard/terminal/outbox.h"
#include "onecard/terminal/pull_repository.h"
#include "onecard/terminal/referral_repository.h"
#include "onecard/terminal/site_repository.h"
#include "onecard/terminal/staff_repository.h"
#include "onecard/terminal/unit_of_work.h"

namespace onecard::terminal {

class TerminalStore {
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

  TerminalStore(const TerminalStore&) = delete;
  TerminalStore& operator=(const TerminalStore&) = delete;

  const std::string& user() const { return unit_.user(); }
  const std::string& terminal_id() const { return unit_.terminal_id(); }
  // The clock the store was opened with (for the store's callers: "today", card stamps).
  const platform::Clock& clock() const { return unit_.clock(); }
  // The acting staff member's role, from the staff table.
  StaffRole role() const { return unit_.role(); }

  // The repositories: views over the unit of work, cheap to make, valid while the store is open.
  ChildrenRepository children() { return ChildrenRepository(unit_); }
  ConflictRepository conflicts() { return ConflictRepository(unit_); }
  CardRepository cards() { return CardRepository(unit_); }
  ReferralRepository referrals() { return ReferralRepository(unit_); }
  SiteRepository sites() { return SiteRepository(unit_); }
  IdentityRepository identity() { return IdentityRepository(unit_); }
  StaffRepository staff() { return StaffRepository(unit_); }
  EnrolmentRepository enrolment() { return EnrolmentRepository(unit_); }
  AuditLog audit() { return AuditLog(unit_); }
  Outbox outbox() { return Outbox(unit_); }
  PullRepository pull() { return PullRepository(unit_); }
  ErasureRepository erasures() { return ErasureRepository(unit_); }
  ExportRepository exports() { return ExportRepository(unit_); }

 private:
  TerminalStore(schema::Database db, StoreActor actor, SecretBytes store_key,
                const platform::Clock& clock)
      : unit_(std::move(db), std::move(actor), std::move(store_key), clock) {}

  UnitOfWork unit_;
};

}  // namespace onecard::terminal
