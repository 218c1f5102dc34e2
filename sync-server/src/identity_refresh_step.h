// Bringing the identity grouping up to date in steps (docs/identity-server.md, "Incremental
// resolution"). Each step runs in its own transaction and is short, so that whatever else uses the
// store (ingest, pulls, reports) waits for one step at most: a refresh is a sequence of steps, and
// the store is free between them.
//
// A step does the first of these that has work:
//  1. copy the children changed since the last copy into identity_records (their identity fields,
//     marked dirty);
//  2. index dirty records: replace their keys (identity_index.h), score their candidate pairs again
//     (and those of every record of a block that crossed the size limit), apply the one-character
//     rule to the pairs whose families changed, then regroup what all that touched
//     (identity_regroup.h);
//  3. regroup the pairs of supervisors' decisions made since the last step;
//  4. mark the grouping current (identity_refresh.through_seq).
// It repeats its kind of work page by page until its time budget has passed.
//
// Embedded backend; the caller's transaction.
#pragma once

#include <chrono>
#include <cstddef>

#include "onecard/protocol/identity_resolver.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "onecard/server/report_queries.h"

namespace onecard::server {

struct RefreshStepBudget {
  // A step stops starting pages after this long (a page runs to its end).
  // (The commit after the step takes about as long again: the store is held for about twice this.)
  std::chrono::steady_clock::duration time = std::chrono::milliseconds(25);
  std::size_t children_per_page = 200;  // children copied per page
  std::size_t records_per_page = 16;    // dirty records indexed per page
  IdentityThresholds thresholds;
};

// True when the grouping is current: every child copied and indexed, every decision applied.
// Reads without a transaction of its own.
Result<bool> IdentityGroupingCurrent(schema::Database& db);

// True when at most `records` children wait to be copied and records to be indexed: a backlog
// that a few steps clear (a pull or a report may wait for it; a larger one is left to the
// background refresh). Counts no further than records + 1 of each.
Result<bool> IdentityBacklogAtMost(schema::Database& db, int64_t records);

// Runs one step. Returns true when more steps are needed, false when the grouping is current
// (the step marked it so, or found it so). Adds what it did to `stats`.
Result<bool> RefreshIdentitiesStep(schema::Database& db, const RefreshStepBudget& budget,
                                   IdentityRefreshStats& stats);

// RefreshIdentitiesStep in a transaction of its own, committed; adds 1 to stats.steps and keeps
// the longest step's duration (transaction included) in stats.longest_step_seconds.
Result<bool> RunRefreshStep(schema::Database& db, const RefreshStepBudget& budget,
                            IdentityRefreshStats& stats);

// The grouping's size (persons of two or more records, links, review pairs) into `stats`.
Status CountGrouping(schema::Database& db, IdentityRefreshStats& stats);

// Marks the grouping out of date although no child changed (after a supervisor's decision), so
// that the next steps apply what changed.
Status MarkIdentityGroupingStale(schema::Database& db);

// Starts a rebuild (`review refresh`): every child is read again and every record indexed again by
// the steps that follow. The derived tables are replaced part by part as the steps regroup them.
Status StartIdentityRebuild(schema::Database& db);

}  // namespace onecard::server
