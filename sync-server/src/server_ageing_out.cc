// ServerStore: ageing out (onecard/protocol/ageing_out.h; docs/data-protection.md, "Ageing
// out"). Closing at 18 needs nothing here (the statistics count no closed record: counts.cc);
// this erases, with reason aged_out, the records whose retention after the 18th birthday has
// ended: a few hundred per step of serve's background refresh, once a day.

#include "onecard/protocol/ageing_out.h"
#include "onecard/protocol/erasure.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/number_text.h"
#include "onecard/server/server_store.h"
#include "stats_cube.h"

namespace onecard::server {
namespace {

using schema::Statement;
using schema::Transaction;

constexpr char kRetentionYearsKey[] = "retention_years";
// Erasures per step: each rewrites a few rows and blocks; a step stays within tens of milliseconds.
constexpr size_t kAgedOutPerStep = 200;

}  // namespace

Result<int> ParseRetentionYears(std::string_view text) {
  std::optional<uint64_t> years = ParseUint64(text);
  if (!years || *years > static_cast<uint64_t>(kMaxRetentionYears)) {
    const std::string max = std::to_string(kMaxRetentionYears);
    return Status(ErrorCode::kInvalidArgument,
                  Tr("保存年限必须是 0 到 " + max + " 之间的整数：" + std::string(text),
                     "the retention must be a whole number of years from 0 to " + max + ": " +
                         std::string(text)));
  }
  return static_cast<int>(*years);
}

Result<int> ServerStore::RetentionYearsLocked() {
  ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT value FROM meta WHERE key = ?"));
  ASSIGN_OR_RETURN(bool row, st.Bind(1, std::string(kRetentionYearsKey)).Step());
  if (!row) return kDefaultRetentionYears;
  return ParseRetentionYears(st.ColumnText(0));
}

Result<int> ServerStore::RetentionYears() {
  std::lock_guard lock(mu_);
  return RetentionYearsLocked();
}

Status ServerStore::SetRetentionYears(int years) {
  RETURN_IF_ERROR(ParseRetentionYears(std::to_string(years)).status());
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement st,
                   db_.Prepare("INSERT INTO meta(key, value) VALUES (?, ?) "
                               "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  RETURN_IF_ERROR(st.Bind(1, std::string(kRetentionYearsKey)).Bind(2, std::to_string(years)).Run());
  aged_out_done_on_.reset();  // a shorter retention may make records due today
  return Status::Ok();
}

Result<size_t> ServerStore::EraseAgedOutLocked(size_t limit) {
  const CivilDate today = CivilDate::TodayInChina(*clock_);
  ASSIGN_OR_RETURN(int years, RetentionYearsLocked());
  const std::string latest = LatestBirthDueForErasure(today, years).ToString();
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  // Text order is date order for "YYYY-MM-DD"; "0" keeps out empty and malformed dates.
  ASSIGN_OR_RETURN(Statement due,
                   db_.Prepare("SELECT child_id, birth_date FROM children WHERE birth_date "
                               "BETWEEN '0' AND ? ORDER BY birth_date LIMIT ?"));
  due.Bind(1, latest).Bind(2, static_cast<int64_t>(limit));
  std::vector<std::string> child_ids;
  RETURN_IF_ERROR(due.ForEachRow([&](const Statement& row) {
    Result<CivilDate> birth = CivilDate::Parse(row.ColumnText(1));
    if (birth.ok() && RetentionEndsOn(*birth, years) <= today)
      child_ids.push_back(row.ColumnText(0));
  }));
  StatsDelta delta;
  const int64_t now_ms = clock_->WallMs();
  for (const std::string& child_id : child_ids) {
    RETURN_IF_ERROR(EraseChildLocked(child_id, kErasureAgedOut, kAgedOutErasedBy, now_ms, delta));
  }
  RETURN_IF_ERROR(delta.Apply(db_));
  RETURN_IF_ERROR(tx.Commit());
  CheckpointAfterErasureLocked();
  return child_ids.size();
}

Result<bool> ServerStore::EraseAgedOutStepLocked() {
  const CivilDate today = CivilDate::TodayInChina(*clock_);
  if (aged_out_done_on_ == today) return false;
  ASSIGN_OR_RETURN(size_t erased, EraseAgedOutLocked(kAgedOutPerStep));
  if (erased < kAgedOutPerStep) aged_out_done_on_ = today;
  return erased > 0;  // the identity grouping has erased records to take out, or more are due
}

}  // namespace onecard::server
