// A child's immunization doses as an add/remove set (an observed-remove set;
// protocol/docs/merge.md).
//
// Each dose added is tagged with the stamp of the change that added it and with the dose's
// identity (vaccine and dose number, DoseKey). A removal names the tags its editor had seen and
// removes exactly those: a dose added elsewhere that the editor had not seen survives. Removed tags
// are kept (tombstones), so a late copy of a removed addition stays removed. Merge is the union of
// additions and of removals, minus the removed: commutative, associative and idempotent.
//
// Value type, not thread-safe.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "onecard/protocol/stamp.h"
#include "onecard/protocol/status.h"

namespace onecard {

// "BCG#1" for {"vaccine": "BCG", "dose": 1}. A malformed dose (possible in old stored data) gets
// a key from its JSON text, so it is still identified and removable.
std::string DoseKey(const nlohmann::json& dose);

struct DoseTag {
  Stamp stamp;
  std::string key;
  auto operator<=>(const DoseTag&) const = default;
};

struct DoseEntry {
  nlohmann::json value;
  DoseTag tag;
};

class DoseSet {
 public:
  bool empty() const { return live_.empty() && removed_.empty(); }
  const std::map<DoseTag, nlohmann::json>& live() const { return live_; }
  const std::set<DoseTag>& removed() const { return removed_; }

  // Adds `dose` tagged (stamp, DoseKey(dose)) unless that tag was removed. True when it changed.
  bool Add(const nlohmann::json& dose, const Stamp& stamp);
  // Removes the tag (and remembers it). True when it changed.
  bool Remove(const DoseTag& tag);
  bool Merge(const DoseSet& other);

  // One dose per identity (of several live additions of one identity, the one with the greatest
  // stamp), ordered by date, vaccine and dose number.
  nlohmann::json List() const;
  // Identities whose live additions hold different values: per key, the additions, greatest stamp
  // first, one per distinct value.
  std::vector<std::pair<std::string, std::vector<DoseEntry>>> Conflicts() const;

  // What turns this set into `wanted` (a list of doses): the additions of doses not held with the
  // same value, and the removal of every live tag whose identity is not wanted with that value.
  void ChangeTo(const nlohmann::json& wanted, std::vector<nlohmann::json>& add,
                std::vector<DoseTag>& remove) const;

  // {"live": [{"v": dose, "s": stamp}...], "removed": [{"k": key, "s": stamp}...]}
  nlohmann::json ToJson() const;
  static Result<DoseSet> FromJson(const nlohmann::json& j);

 private:
  std::map<DoseTag, nlohmann::json> live_;
  std::set<DoseTag> removed_;
};

// Wire and storage form of a removed tag: {"k": key, "s": stamp}; nullopt when malformed.
std::optional<DoseTag> DoseTagFromJson(const nlohmann::json& j);
nlohmann::json DoseTagToJson(const DoseTag& tag);

}  // namespace onecard
