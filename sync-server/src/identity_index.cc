#include "identity_index.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "onecard/protocol/identity_steps.h"
#include "onecard/protocol/number_text.h"

namespace onecard::server {
namespace {

using schema::Database;
using schema::Statement;

std::vector<uint64_t> SortedUnique(std::vector<uint64_t> keys) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

void PutU64(Bytes& out, uint64_t v) {
  for (int i = 0; i < 8; ++i, v >>= 8) out.push_back(static_cast<uint8_t>(v));
}

uint64_t GetU64(std::span<const uint8_t> in, size_t at) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | in[at + static_cast<size_t>(i)];
  return v;
}

// SQLite stores integers as signed: a key's 64 bits go in as they are.
int64_t KeyColumn(uint64_t key) { return static_cast<int64_t>(key); }

}  // namespace

IndexedKeys IndexedKeys::Of(const IdentityRecord& record) {
  return {SortedUnique(IdentityBlockingKeys(record)), SortedUnique(IdentityExactKeys(record)),
          SortedUnique(IdentityFamilyLookupKeys(record))};
}

// Layout: the three counts, then the keys of each list, all as 8 bytes little-endian.
Bytes IndexedKeys::Encode() const {
  Bytes out;
  out.reserve(8 * (3 + blocking.size() + exact.size() + family_lookup.size()));
  for (const auto* list : {&blocking, &exact, &family_lookup}) PutU64(out, list->size());
  for (const auto* list : {&blocking, &exact, &family_lookup}) {
    for (uint64_t k : *list) PutU64(out, k);
  }
  return out;
}

IndexedKeys IndexedKeys::Decode(std::span<const uint8_t> blob) {
  IndexedKeys keys;
  if (blob.size() < 24 || blob.size() % 8 != 0) return keys;
  const uint64_t n[3] = {GetU64(blob, 0), GetU64(blob, 8), GetU64(blob, 16)};
  if (n[0] + n[1] + n[2] != blob.size() / 8 - 3) return keys;
  size_t at = 24;
  for (int list = 0; list < 3; ++list) {
    std::vector<uint64_t>& out = list == 0   ? keys.blocking
                                 : list == 1 ? keys.exact
                                             : keys.family_lookup;
    for (uint64_t i = 0; i < n[list]; ++i, at += 8) out.push_back(GetU64(blob, at));
  }
  return keys;
}

struct IdentityIndex::Statements {
  Statement record, rec_of, stored_keys, members, add_key, remove_key, set_keys, delete_record,
      pairs_of, put_pair, remove_pair, watch, watched, unwatch;
};

Result<IdentityIndex> IdentityIndex::Open(Database& db) {
  auto prepare = [&db](const char* sql) { return db.Prepare(sql); };
  ASSIGN_OR_RETURN(Statement record, prepare("SELECT child_id, recency, fields FROM "
                                             "identity_records WHERE rec = ?"));
  ASSIGN_OR_RETURN(Statement rec_of,
                   prepare("SELECT rec FROM identity_records WHERE child_id = ?"));
  ASSIGN_OR_RETURN(Statement stored_keys,
                   prepare("SELECT keys FROM identity_records WHERE rec = ? AND keys IS NOT NULL"));
  ASSIGN_OR_RETURN(Statement members,
                   prepare("SELECT rec FROM identity_keys WHERE key = ? LIMIT ?"));
  ASSIGN_OR_RETURN(Statement add_key,
                   prepare("INSERT OR IGNORE INTO identity_keys(key, rec) VALUES (?, ?)"));
  ASSIGN_OR_RETURN(Statement remove_key,
                   prepare("DELETE FROM identity_keys WHERE key = ? AND rec = ?"));
  ASSIGN_OR_RETURN(Statement set_keys,
                   prepare("UPDATE identity_records SET keys = ?, dirty = 0 WHERE rec = ?"));
  ASSIGN_OR_RETURN(Statement delete_record, prepare("DELETE FROM identity_records WHERE rec = ?"));
  ASSIGN_OR_RETURN(Statement pairs_of,
                   prepare("SELECT a, b, score, reasons, kind FROM identity_pairs WHERE a = ?1 "
                           "UNION ALL SELECT a, b, score, reasons, kind FROM identity_pairs "
                           "WHERE b = ?1"));
  ASSIGN_OR_RETURN(Statement put_pair,
                   prepare("INSERT INTO identity_pairs(a, b, score, reasons, kind) VALUES (?, ?, "
                           "?, ?, ?) ON CONFLICT(a, b) DO UPDATE SET score = excluded.score, "
                           "reasons = excluded.reasons, kind = excluded.kind"));
  ASSIGN_OR_RETURN(Statement remove_pair,
                   prepare("DELETE FROM identity_pairs WHERE a = ? AND b = ?"));
  ASSIGN_OR_RETURN(Statement watch, prepare("INSERT OR IGNORE INTO identity_one_character(key, "
                                            "a, b) VALUES (?, ?, ?)"));
  ASSIGN_OR_RETURN(Statement watched,
                   prepare("SELECT a, b FROM identity_one_character WHERE key = ?"));
  ASSIGN_OR_RETURN(Statement unwatch, prepare("DELETE FROM identity_one_character WHERE key = ? "
                                              "AND a = ? AND b = ?"));
  return IdentityIndex(std::make_unique<Statements>(Statements{
      std::move(record), std::move(rec_of), std::move(stored_keys), std::move(members),
      std::move(add_key), std::move(remove_key), std::move(set_keys), std::move(delete_record),
      std::move(pairs_of), std::move(put_pair), std::move(remove_pair), std::move(watch),
      std::move(watched), std::move(unwatch)}));
}

