// The terminal's append-only, hash-chained audit log (table `audit`): who did what, when, to which
// child. The chain (hashes, head, checks) is schema/audit_chain.h's, with the subject `child_id`
// and the head in meta `audit_head`.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/audit_chain.h"
#include "onecard/schema/database.h"
#include "onecard/terminal/unit_of_work.h"
#include "sync.pb.h"

namespace onecard::terminal {

// Appends one entry stamped with `clock`'s time. Call inside the transaction of the change it
// records. (Repositories append through UnitOfWork::Audit, as the acting member.)
Status AppendAudit(schema::Database& db, const platform::Clock& clock, const std::string& actor,
                   const std::string& action, const std::string& child_id,
                   const nlohmann::json& detail);

using AuditReport = schema::AuditChainReport;
Result<AuditReport> VerifyAudit(schema::Database& db);

// Sync (sync.md, "Audit chain"): up to `max` entries after the last one the server acknowledged
// (meta `audit_pushed`), oldest first, as stored (the server checks them, not the terminal); and
// the server's acknowledgement. The acknowledged id is stored as the server says, even lower than
// before (a server restored from a backup then gets the entries again).
Result<std::vector<wire::AuditEntry>> PendingAudit(schema::Database& db, size_t max);
Status AcknowledgeAudit(schema::Database& db, uint64_t held_id);

// The audit log as the store's callers see it: checking the chain, and the entries of what
// happens outside the store (a sync run).
class AuditLog {
 public:
  explicit AuditLog(UnitOfWork& unit) : unit_(unit) {}

  Result<AuditReport> Verify() { return VerifyAudit(unit_.db()); }
  Result<std::vector<wire::AuditEntry>> Pending(size_t max) {
    return PendingAudit(unit_.db(), max);
  }
  Status Acknowledge(uint64_t held_id) { return AcknowledgeAudit(unit_.db(), held_id); }
  // When the last sync run recorded here ended (UTC, ISO 8601); "" when none is.
  Result<std::string> LastSyncAt();
  // A sync run: how many events the server acknowledged and how many children were pulled.
  Status RecordSync(uint64_t pushed, uint64_t pulled) {
    return unit_.AuditAlone("sync", "", {{"pushed", pushed}, {"pulled", pulled}});
  }

 private:
  UnitOfWork& unit_;
};

}  // namespace onecard::terminal
