// Open conflicts of the children held here (protocol/docs/merge.md): concurrent values of one
// field that the merge keeps side by side until a person chooses. Listing them and resolving one
// by an edit that supersedes every live value.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/protocol/child_state.h"
#include "onecard/protocol/status.h"
#include "onecard/terminal/unit_of_work.h"

namespace onecard::terminal {

class ConflictRepository {
 public:
  explicit ConflictRepository(UnitOfWork& unit) : unit_(unit) {}

  // The child's open conflicts, without an audit entry (for `show`, which audited the read).
  // kNotFound when the child is unknown here.
  Result<std::vector<FieldConflict>> Of(const std::string& child_id);
  // Every child here with open conflicts: [{"child_id", "name", "conflicts": [FieldConflict
  // JSON]}], by child_id (audited).
  Result<nlohmann::json> List();
  // Resolves the open conflict of `field` ("name", or "immunizations[MMR#1]" for a dose) by an edit
  // that sets the value chosen by `value_from` — the terminal id that wrote it, or its event id
  // "TERMINAL:SEQ" — and has seen every live value, so it supersedes them all. Returns the new
  // record. kFailedPrecondition when the field has no open conflict, kInvalidArgument when
  // `value_from` names none or several of its values; nothing is written then. Audited.
  Result<nlohmann::json> Resolve(const std::string& child_id, const std::string& field,
                                 const std::string& value_from);

 private:
  UnitOfWork& unit_;
};

}  // namespace onecard::terminal