IdentityIndex::IdentityIndex(std::unique_ptr<Statements> st) : st_(std::move(st)) {}
IdentityIndex::IdentityIndex(IdentityIndex&&) noexcept = default;
IdentityIndex::~IdentityIndex() = default;

Result<const IndexedRecord*> IdentityIndex::Record(int64_t rec) {
  if (auto it = records_.find(rec); it != records_.end()) return it->second.get();
  Statement& st = st_->record;
  RETURN_IF_ERROR(st.Reset());
  ASSIGN_OR_RETURN(bool row, st.Bind(1, rec).Step());
  if (!row) return static_cast<const IndexedRecord*>(nullptr);
  auto record = std::make_unique<IndexedRecord>();
  record->rec = rec;
  record->child_id = st.ColumnText(0);
  record->recency = static_cast<uint64_t>(st.ColumnInt(1));
  const std::string text = st.ColumnText(2);
  record->erased = text == kErasedIdentityFields;
  const nlohmann::json fields = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (Result<IdentityRecord> identity = IdentityRecordFromChild(fields, record->child_id);
      identity.ok()) {
    record->identity = std::move(identity).value();
  }
  return records_.emplace(rec, std::move(record)).first->second.get();
}

Result<std::optional<int64_t>> IdentityIndex::RecOf(const std::string& child_id) {
  Statement& st = st_->rec_of;
  RETURN_IF_ERROR(st.Reset());
  ASSIGN_OR_RETURN(bool row, st.Bind(1, child_id).Step());
  return row ? std::optional<int64_t>(st.ColumnInt(0)) : std::nullopt;
}

Result<IndexedKeys> IdentityIndex::StoredKeys(int64_t rec) {
  Statement& st = st_->stored_keys;
  RETURN_IF_ERROR(st.Reset());
  ASSIGN_OR_RETURN(bool row, st.Bind(1, rec).Step());
  return row ? IndexedKeys::Decode(st.ColumnBlobView(0)) : IndexedKeys{};
}

const IndexedKeys& IdentityIndex::KeysOf(const IndexedRecord& record) {
  auto it = keys_.find(record.rec);
  if (it == keys_.end()) {
    it = keys_
             .emplace(record.rec,
                      record.identity ? IndexedKeys::Of(*record.identity) : IndexedKeys{})
             .first;
  }
  return it->second;
}

Result<std::vector<int64_t>> IdentityIndex::Members(uint64_t key, size_t cap) {
  Statement& st = st_->members;
  RETURN_IF_ERROR(st.Reset());
  std::vector<int64_t> out;
  const auto limit = static_cast<int64_t>(std::min<size_t>(cap, INT64_MAX));
  RETURN_IF_ERROR(
      st.Bind(1, KeyColumn(key)).Bind(2, limit).ForEachRow([&out](const Statement& row) {
        out.push_back(row.ColumnInt(0));
      }));
  return out;
}

