// The server's change sequence: one numbering shared by every kind of item a terminal pulls
// (children, revocations, referrals, sites, identity review pairs and persons, erasures), so that
// one pull cursor covers them all (sync.md, "PullRequest / PullPage"). Internal to the server
// library.
#pragma once

#include <cstdint>

#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"

namespace onecard::server {

// The next free number: one more than the greatest number any pulled table holds. Call it inside
// a write transaction (BEGIN IMMEDIATE), so that no other process takes the same number; numbers
// are then given in commit order, which is what lets a cursor skip nothing.
Result<int64_t> NextChangeSeq(schema::Database& db);

}  // namespace onecard::server
