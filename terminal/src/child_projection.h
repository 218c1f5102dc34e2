// The projection of a child's record into the store's query tables (schema/sql/terminal/002_*.sql):
// the summary columns of `children` and the rows of child_guardians, child_caregivers,
// child_schooling, child_immunizations and child_consents, and the name keys (child_search.h).
//
// The child's state is the truth; the projection is derived from state.Record() and rewritten
// whole on every save, inside the caller's transaction, so both always change together. Values of
// an unexpected JSON type (possible in records imported from cards or the server) are stored as
// NULL rather than refused: the projection never blocks saving the state.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"

namespace onecard::terminal {

// Replaces the projection of `child_id` with the one of `record` (its canonical record). The
// `children` row must exist. Call inside a transaction.
Status WriteChildProjection(schema::Database& db, const std::string& child_id,
                            const nlohmann::json& record);

// Deletes the projection rows of `child_id` (sections and name search keys; not the `children`
// row), for its erasure. Call inside a transaction.
Status DeleteChildProjection(schema::Database& db, const std::string& child_id);

// Records this terminal's own site (from the enrolment bundle) in `sites`. Call inside a
// transaction.
Status WriteOwnSite(schema::Database& db, const nlohmann::json& site,
                    const std::string& updated_at);

}  // namespace onecard::terminal
