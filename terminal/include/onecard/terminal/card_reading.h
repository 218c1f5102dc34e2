// Reading a child's card at this terminal, as `card read` and the desk do it: the card is read and
// verified (card_service.h), then the read is recorded in the store — a child not held here is
// imported, a revoked card is refused (card_repository.h) — or, when the child is 18 or older
// (ageing_out.h), only the closing is shown and the read audited as card.read.closed.
#pragma once

#include <optional>
#include <string>

#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/status.h"
#include "onecard/terminal/card_contents.h"
#include "onecard/terminal/terminal_store.h"

namespace onecard::terminal {

struct CardReading {
  CardContents card;
  bool imported = false;               // the child was not held here and now is
  std::optional<CivilDate> closed_on;  // set: the record is closed; show ClosedRecord only
};

// `reader`: a reader name, or "" for the first one holding a card. The errors are CardService's
// (kNotOneCard for a foreign card, kFailedPrecondition for a blank one, kTampered, kCardRemoved)
// and the revocation's (kPermissionDenied, naming the date).
Result<CardReading> ReadCardIntoStore(TerminalStore& store, const std::string& reader);

}  // namespace onecard::terminal
