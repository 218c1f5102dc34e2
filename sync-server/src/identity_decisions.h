// The supervisors' decisions and the resolver's link log (identity_decisions, append-only;
// docs/identity-server.md): reading the latest decision per pair, appending an entry.
// Embedded backend; the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "identity_grouping.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"

namespace onecard::server {

// Who the resolver's own entries (auto_link, auto_unlink) are logged as.
inline constexpr char kResolverDecider[] = "resolver";

// The rule between supervisors' decisions on one pair (merge, separate, unmerge): the one made
// last counts — by decided_hlc, when it was made (at a terminal, offline perhaps), not by when it
// reached the server; equal times by decided_by, then by arrival. kDecisionOrder is that order as
// SQL, the decision in force last.
inline constexpr char kDecisionOrder[] = "coalesce(decided_hlc, 0), decided_by, decision_id";

// The supervisor decision in force per pair.
Result<IdentityDecisions> LoadDecisions(schema::Database& db);

// The HLC reading of the server's clock now, for the decisions the server makes itself.
int64_t ServerDecisionHlc();

// Appends an entry made at `decided_hlc`; the pair is stored as (smaller, greater). `score`: none
// for a supervisor's.
Status AppendDecision(schema::Database& db, const std::string& kind, const std::string& a,
                      const std::string& b, std::optional<double> score, uint32_t reasons,
                      const std::string& who, int64_t decided_hlc = ServerDecisionHlc());

}  // namespace onecard::server
