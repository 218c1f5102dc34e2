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

// The latest supervisor decision (merge, separate, unmerge) per pair.
Result<IdentityDecisions> LoadDecisions(schema::Database& db);

// Appends an entry; the pair is stored as (smaller, greater). `score`: none for a supervisor's.
Status AppendDecision(schema::Database& db, const std::string& kind, const std::string& a,
                      const std::string& b, std::optional<double> score, uint32_t reasons,
                      const std::string& who);

}  // namespace onecard::server
