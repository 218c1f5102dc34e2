// What a terminal shows about one child: the record and, beside it, its move as this site sees it,
// its open field conflicts, the other records of the same child (as the server grouped them) and
// its referrals. `onecard-terminal show` prints it; the desk's child page draws it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/protocol/referral.h"
#include "onecard/protocol/status.h"
#include "onecard/terminal/terminal_store.h"

namespace onecard::terminal {

struct ChildPage {
  // The record as shown (an audited read), or its ClosedRecord: then nothing else is filled.
  nlohmann::json record;
  nlohmann::json conflicts = nlohmann::json::array();  // FieldConflict::ToJson() each
  std::vector<std::string> same_child_as;
  nlohmann::json move;  // null when none
  std::vector<Referral> referrals;

  bool closed() const { return IsClosedRecord(record); }
  // The public record (without the card stamp) with "conflicts", "same_child_as", "move" and
  // "referrals" members when there are any (`show --json`).
  nlohmann::json ToJson() const;
};

// The record without the internal card stamp (kCardStampField), as people and programs see it.
nlohmann::json PublicRecord(nlohmann::json record);

// kNotFound when the child is not held here.
Result<ChildPage> LoadChildPage(TerminalStore& store, const std::string& child_id);

}  // namespace onecard::terminal
