// Writing a child's card from what this terminal holds, as `card issue|update|replace` and the
// desk do it: the card is written (card_service.h), then the store records it — the child's
// card_serial set, the write audited, a replaced card's old serial revoked (card_repository.h).
#pragma once

#include <string>

#include "onecard/protocol/status.h"
#include "onecard/terminal/terminal_store.h"

namespace onecard::terminal {

struct CardWritten {
  std::string child_id;
  std::string serial;
  std::string old_serial;  // the revoked card's, for a replacement; else ""
};

// `reader`: a reader name, or "" for the first one holding a card. The errors are CardService's
// (kAlreadyExists: the card holds a record; kNotOneCard: a foreign card; kCardRemoved: the card
// was pulled out during the write) and the store's (kNotFound: the child is not held here).

// Personalizes the blank card in `reader` for `child_id` and records its serial.
Result<CardWritten> IssueCard(TerminalStore& store, const std::string& reader,
                              const std::string& child_id);
// Writes the child's current record onto the card in `reader` (tear-safe: a card pulled out keeps
// its last good record). The card must be a good, unrevoked card of `child_id`, or of any child
// this terminal holds when `child_id` is empty (kFailedPrecondition naming both otherwise).
Result<CardWritten> UpdateCard(TerminalStore& store, const std::string& reader,
                               const std::string& child_id);
// A new card for a child whose card was lost or damaged: the blank card in `reader` gets the
// record and a new serial; the child's old serial is revoked with `reason`. kFailedPrecondition
// when the child has no card yet (issue one).
Result<CardWritten> ReplaceCard(TerminalStore& store, const std::string& reader,
                                const std::string& child_id, const std::string& reason);

}  // namespace onecard::terminal