Status IdentityIndex::ReplaceKeys(int64_t rec, const IndexedKeys& old_keys,
                                  const IndexedKeys& new_keys) {
  for (const auto* list : {&old_keys.blocking, &old_keys.exact}) {
    for (uint64_t k : *list) {
      RETURN_IF_ERROR(st_->remove_key.Reset());
      RETURN_IF_ERROR(st_->remove_key.Bind(1, KeyColumn(k)).Bind(2, rec).Run());
    }
  }
  for (const auto* list : {&new_keys.blocking, &new_keys.exact}) {
    for (uint64_t k : *list) {
      RETURN_IF_ERROR(st_->add_key.Reset());
      RETURN_IF_ERROR(st_->add_key.Bind(1, KeyColumn(k)).Bind(2, rec).Run());
    }
  }
  RETURN_IF_ERROR(st_->set_keys.Reset());
  const Bytes blob = new_keys.Encode();
  return st_->set_keys.Bind(1, ByteSpan(blob)).Bind(2, rec).Run();
}

Status IdentityIndex::DeleteRecord(int64_t rec) {
  Statement& st = st_->delete_record;
  RETURN_IF_ERROR(st.Reset());
  RETURN_IF_ERROR(st.Bind(1, rec).Run());
  records_.erase(rec);
  keys_.erase(rec);
  return Status::Ok();
}

Result<std::vector<StoredPair>> IdentityIndex::PairsOf(int64_t rec) {
  Statement& st = st_->pairs_of;
  RETURN_IF_ERROR(st.Reset());
  std::vector<StoredPair> out;
  RETURN_IF_ERROR(st.Bind(1, rec).ForEachRow([&out](const Statement& row) {
    out.push_back({row.ColumnInt(0), row.ColumnInt(1), ParseDouble(row.ColumnText(2)).value_or(0.0),
                   static_cast<uint32_t>(row.ColumnInt(3)),
                   static_cast<PairKind>(row.ColumnInt(4))});
  }));
  return out;
}

Status IdentityIndex::PutPair(const StoredPair& p) {
  Statement& st = st_->put_pair;
  RETURN_IF_ERROR(st.Reset());
  // Scores are halves at most (identity_score.h): stored exactly as REAL through text.
  return st.Bind(1, p.a)
      .Bind(2, p.b)
      .Bind(3, std::to_string(p.score))
      .Bind(4, static_cast<int64_t>(p.reasons))
      .Bind(5, static_cast<int64_t>(p.kind))
      .Run();
}

Status IdentityIndex::RemovePair(int64_t a, int64_t b) {
  Statement& st = st_->remove_pair;
  RETURN_IF_ERROR(st.Reset());
  return st.Bind(1, a).Bind(2, b).Run();
}

Status IdentityIndex::WatchOneCharacter(uint64_t key, int64_t a, int64_t b) {
  Statement& st = st_->watch;
  RETURN_IF_ERROR(st.Reset());
  return st.Bind(1, KeyColumn(key)).Bind(2, a).Bind(3, b).Run();
}

Result<std::vector<std::pair<int64_t, int64_t>>> IdentityIndex::WatchedOneCharacter(uint64_t key) {
  Statement& st = st_->watched;
  RETURN_IF_ERROR(st.Reset());
  std::vector<std::pair<int64_t, int64_t>> out;
  RETURN_IF_ERROR(st.Bind(1, KeyColumn(key)).ForEachRow([&out](const Statement& row) {
    out.emplace_back(row.ColumnInt(0), row.ColumnInt(1));
  }));
  return out;
}

Status IdentityIndex::UnwatchOneCharacter(uint64_t key, int64_t a, int64_t b) {
  Statement& st = st_->unwatch;
  RETURN_IF_ERROR(st.Reset());
  return st.Bind(1, KeyColumn(key)).Bind(2, a).Bind(3, b).Run();
}

}  // namespace onecard::server
