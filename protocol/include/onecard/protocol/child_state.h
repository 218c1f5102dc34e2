// The merged state of one child (protocol/docs/merge.md). Every replica — the server and each
// terminal — derives it from the changes it has seen, and every replica that has seen the same set
// of changes holds the same state, whatever the order they arrived in: Apply and Merge are
// commutative, associative and idempotent.
//
// A top-level field of the record is a multi-value register. Each change of a field carries the
// stamps of the values its editor saw (its base); those values are superseded, for good. The values
// not superseded are the field's live values: normally one. Two live values that differ are a
// conflict — concurrent edits, neither of which saw the other. The record shows the live value with
// the greatest stamp (a deterministic winner); the conflict stays visible until an edit that has
// seen both values supersedes them. Immunization doses are an add/remove set (dose_set.h).
//
// A field set to null is kept as a null value with its stamp (a removal), and omitted from
// Record(). Value type, not thread-safe.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "onecard/protocol/child_change.h"
#include "onecard/protocol/dose_set.h"
#include "onecard/protocol/stamp.h"
#include "onecard/protocol/status.h"

namespace onecard {

struct FieldValue {
  nlohmann::json value;
  Stamp stamp;
};

struct FieldState {
  std::vector<FieldValue> live;  // greatest stamp first; live[0] is the value the record shows
  std::set<Stamp> superseded;    // stamps of values some edit has seen (tombstones)
  const FieldValue* winner() const { return live.empty() ? nullptr : &live.front(); }
};

// An open conflict: the distinct live values of one field, the winner first, then the others by
// stamp, greatest first. `field` is a record field, or "immunizations[KEY]" for one dose identity.
struct FieldConflict {
  std::string field;
  std::vector<FieldValue> values;
  // {"field": ..., "winner": V, "others": [V...]}, V = {"value", "stamp", "terminal_id", "at"}.
  nlohmann::json ToJson() const;
};

class ChildState {
 public:
  ChildState() = default;
  explicit ChildState(std::string child_id) : child_id_(std::move(child_id)) {}

  const std::string& child_id() const { return child_id_; }
  const std::map<std::string, FieldState>& fields() const { return fields_; }
  const DoseSet& doses() const { return doses_; }
  bool empty() const { return fields_.empty() && doses_.empty(); }
  // The value the record shows for `field`; nullptr when the field was never set.
  const FieldValue* Winner(const std::string& field) const;

  // Applies a change stamped `stamp`. Returns true when the state changed (so must be saved).
  // Taken by value: a caller done with its change moves it in, and its values are not copied.
  bool ApplyChange(ChildChange change, const Stamp& stamp);
  // A change of `fields` (an object) without a base: concurrent with every value held.
  bool Apply(const nlohmann::json& fields, const Stamp& stamp);
  // Applies an event's payload (child_change.h); moves payload["fields"] out. Nothing changes
  // when the payload is malformed.
  Result<bool> ApplyPayload(nlohmann::json& payload, const Stamp& stamp);
  // Merges another replica's state of the same child. Returns true when anything changed.
  bool Merge(const ChildState& other);

  // The change an editor at this replica makes to set `fields` (validated record fields; an
  // "immunizations" list is the complete wanted list): each field's base is every live value held
  // here, so the edit supersedes them, resolving their conflict; doses become additions and
  // removals.
  ChildChange ChangeTo(const nlohmann::json& fields) const;

  // Open conflicts, by field name.
  std::vector<FieldConflict> Conflicts() const;
  bool HasConflicts() const;

  // The canonical child record: {"child_id": ..., <field>: <winner value>...}, null fields omitted;
  // "immunizations" from the dose set.
  nlohmann::json Record() const;
  // The greatest stamp of any live value or dose tag (zero stamp when empty).
  Stamp Latest() const;

  // Storage and wire form:
  //   {"child_id": "...",
  //    "fields": {"name": {"v": winner, "s": stamp, "c": [{"v", "s"}...], "x": [stamp...]}},
  //    "doses": {"live": [...], "removed": [...]}}
  // "c" (the other live values) and "x" (superseded stamps) are omitted when empty, so states from
  // before merge.md read unchanged; their "immunizations" field is read as additions.
  nlohmann::json ToJson() const;
  // Exactly ToJson().dump(), written straight from the fields without building a JSON tree first:
  // a replica stores a child's state at every change it applies (server ingest, terminal pull),
  // and building and dumping that tree was a large share of ingest's CPU (docs/performance.md,
  // "Sync"). child_state_text_test.cc keeps the two equal.
  std::string ToJsonText() const;
  static Result<ChildState> FromJson(const nlohmann::json& j);

 private:
  std::string child_id_;
  std::map<std::string, FieldState> fields_;
  DoseSet doses_;
};

}  // namespace onecard
