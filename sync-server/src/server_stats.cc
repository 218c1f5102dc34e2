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

}  // namespace

Result<CivilDate> ServerStore::BringStatsLocked() {
  const CivilDate today = CivilDate::TodayInChina(*clock_);
  // Usually nothing to do (each ingest batch and each count asks): answered by reads alone.
  ASSIGN_OR_RETURN(bool current, StatsAreCurrent(db_, today));
  if (current) {
    ASSIGN_OR_RETURN(std::optional<CivilDate> date, StatsDate(db_));
    return *date;
  }
  std::optional<schema::Transaction> own;
  if (sqlite3_get_autocommit(db_.handle()) != 0) {
    ASSIGN_OR_RETURN(schema::Transaction tx, schema::Transaction::Begin(db_));
    own.emplace(std::move(tx));
  }
  // Records are profiled with their keys: the children stored without one are keyed first.
  RETURN_IF_ERROR(KeyChildrenLocked());
  ASSIGN_OR_RETURN(CivilDate date, BringStatsTo(db_, today));
  if (own) RETURN_IF_ERROR(own->Commit());
  return date;
}

}  // namespace onecard::server
