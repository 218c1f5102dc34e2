// Identity review for supervisors at the terminal, and the persons the server grouped the children
// into (sync.md, "Identity review"; docs/identity-server.md, "Review at terminals"). The queue and
// the persons are copies of the server's, replaced by pulled items; a supervisor's decision is an
// event for the server, which alone resolves identities, so a decision shows its effect here after
// the next sync.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/protocol/status.h"
#include "onecard/terminal/unit_of_work.h"
#include "sync.pb.h"

namespace onecard::terminal {

struct IdentityReviewPair {
  std::string a, b;  // a < b
  double score = 0;
  uint32_t reasons = 0;  // IdentityReason bits
  nlohmann::json record_a,
      record_b;  // {child_id, name, sex, birth_date, hukou_area, residence_area}
};

class IdentityRepository {
 public:
  explicit IdentityRepository(UnitOfWork& unit) : unit_(unit) {}

  // The pairs waiting for a supervisor here, most likely first (audited).
  Result<std::vector<IdentityReviewPair>> ListReview();
  // A supervisor's decision on records `a` and `b`: `decision` is merge, separate or unmerge. An
  // identity.decision event for the server and an audit entry in one transaction; the server
  // applies it at its next identity refresh and the effect returns with a later pull. Errors, with
  // nothing written: kInvalidArgument (unknown decision, the same id twice), kNotFound (merge,
  // separate: the pair is not in the queue and a record is unknown here), kAlreadyExists (merge:
  // already one child here), kFailedPrecondition (unmerge: not one child here).
  Status Decide(const std::string& decision, const std::string& a, const std::string& b);
  // The other records of `child_id`'s person as last pulled (empty when it is alone), sorted.
  Result<std::vector<std::string>> OtherRecordsOf(const std::string& child_id);
  // What this site sees of the moves of the child's person (child_moves.cc; issue 6, PRODUCT.md
  // section 5): {"kind": "moved_out", "area": residence now} or {"kind": "moved_in", "from":
  // area}, or null.
  Result<nlohmann::json> MoveOf(const std::string& child_id);
  // Inside the pull's transaction: the page's review items and persons (checked, pull_checks.h)
  // replace or remove the copies held here.
  Status ApplyPulled(const wire::PullPage& page);

 private:
  // The decision's precondition on what is held here (see Decide); inside its transaction.
  Status CheckDecision(const std::string& decision, const std::string& a, const std::string& b);

  UnitOfWork& unit_;
};

}  // namespace onecard::terminal
