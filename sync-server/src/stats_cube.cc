#include "stats_cube.h"

#include <utility>
#include <vector>

#include "onecard/protocol/area_codes.h"
#include "onecard/schema/meta_table.h"
#include "stats_block.h"
#include "stored_values.h"

namespace onecard::server {
namespace {

constexpr char kStatsDateKey[] = "stats_date";
constexpr char kStatsAsOfKey[] = "stats_as_of";
// Rows profiled per statement: the roll and the first profiling hold only this many states.
constexpr int64_t kProfileChunk = 2000;

// The cells' entry of a children row whose residence_area, hukou_area and record_key are the
// columns `first`, `first + 1` and `first + 2`.
StatsEntry EntryOfRow(const schema::Statement& st, int first, StatsAttributes attributes) {
  return StatsEntry{StatsArea(st.ColumnText(first)), StatsArea(st.ColumnText(first + 1)),
                    attributes, static_cast<uint32_t>(st.ColumnInt(first + 2))};
}

// A row to profile: where it is counted now, its columns and its state.
struct RowToProfile {
  std::string child_id, state, category, sex, birth_date;
  StatsEntry entry;
  bool profiled = false;  // has a profile: with `counted`, its entry is in the cells
  bool counted = false;
};

// The profile of a stored state on `on` (an unreadable state: every attribute unknown).
// `revoked` looks up its card serial (kCardRevokedSql).
Result<StatsProfile> ProfileOfStored(const RowToProfile& row, CivilDate on,
                                     schema::Statement& revoked) {
  Result<ChildState> state = StoredChildState(row.state);
  const ChildState& read = state.ok() ? *state : ChildState(row.child_id);
  ASSIGN_OR_RETURN(bool card_revoked, CardSerialRevoked(revoked, StatsCardSerial(read)));
  return ProfileOf({row.category, row.sex, row.birth_date, card_revoked}, read, on);
}

Status SaveProfile(schema::Statement& save, const std::string& child_id, const StatsProfile& p) {
  RETURN_IF_ERROR(save.Reset());
  save.Bind(1, int64_t{p.attributes});
  if (p.changes_on) {
    save.Bind(2, p.changes_on->ToString());
  } else {
    save.BindNull(2);
  }
  return save.Bind(3, child_id).Run();
}

// Profiles on `on` the rows `select` finds, in chunks, and moves their cells. `select` takes the
// day (?1) and a row limit (?2) and gives child_id, state, residence_area, hukou_area, record_key,
// stats_attributes, stats_counted, category, sex, birth_date; a row profiled on `on` must no longer
// match it. Stops when none matches, or after at least `max_rows`. Returns the rows profiled.
Result<size_t> ProfileRows(schema::Database& db, std::string_view select, CivilDate on,
                           size_t max_rows = SIZE_MAX) {
  ASSIGN_OR_RETURN(schema::Statement find, db.Prepare(select));
  ASSIGN_OR_RETURN(schema::Statement save,
                   db.Prepare("UPDATE children SET stats_attributes = ?, stats_changes_on = ? "
                              "WHERE child_id = ?"));
  ASSIGN_OR_RETURN(schema::Statement revoked, db.Prepare(kCardRevokedSql));
  size_t profiled = 0;
  while (true) {
    std::vector<RowToProfile> rows;
    RETURN_IF_ERROR(find.Reset());
    find.Bind(1, on.ToString()).Bind(2, kProfileChunk);
    RETURN_IF_ERROR(find.ForEachRow([&rows](const schema::Statement& st) {
      RowToProfile& r = rows.emplace_back();
      r.child_id = st.ColumnText(0);
      r.state = st.ColumnText(1);
      r.entry = EntryOfRow(st, 2, static_cast<StatsAttributes>(st.ColumnInt(5)));
      r.profiled = !st.ColumnIsNull(5);
      r.counted = st.ColumnInt(6) != 0;
      r.category = st.ColumnText(7);
      r.sex = st.ColumnText(8);
      r.birth_date = st.ColumnText(9);
    }));
    if (rows.empty()) return profiled;
    StatsDelta delta;
    for (RowToProfile& r : rows) {
      ASSIGN_OR_RETURN(const StatsProfile p, ProfileOfStored(r, on, revoked));
      if (r.counted && r.profiled) delta.Add(r.entry, -1);
      r.entry.attributes = p.attributes;
      if (r.counted) delta.Add(r.entry, +1);
      RETURN_IF_ERROR(SaveProfile(save, r.child_id, p));
    }
    RETURN_IF_ERROR(delta.Apply(db));
    profiled += rows.size();
    if (profiled >= max_rows) return profiled;
  }
}

constexpr char kRowColumns[] =
    "SELECT child_id, state, residence_area, hukou_area, record_key, stats_attributes, "
    "stats_counted, category, sex, birth_date FROM children ";

}  // namespace

int32_t StatsArea(std::string_view stored) {
  if (stored.size() != 6 || !IsKnownArea(stored)) return kNoStatsArea;
  int32_t code = 0;
  for (char c : stored) code = code * 10 + (c - '0');
  return code;
}

StatsLevel StatsLevelFor(int residence, int hukou) {
  StatsLevel best{6, 6};  // keeps every digit
  for (const StatsLevel& level : kStatsLevels) {
    if (level.residence < residence || level.hukou < hukou) continue;
    if (std::pair(level.residence, level.hukou) < std::pair(best.residence, best.hukou)) {
      best = level;
    }
  }
  return best;
}

int32_t StatsAreaPrefix(int32_t area, int digits) {
  static constexpr int32_t kDivisors[] = {1'000'000, 100'000, 10'000, 1'000, 100, 10, 1};
  if (digits <= 0) return 0;
  return area == kNoStatsArea ? kNoStatsArea : area / kDivisors[digits];
}

void StatsDelta::Add(const StatsEntry& entry, int sign) {
  Change& c = cells_[{entry.residence, entry.hukou, entry.attributes}];
  c.n += sign;
  c.key += sign > 0 ? entry.key : 0u - entry.key;
}

Status StatsDelta::Apply(schema::Database& db) {
  if (cells_.empty()) return Status::Ok();
  // The changes of each block at each level, many fine cells adding into one coarse one.
  std::map<std::tuple<int, int32_t, int32_t, StatsAttributes>, std::map<uint32_t, Change>> blocks;
  for (const auto& [cell, change] : cells_) {
    if (change.n == 0 && change.key == 0) continue;
    const auto& [residence, hukou, attributes] = cell;
    for (const StatsLevel& level : kStatsLevels) {
      Change& c = blocks[{level.id(), StatsAreaPrefix(residence, level.residence),
                          StatsAreaPrefix(hukou, level.hukou), StatsHead(attributes)}]
                        [StatsTail(attributes)];
      c.n += change.n;
      c.key += change.key;
    }
  }
  cells_.clear();
  ASSIGN_OR_RETURN(schema::Statement read,
                   db.Prepare("SELECT cells FROM stats_blocks WHERE level = ?1 AND residence = ?2 "
                              "AND hukou = ?3 AND head = ?4"));
  ASSIGN_OR_RETURN(schema::Statement write,
                   db.Prepare("INSERT OR REPLACE INTO stats_blocks(level, residence, hukou, head, "
                              "cells) VALUES (?1, ?2, ?3, ?4, ?5)"));
  ASSIGN_OR_RETURN(schema::Statement drop,
                   db.Prepare("DELETE FROM stats_blocks WHERE level = ?1 AND residence = ?2 AND "
                              "hukou = ?3 AND head = ?4"));
  for (const auto& [block, changes] : blocks) {
    const auto bind_key = [&block](schema::Statement& st) -> schema::Statement& {
      const auto& [level, residence, hukou, head] = block;
      return st.Bind(1, int64_t{level})
          .Bind(2, int64_t{residence})
          .Bind(3, int64_t{hukou})
          .Bind(4, int64_t{head});
    };
    RETURN_IF_ERROR(read.Reset());
    ASSIGN_OR_RETURN(bool found, bind_key(read).Step());
    std::vector<StatsBlockCell> cells;
    if (found) {
      ASSIGN_OR_RETURN(cells, DecodeStatsBlock(read.ColumnBlobView(0)));
    }
    RETURN_IF_ERROR(read.Reset());
    for (const auto& [tail, change] : changes) {
      if (change.n != 0 || change.key != 0) {
        RETURN_IF_ERROR(ChangeStatsBlock(cells, tail, change.n, change.key));
      }
    }
    schema::Statement& st = cells.empty() ? drop : write;
    RETURN_IF_ERROR(st.Reset());
    bind_key(st);
    const Bytes encoded = EncodeStatsBlock(cells);
    if (!cells.empty()) write.Bind(5, ByteSpan(encoded));
    RETURN_IF_ERROR(st.Run());
  }
  return Status::Ok();
}

Result<std::optional<CivilDate>> StatsDate(schema::Database& db) {
  ASSIGN_OR_RETURN(std::optional<std::string> text, schema::ReadMeta(db, kStatsDateKey));
  if (!text) return std::optional<CivilDate>();
  ASSIGN_OR_RETURN(CivilDate date, CivilDate::Parse(*text));
  return std::optional<CivilDate>(date);
}

Result<CivilDate> BringStatsTo(schema::Database& db, CivilDate today, size_t* rolled,
                               size_t max_unprofiled) {
  ASSIGN_OR_RETURN(std::optional<CivilDate> date, StatsDate(db));
  if (rolled != nullptr) *rolled = 0;
  if (!date || *date < today) {
    if (date) {
      ASSIGN_OR_RETURN(
          size_t n,
          ProfileRows(db, std::string(kRowColumns) + "WHERE stats_changes_on <= ?1 LIMIT ?2",
                      today));
      if (rolled != nullptr) *rolled = n;
    }
    RETURN_IF_ERROR(schema::WriteMeta(db, kStatsDateKey, today.ToString()));
    date = today;
  }
  RETURN_IF_ERROR(
      ProfileRows(db,
                  std::string(kRowColumns) + "WHERE stats_attributes IS NULL AND ?1 <> '' LIMIT ?2",
                  *date, max_unprofiled)
          .status());
  return *date;
}

Status KeepStatsWithPersonsOf(schema::Database& db, const std::set<std::string>& child_ids) {
  ASSIGN_OR_RETURN(
      schema::Statement st,
      db.Prepare("UPDATE children SET stats_counted = 1 - stats_counted WHERE child_id = ?1 AND "
                 "stats_counted = EXISTS (SELECT 1 FROM identity_persons WHERE child_id = ?1 AND "
                 "current = 0) RETURNING stats_counted, residence_area, hukou_area, record_key, "
                 "stats_attributes"));
  StatsDelta delta;
  for (const std::string& child : child_ids) {
    RETURN_IF_ERROR(st.Reset());
    RETURN_IF_ERROR(st.Bind(1, child).ForEachRow([&delta](const schema::Statement& row) {
      if (row.ColumnIsNull(4)) return;  // not profiled: counted when it is
      delta.Add(EntryOfRow(row, 1, static_cast<StatsAttributes>(row.ColumnInt(4))),
                row.ColumnInt(0) != 0 ? +1 : -1);
    }));
  }
  return delta.Apply(db);
}

Status ProfileAgainLater(schema::Database& db, const std::string& child_id, StatsDelta& delta) {
  ASSIGN_OR_RETURN(schema::Statement get,
                   db.Prepare("SELECT residence_area, hukou_area, record_key, stats_attributes "
                              "FROM children WHERE child_id = ? AND stats_counted = 1 AND "
                              "stats_attributes IS NOT NULL"));
  RETURN_IF_ERROR(get.Bind(1, child_id).ForEachRow([&delta](const schema::Statement& row) {
    delta.Add(EntryOfRow(row, 0, static_cast<StatsAttributes>(row.ColumnInt(3))), -1);
  }));
  ASSIGN_OR_RETURN(schema::Statement forget,
                   db.Prepare("UPDATE children SET stats_attributes = NULL, stats_changes_on = "
                              "NULL WHERE child_id = ?"));
  return forget.Bind(1, child_id).Run();
}

Result<bool> CardSerialRevoked(schema::Statement& lookup, std::string_view serial) {
  if (serial.empty()) return false;
  RETURN_IF_ERROR(lookup.Reset());
  ASSIGN_OR_RETURN(bool row, lookup.Bind(1, serial).Step());
  const bool revoked = row && lookup.ColumnInt(0) != 0;
  RETURN_IF_ERROR(lookup.Reset());
  return revoked;
}

Result<std::optional<std::string>> StatsAsOf(schema::Database& db) {
  return schema::ReadMeta(db, kStatsAsOfKey);
}

Status SetStatsAsOf(schema::Database& db, const std::string& at) {
  return schema::WriteMeta(db, kStatsAsOfKey, at);
}

}  // namespace onecard::server
