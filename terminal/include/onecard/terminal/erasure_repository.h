// Erasure of a child's personal data at a terminal (PRODUCT.md section 13, docs/data-protection.md,
// protocol/docs/sync.md "Erasure"): by a supervisor here (`erase`), and from the server's erasures
// in pull pages. What remains of an erased child here is its id in `erasures` and the audit log's
// entries (ids, actions and field names; never values). Its card is refused, no snapshot of it is
// applied again, and a card that names it imports nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "onecard/protocol/status.h"
#include "onecard/terminal/unit_of_work.h"
#include "sync.pb.h"

namespace onecard::terminal {

struct ErasureRecord {
  std::string child_id;
  std::string reason;  // protocol erasure.h code
  int64_t erased_at_ms = 0;
  std::string erased_by;  // the supervisor here, or "server"
};

// "child X was erased at <time> (<reason>)", in the user's language.
std::string ErasureText(const ErasureRecord& erasure);

class ErasureRepository {
 public:
  explicit ErasureRepository(UnitOfWork& unit) : unit_(unit) {}

  // A supervisor erases a child held here: a child.erase event for the server, the child's data
  // removed from every table, its card revoked here, the changes of it still waiting in the outbox
  // emptied of personal data, an audit entry; in one transaction, then the WAL truncated.
  // kInvalidArgument for a reason a person may not give; kNotFound for a child not held here;
  // kAlreadyExists when erased before; kPermissionDenied for a child outside this site's area
  // (its hukou or residence site erases it; the server would ask for its card).
  Status Erase(const std::string& child_id, const std::string& reason);

  // The erasure of `child_id` known here, if any.
  Result<std::optional<ErasureRecord>> Find(const std::string& child_id);
  // kPermissionDenied naming the erasure when `child_id` was erased; Ok otherwise.
  Status CheckNotErased(const std::string& child_id);

  // Inside the pull's transaction: the page's erasures (checked, pull_checks.h) applied. The
  // caller truncates the WAL after its commit (TruncateWal).
  Status ApplyPulled(const wire::PullPage& page);

  // Checkpoints and truncates the WAL, so that no page image of an erased child stays in it.
  // Outside any transaction; best effort (another reader may hold it: the next one completes it).
  void TruncateWal();

 private:
  // Ok when the child is held here and its hukou or residence area is in this site's area;
  // kNotFound or kPermissionDenied (see Erase) otherwise.
  Status CheckHeldInScope(const std::string& child_id);
  // Inside the caller's transaction: everything held of the child removed and the erasure kept.
  Status EraseHeld(const ErasureRecord& erasure);
  // The outbox's events of the child not yet sent keep their numbers (the server needs every seq)
  // but lose what is personal: an upsert changes nothing, a referral's reason and outcome are
  // emptied. The server refuses or ignores them; nothing of the child reaches it.
  Status EmptyPendingEvents(const std::string& child_id);

  UnitOfWork& unit_;
};

}  // namespace onecard::terminal
