// Publishes the identity grouping to terminals (sync.md, "Identity review"): compares the review
// queue and the persons a regroup rewrote (identity_review, identity_persons) with what was
// published before (identity_review_sync, identity_person_sync) and numbers each pair or person
// that appeared, changed or disappeared in the change sequence. Internal to the server library.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <utility>

#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"

namespace onecard::server {

struct IdentityPublishStats {
  std::size_t review_changes = 0;  // pairs added, changed or removed
  std::size_t person_changes = 0;  // persons formed, changed or dissolved
};

// What a regroup rewrote: the review pairs it took out or wrote (a < b), and the persons (by
// person_id) that held one of its records before or hold one now.
struct IdentityPublishScope {
  std::set<std::pair<std::string, std::string>> review_pairs;
  std::set<std::string> persons;
};

// Runs inside the refresh's write transaction, after the derived tables were rewritten for
// `scope`. Cost: the scope's rows of the queue, the persons and their published copies; nothing is
// numbered when nothing changed, so a refresh that changes nothing sends nothing to terminals.
Result<IdentityPublishStats> PublishIdentityForSync(schema::Database& db,
                                                    const IdentityPublishScope& scope);

}  // namespace onecard::server
