// What a terminal checks of each item of a pulled page before applying it (protocol/docs/sync.md,
// "What a terminal checks of a pull"). The server validates what terminals push, but a terminal
// trusts no pull either: a server that stored a bad value (an old bug, a restored backup, a hand
// edit, an attacker) must not stop every terminal of its area from syncing, nor drag their clocks.
//
// Each check is pure (no I/O; the terminal's clock is a parameter) and judges one item alone. An
// item that fails is set aside with a message naming what is wrong; the others are applied.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "onecard/protocol/child_state.h"
#include "onecard/protocol/status.h"
#include "onecard/terminal/pull_set_aside.h"
#include "sync.pb.h"

namespace onecard::terminal {

// Child ids, and the ids of the other items: 1–64 characters from [A-Za-z0-9_.-] (a terminal id
// of at most 32 such characters, '-' and a number).
bool IsSanePulledId(const std::string& id);

// A child snapshot: its state parses (ChildState::FromJson) and names the snapshot's child; every
// live value of every field passes ValidateReceivedFields, and every live dose
// ValidateReceivedDose, with no date after the day in China at `now_ms` + kMaxClockAheadMs and
// without the age limit (a child registered at 17 may be 18 now); no stamp in it (live, superseded,
// dose added or removed) is more than kMaxClockAheadMs ahead of `now_ms`. Returns the parsed state,
// to be merged.
Result<ChildState> CheckPulledChild(const wire::ChildSnapshot& snapshot, uint64_t now_ms);
// Ids, a known service and status, a status stamp not too far ahead of `now_ms`.
Status CheckPulledReferral(const wire::ReferralSnapshot& referral, uint64_t now_ms);
Status CheckPulledSite(const wire::SiteInfo& site);
Status CheckPulledRevokedCard(const wire::RevokedCard& card);
Status CheckPulledRevokedTerminal(const wire::RevokedTerminal& terminal);
Status CheckPulledIdentityPair(const wire::IdentityReviewItem& item);
Status CheckPulledPerson(const wire::PersonGroup& person);
// A sane child id and a known reason (protocol erasure.h).
Status CheckPulledErasure(const wire::ChildErasure& erasure);

// A page divided into what may be applied and what is set aside.
struct CheckedPage {
  std::vector<ChildState> children;     // the states of the children that passed, in page order
  wire::PullPage rest;                  // the other items that passed; next_cursor and more as sent
  std::vector<PullSetAside> set_aside;  // change_seq = the page's next_cursor
};
CheckedPage CheckPullPage(const wire::PullPage& page, uint64_t now_ms);

}  // namespace onecard::terminal
