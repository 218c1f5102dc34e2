// The terminal's append-only, hash-chained audit log (table `audit`): who did what, when, to which
// child. The chain (hashes, head, checks) is schema/audit_chain.h's, with the subject `child_id`
// and the head in meta `audit_head`.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/audit_chain.h"
#include "onecard/schema/database.h"
#include "onecard/terminal/unit_of_work.h"

namespace onecard::terminal {

// Appends one entry stamped with `clock`'s time. Call inside the transaction of the change it
// records. (Repositories append through UnitOfWork::Audit, as the acting member.)
Status AppendAudit(schema::Database& db, const platform::Clock& clock, const std::string& actor,
                   const std::string& action, const std::string& child_id,
                   const nlohmann::json& detail);

using AuditReport = schema::AuditChainReport;
Result<AuditReport> VerifyAudit(schema::Database& db);

// The audit log as the store's callers see it: checking the chain, and the entries of what
// happens outside the store (a sync run).
class AuditLog {
 public:
  explicit AuditLog(UnitOfWork& unit) : unit_(unit) {}

  Result<AuditReport> Verify() { return VerifyAudit(unit_.db()); }
  // A sync run: how many events the server acknowledged and how many children were pulled.
  Status RecordSync(uint64_t pushed, uint64_t pulled) {
    return unit_.AuditAlone("sync", "", {{"pushed", pushed}, {"pulled", pulled}});
  }

 private:
  UnitOfWork& unit_;
};

}  // namespace onecard::terminal
