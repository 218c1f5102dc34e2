// The parts of the guardian's copy (child_export.h), each read from one place of the store. The
// reads run inside ExportRepository::Of's transaction and write nothing.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "onecard/protocol/child_state.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "onecard/terminal/child_export.h"

namespace onecard::terminal {

// What the state keeps of each field (pure): stamps of the values shown and replaced.
std::vector<FieldHistory> FieldHistoryOf(const ChildState& state);

// The child's events waiting in the outbox (`refused` false) or refused by the server (true),
// oldest first. `terminal_id` stamps them (they are all this terminal's).
Result<std::vector<HeldChange>> HeldChangesOf(schema::Database& db, const std::string& terminal_id,
                                              const std::string& child_id, bool refused);

// Pulled versions of the child this terminal set aside: (when, why).
Result<std::vector<std::pair<std::string, std::string>>> SetAsideOf(schema::Database& db,
                                                                    const std::string& child_id);

// The other records in identity-review pairs with the child (only their ids: the pair's summary of
// the other record is another child's data).
Result<std::vector<std::string>> InReviewWith(schema::Database& db, const std::string& child_id);

// The card proof kept here and the revoked serials of the child (or of `current`, its card).
Status ReadCardTables(schema::Database& db, const std::string& child_id, ChildCards& cards);

// The audit entries about the child, oldest first: those whose child_id is the child, and those
// whose detail names it or one of `referral_ids` (searches, lists, identity decisions). The card
// operations among them go to `cards.events`.
Result<std::vector<ChildAccess>> AccessesOf(schema::Database& db, const std::string& child_id,
                                            const std::set<std::string>& referral_ids,
                                            ChildCards& cards);

}  // namespace onecard::terminal
