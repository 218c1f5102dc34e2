// One change to a child, as a "child.upsert" event's payload carries it (protocol/docs/merge.md):
//
//   {"child_id": "...",
//    "fields": {"name": "王小明", "school": null, ...},          new values (null removes a field)
//    "base":   {"name": [[hlc, "T", seq], ...], ...},             stamps of the values the editor
//    saw "doses":  {"add": [{vaccine, dose, date}...],                doses added
//               "remove": [{"k": "BCG#1", "s": [hlc, "T", seq]}...]},  dose tags removed
//    "stamp":  [hlc, "T", seq]}                                   only for card imports
//
// "base" and "doses" are omitted when empty; a field without a base is a change made without
// having seen any value of that field (a registration, or an event from before merge.md), which is
// concurrent with every value it meets. An "immunizations" list in "fields" (events from before
// merge.md) is read as additions of its doses.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/protocol/dose_set.h"
#include "onecard/protocol/stamp.h"
#include "onecard/protocol/status.h"

namespace onecard {

struct ChildChange {
  nlohmann::json fields = nlohmann::json::object();
  std::map<std::string, std::vector<Stamp>> base;
  std::vector<nlohmann::json> dose_add;
  std::vector<DoseTag> dose_remove;

  // A change of `fields` made without a base (its "immunizations", if any, become additions).
  static ChildChange WithoutBase(nlohmann::json fields);

  // Sets "fields", and "base" and "doses" when not empty, in `payload`.
  void WriteTo(nlohmann::json& payload) const;
  // The parts of WriteTo's "base" and of "doses"."remove".
  nlohmann::json BaseJson() const;
  nlohmann::json DoseRemovalsJson() const;
  // Reads the change of an event stamped `stamp`, moving payload["fields"] out of `payload` (the
  // server parses each event once). kInvalidArgument naming the part when malformed, or when a base
  // stamp or removed tag is not older than `stamp` (an editor can only have seen older values).
  static Result<ChildChange> ReadFrom(nlohmann::json& payload, const Stamp& stamp);
};

}  // namespace onecard
