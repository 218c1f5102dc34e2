// Regrouping part of the population (docs/identity-server.md, "Incremental resolution"): the
// grouping of a record depends only on its component — the records joined to it through exact
// keys, pairs the resolver may link (identity_index.h, PairLinks) and supervisors' merges. So the
// records whose keys, pairs or decisions changed are regrouped with their components, and the rest
// of the derived tables stays as it is. The result equals a full resolution (IdentityResolver
// over every record, then GroupIdentities), which the tests check.
//
// Embedded backend; the caller's transaction.
#pragma once

#include <cstdint>
#include <set>

#include "identity_grouping.h"
#include "identity_index.h"
#include "onecard/server/report_queries.h"

namespace onecard::server {

// Regroups the components of `seeds` (recs: the records whose keys, pairs or decisions changed, and
// those linked to them before the change, since an old component may have split) under
// `decisions` (the latest per pair), given `rescored` (the records whose pairs were scored again),
// and replaces their part of identity_persons, identity_links
// and identity_review; logs the automatic links that appeared or disappeared, keeps the statistics
// with the persons (stats_cube.h) and publishes the changes to terminals (identity_sync_publish.h).
// Adds the records regrouped to stats.regrouped.
Status RegroupIdentities(schema::Database& db, IdentityIndex& index,
                         const IdentityDecisions& decisions, const std::set<int64_t>& seeds,
                         const std::set<int64_t>& rescored, IdentityRefreshStats& stats);

}  // namespace onecard::server
