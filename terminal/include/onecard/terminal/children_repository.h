// The children held by the terminal (table `children`: each child's merged state, protocol/docs/
// merge.md, with its search projection): registration, updates, reads and search. Every change is
// an outbox event `child.upsert` applied locally, with its audit entry, in one transaction.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "onecard/protocol/child_state.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/stamp.h"
#include "onecard/protocol/status.h"
#include "onecard/terminal/unit_of_work.h"

namespace onecard::terminal {

// The field of a record (RecordOf) that holds the stamp a card carries for the record written
// now: the greatest stamp of the child's state.
inline constexpr char kCardStampField[] = "record_stamp";

// What a closed record (onecard/protocol/ageing_out.h: the child is 18 or older today) shows:
// {"child_id", "closed_on"}, nothing personal.
nlohmann::json ClosedRecord(const std::string& child_id, CivilDate closed_on);
// Whether `record` (from Show or Search) is such a closed record.
bool IsClosedRecord(const nlohmann::json& record);

class ChildrenRepository {
 public:
  explicit ChildrenRepository(UnitOfWork& unit) : unit_(unit) {}

  // Registers a child from a validated, normalised record (without child_id). Returns the child_id.
  Result<std::string> Register(const nlohmann::json& record);
  // Applies validated fields to a child. Returns the new record. A closed record is refused
  // (kFailedPrecondition), as by RecordOf.
  Result<nlohmann::json> Update(const std::string& child_id, const nlohmann::json& fields);
  // The child's current record (an audited read), or its ClosedRecord when closed. kNotFound when
  // unknown here.
  Result<nlohmann::json> Show(const std::string& child_id);
  // The record with its card stamp (kCardStampField), without an audit entry, for commands that
  // read in order to change (they audit the change). kFailedPrecondition when the record is closed.
  Result<nlohmann::json> RecordOf(const std::string& child_id);
  // Children whose name contains `name` (Han characters, or toneless pinyin in Latin letters from
  // a syllable boundary: "wang xiaoming", "xiaoming") and/or whose id_number equals `id_number`;
  // at most 200, by child_id (audited); a closed record as its ClosedRecord.
  Result<std::vector<nlohmann::json>> Search(const std::string& name, const std::string& id_number);
  // The records held here that are open (not closed) and that `keep` keeps, by child_id, for a
  // worklist; the read is audited as `audit_action` with the children returned.
  Result<std::vector<nlohmann::json>> ListOpen(
      const std::string& audit_action, const std::function<bool(const nlohmann::json&)>& keep);

  // For the other repositories, inside their transactions.
  // The child's state; nullopt when unknown here.
  Result<std::optional<ChildState>> Load(const std::string& child_id);
  // The child's state if held here, else kNotFound naming the child.
  Result<ChildState> LoadKnown(const std::string& child_id);
  // The same, and kFailedPrecondition naming the day when the record is closed: for changes,
  // cards, referrals and the guardian's copy (a closed record is shown to no one at a terminal).
  Result<ChildState> LoadOpen(const std::string& child_id);
  // Writes the state and its search projection.
  Status Save(const ChildState& state);
  // Appends an outbox event setting `fields` of `state`'s child and applies it locally. With
  // `stamp_override` the change carries that stamp instead of the event's own.
  Status RecordChange(ChildState& state, const nlohmann::json& fields,
                      const std::optional<Stamp>& stamp_override = std::nullopt);
  // The same for a change already computed (its bases older than the override stamp, if any).
  Status RecordChange(ChildState& state, const ChildChange& change,
                      const std::optional<Stamp>& stamp_override);

 private:
  // The day the child's record closed, when it is closed today.
  std::optional<CivilDate> ClosedOnToday(const nlohmann::json& record) const;
  // The record to show: Record(), or ClosedRecord when closed.
  nlohmann::json Shown(const ChildState& state) const;

  UnitOfWork& unit_;
};

}  // namespace onecard::terminal
