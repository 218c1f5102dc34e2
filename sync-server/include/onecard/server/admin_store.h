// The server's storage, as its operator's setup and enrolment see it (enrolment.h, `site add`,
// `revoke`): sites, terminals, and the settings and secrets made at `init`. The embedded SQLCipher
// store (ServerStore) implements it now; a PostgreSQL store will later. Implementations are
// thread-safe.
#pragma once

#include <string>
#include <vector>

#include "onecard/platform/clock.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/audit_chain.h"
#include "onecard/server/report_queries.h"
#include "onecard/server/terminal_audit.h"

namespace onecard::server {

struct Site {
  std::string site_id;
  std::string name;
  std::string area;
  std::string role;  // sending | receiving | both
};

// An erasure asked for by an administrator (`onecard-server erase`).
struct ErasureRequest {
  std::string child_id;
  std::string reason;  // a reason a person may give (protocol erasure.h)
  std::string by;      // the administrator
};

class AdminStore {
 public:
  virtual ~AdminStore() = default;

  // The clock that stamps what the store writes (certificates' validity, issue times).
  virtual const platform::Clock& clock() const = 0;

  // Settings (the CA certificate, the server's address, ...). GetMeta: kNotFound when unset.
  virtual Status SetMeta(const std::string& key, const std::string& value) = 0;
  virtual Result<std::string> GetMeta(const std::string& key) = 0;
  // Private keys, kept encrypted at rest. GetSecret: kNotFound when unset.
  virtual Status SetSecret(const std::string& name, const SecretBytes& value) = 0;
  virtual Result<SecretBytes> GetSecret(const std::string& name) = 0;

  virtual Status AddSite(const Site& site) = 0;  // kAlreadyExists for a known site_id
  virtual Result<Site> FindSite(const std::string& site_id) = 0;  // kNotFound when unknown
  // kAlreadyExists for a terminal id used before.
  virtual Status AddTerminal(const std::string& terminal_id, const std::string& site_id) = 0;
  // Sets (or replaces) the estimate of its area and category (coverage.h checks it first),
  // stamped with the store's clock.
  virtual Status SetCoverageEstimate(const CoverageEstimate& estimate) = 0;
  // Marks the terminal revoked and lists it for the sync service and the terminals.
  virtual Status RevokeTerminal(const std::string& terminal_id) = 0;
  // Erases the child's personal data from the store and tells every terminal (PRODUCT.md section
  // 13; what remains: migration 019). kInvalidArgument for a reason a person may not give,
  // kNotFound for a child the store does not hold, kAlreadyExists for one erased before (the
  // answer names when and why).
  virtual Status EraseChild(const ErasureRequest& request) = 0;
  // The years a record is kept after it closes at 18 before serve erases it (ageing_out.h;
  // default kDefaultRetentionYears), and its setting (0 to kMaxRetentionYears, else
  // kInvalidArgument).
  virtual Result<int> RetentionYears() = 0;
  virtual Status SetRetentionYears(int years) = 0;
  // Every enrolled terminal with what the server holds of its pushed audit chain and the first
  // problem found in it (sync.md, "Audit chain"; `onecard-server audit verify`).
  virtual Result<std::vector<TerminalAuditState>> TerminalAudits() = 0;
  // The server's own audit chain (schema/audit_chain.h, table server_audit): appends an entry
  // stamped with the store's clock; checks the whole chain.
  virtual Status AppendServerAudit(const std::string& actor, const std::string& action,
                                   const std::string& subject, const std::string& detail) = 0;
  virtual Result<schema::AuditChainReport> VerifyServerAudit() = 0;
};

}  // namespace onecard::server
