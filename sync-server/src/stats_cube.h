// The statistics model (issue 13; docs/statistics.md): every counted record (the current record
// of each person) has a profile (stats_profile.h) stored with it in `children`, and is summed into
// the cells of eight cube levels, kept in blocks (stats_block.h) in stats_blocks, so that a counts
// question reads a bounded number of rows and never a record. Kept current by ingest (StatsDelta),
// by the identity grouping (KeepStatsWithPersons), by profiling rows stored without a profile, and
// by the daily roll (RollStats) for what time changes. Embedded backend only; each function runs
// inside the caller's transaction and lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>

#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "stats_profile.h"

namespace onecard::server {

// A cube level: the digits its cells keep of the residence and of the hukou area (0: none).
struct StatsLevel {
  int residence = 6;
  int hukou = 0;
  int id() const { return 10 * residence + hukou; }
};
// Every level the cells are kept at, finest first. A question is answered at the coarsest level
// that keeps the digits it needs (StatsLevelFor): a breakdown by hukou county over a province
// reads level 26, one row per hukou county and head attributes, not a row per pair of counties.
inline constexpr StatsLevel kStatsLevels[] = {{6, 6}, {6, 0}, {4, 6}, {4, 4},
                                              {4, 0}, {2, 6}, {2, 2}, {2, 0}};
// The kept level with the fewest residence digits, then the fewest hukou digits, that keeps at
// least `residence` (2, 4 or 6) and `hukou` (0, 2, 4 or 6) digits.
StatsLevel StatsLevelFor(int residence, int hukou);

// The area of a stored area column as the cells hold it: the code as a number when it is a known
// 6-digit code (GB/T 2260), else kNoStatsArea (counted in no area prefix).
inline constexpr int32_t kNoStatsArea = -1;
int32_t StatsArea(std::string_view stored);
// The first `digits` (0–6) digits of a 6-digit area as a number (0 for 0 digits); kNoStatsArea
// stays itself.
int32_t StatsAreaPrefix(int32_t area, int digits);

// A counted record's place in the cells.
struct StatsEntry {
  int32_t residence = kNoStatsArea, hukou = kNoStatsArea;  // StatsArea of each
  StatsAttributes attributes = 0;
  uint32_t key = 0;  // its record key (record_key.h)
};

// Changes to the cells, gathered over many records (one ingest batch) and written at once.
class StatsDelta {
 public:
  // Counts `entry` in (sign +1) or out (sign -1).
  void Add(const StatsEntry& entry, int sign);
  bool empty() const { return cells_.empty(); }
  void Clear() { cells_.clear(); }
  // Writes every change to the blocks of every level, then clears.
  Status Apply(schema::Database& db);

 private:
  struct Change {
    int64_t n = 0;
    uint32_t key = 0;  // wraps modulo 2^32
  };
  std::map<std::tuple<int32_t, int32_t, StatsAttributes>, Change> cells_;
};

// The statistics' date (meta "stats_date"): the day every stored profile is computed on.
// nullopt before the first one.
Result<std::optional<CivilDate>> StatsDate(schema::Database& db);

// Brings the model to `today`: the first time, sets the date; when `today` is later than the
// date, re-profiles the records whose profile changes by then (the daily roll) and moves the date
// (never back). Then profiles the records stored without a profile (record keys must be set:
// record_key.h): all of them, or about `max_unprofiled` (some may remain). Returns the statistics'
// date, and in `rolled` (when given) the records re-profiled by the roll.
Result<CivilDate> BringStatsTo(schema::Database& db, CivilDate today, size_t* rolled = nullptr,
                               size_t max_unprofiled = SIZE_MAX);

// After the identity grouping of the records `child_ids` changed: a record that stopped being its
// person's current one is counted out, one that became it is counted in.
Status KeepStatsWithPersonsOf(schema::Database& db, const std::set<std::string>& child_ids);

// After a card of `child_id` was revoked: counts its record out into `delta` and leaves it without
// a profile, so that it is profiled again (card revoked or not) before the next ingest or count
// (BringStatsTo). Nothing for an unknown child.
Status ProfileAgainLater(schema::Database& db, const std::string& child_id, StatsDelta& delta);

// Whether a card serial is revoked (revocations), as the card dimension reads it. False for "".
Result<bool> CardSerialRevoked(schema::Statement& lookup, std::string_view serial);
// The statement CardSerialRevoked runs (prepared once per batch of records).
inline constexpr char kCardRevokedSql[] =
    "SELECT EXISTS (SELECT 1 FROM revocations WHERE kind = 'card' AND subject = ?)";

// The time of the newest fact the cells include (meta "stats_as_of"), if any.
Result<std::optional<std::string>> StatsAsOf(schema::Database& db);
Status SetStatsAsOf(schema::Database& db, const std::string& at);

}  // namespace onecard::server
