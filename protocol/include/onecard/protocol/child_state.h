// The merged state of one child: each top-level field of the canonical record carries the stamp of
// the change that set it, and merging keeps, per field, the value with the greatest stamp
// (last-writer-wins on a total order). Merge is commutative, associative and idempotent, so every
// replica that has seen the same changes holds the same state, whatever the order they arrived in.
//
// Stamps order by (hlc, terminal_id, seq): the HLC first, ties broken deterministically.
// A field set to null is kept as a null value with its stamp (a removal), and omitted from Record().
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "onecard/protocol/status.h"

namespace onecard {

struct Stamp {
  uint64_t hlc = 0;
  std::string terminal_id;
  uint64_t seq = 0;
  auto operator<=>(const Stamp&) const = default;
};

// Parses the wire form of a stamp, [hlc, "terminal", seq] with non-negative integers; nullopt
// when malformed.
std::optional<Stamp> StampFromJson(const nlohmann::json& j);
nlohmann::json StampToJson(const Stamp& stamp);

struct FieldValue {
  nlohmann::json value;
  Stamp stamp;
};

class ChildState {
 public:
  ChildState() = default;
  explicit ChildState(std::string child_id) : child_id_(std::move(child_id)) {}

  const std::string& child_id() const { return child_id_; }
  const std::map<std::string, FieldValue>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }

  // Sets each field of `fields` (an object) whose current stamp is older than `stamp`. Returns true
  // when anything changed. "child_id" in `fields` is ignored.
  bool Apply(const nlohmann::json& fields, const Stamp& stamp);
  // Merges another replica's state of the same child. Returns true when anything changed.
  bool Merge(const ChildState& other);

  // The canonical child record: {"child_id": ..., <field>: <value>...}, null fields omitted.
  nlohmann::json Record() const;
  // The greatest stamp of any field (zero stamp when empty).
  Stamp Latest() const;

  // Storage and wire form: {"child_id": "...", "fields": {"name": {"v": ..., "s": [hlc, "T", seq]}}}.
  nlohmann::json ToJson() const;
  static Result<ChildState> FromJson(const nlohmann::json& j);

 private:
  std::string child_id_;
  std::map<std::string, FieldValue> fields_;
};

}  // namespace onecard
