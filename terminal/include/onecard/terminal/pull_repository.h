// Applying what the terminal pulls from the server (sync.md, "Pull" and "What a terminal checks of
// a pull"). Every item is checked first (pull_checks.h); what passes is applied — children merged,
// sites, referrals, revocations, identity review — and what fails is set aside, all in one
// transaction with the new cursor, so one bad record costs that record and never the sync.
#pragma once

#include <cstdint>
#include <vector>

#include "onecard/protocol/child_state.h"
#include "onecard/protocol/hybrid_clock.h"
#include "onecard/protocol/status.h"
#include "onecard/terminal/pull_set_aside.h"
#include "onecard/terminal/unit_of_work.h"
#include "sync.pb.h"

namespace onecard::terminal {

class PullRepository {
 public:
  explicit PullRepository(UnitOfWork& unit) : unit_(unit) {}

  // The cursor to pull from: 0 before the first pull, then the last applied page's next_cursor.
  Result<uint64_t> Cursor();
  // Checks every item and applies those that pass, with page.next_cursor, in one transaction; the
  // others are kept in pull_set_aside with an audit entry each, and returned. An error (nothing
  // applied, the cursor unchanged) is the store's own failure.
  Result<std::vector<PullSetAside>> ApplyPage(const wire::PullPage& page);

 private:
  Status ApplyChildren(std::vector<ChildState>& children, HybridClock& clock, uint64_t now_ms);
  Status ApplySites(const wire::PullPage& page);
  Status KeepSetAside(const std::vector<PullSetAside>& set_aside);

  UnitOfWork& unit_;
};

}  // namespace onecard::terminal
