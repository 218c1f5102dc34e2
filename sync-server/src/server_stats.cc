// ServerStore's statistics model (stats_cube.h): bringing it to today. Ingest keeps the cells
// (server_ingest.cc), the identity refresh the counted records (identity_store.cc).

#include <sqlite3.h>

#include "onecard/server/server_store.h"
#include "stats_cube.h"

namespace onecard::server {
namespace {

// True when the model is on `today` and every child is keyed and profiled: nothing to write. Read
// without a transaction, so that a count takes no write lock (partial indexes answer both).
Result<bool> StatsAreCurrent(schema::Database& db, CivilDate today) {
  ASSIGN_OR_RETURN(std::optional<CivilDate> date, StatsDate(db));
  if (!date || *date < today) return false;
  ASSIGN_OR_RETURN(schema::Statement pending,
                   db.Prepare("SELECT EXISTS (SELECT 1 FROM children WHERE record_key IS NULL) "
                              "OR EXISTS (SELECT 1 FROM children WHERE stats_attributes IS NULL)"));
  ASSIGN_OR_RETURN(bool row, pending.Step());
  return row && pending.ColumnInt(0) == 0;
}

// Records profiled per transaction when the model is brought up to date outside an ingest batch.
constexpr size_t kProfiledPerCommit = 100'000;

}  // namespace

Result<CivilDate> ServerStore::BringStatsLocked() {
  const CivilDate today = CivilDate::TodayInChina(*clock_);
  // Usually nothing to do (each ingest batch and each count asks): answered by reads alone.
  ASSIGN_OR_RETURN(bool current, StatsAreCurrent(db_, today));
  if (current) {
    ASSIGN_OR_RETURN(std::optional<CivilDate> date, StatsDate(db_));
    return *date;
  }
  // Inside the caller's transaction (an ingest batch): everything at once. Records are profiled
  // with their keys: the children stored without one are keyed first.
  if (sqlite3_get_autocommit(db_.handle()) == 0) {
    RETURN_IF_ERROR(KeyChildrenLocked());
    return BringStatsTo(db_, today);
  }
  // In transactions of its own, each profiling at most kProfiledPerCommit records: a store whose
  // every record needs a profile (migrated to a new statistics layout) keeps its WAL small.
  while (true) {
    ASSIGN_OR_RETURN(schema::Transaction tx, schema::Transaction::Begin(db_));
    RETURN_IF_ERROR(KeyChildrenLocked());
    ASSIGN_OR_RETURN(CivilDate date, BringStatsTo(db_, today, nullptr, kProfiledPerCommit));
    RETURN_IF_ERROR(tx.Commit());
    ASSIGN_OR_RETURN(current, StatsAreCurrent(db_, today));
    if (current) return date;
  }
}

}  // namespace onecard::server
