#include "identity_sync_publish.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "change_seq.h"
#include "onecard/protocol/number_text.h"

namespace onecard::server {
namespace {

using nlohmann::json;
using schema::Database;
using schema::Statement;

using Pair = std::pair<std::string, std::string>;

struct ReviewRow {
  double score = 0;
  int64_t reasons = 0;
  std::string records;  // JSON text
  bool removed = false;
  bool operator==(const ReviewRow&) const = default;
};

// What a supervisor compares of a record (IdentityRecordSummary in sync.proto), from the identity
// fields the refresh keeps (identity_records, `fields` JSON text or NULL): nothing else of the
// child leaves the server.
json Summary(const std::string& child_id, const std::string& fields_text) {
  json out = {{"child_id", child_id}};
  json fields = json::parse(fields_text, nullptr, false);
  for (const char* f : {"name", "sex", "birth_date", "hukou_area", "residence_area"}) {
    auto it = fields.is_object() ? fields.find(f) : fields.end();
    out[f] = fields.is_object() && it != fields.end() && it->is_string() ? it->get<std::string>()
                                                                         : std::string();
  }
  return out;
}

// A stored score; -1 (no score: real ones are >= 0) when the stored text is not a number, so that
// a published row stored unreadable never equals the current one and is published again.
double StoredScore(const std::string& text) { return ParseDouble(text).value_or(-1.0); }

// The pairs of `pairs` that are in the queue.
Result<std::map<Pair, ReviewRow>> CurrentReview(Database& db, const std::set<Pair>& pairs) {
  ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("SELECT r.score, r.reasons, coalesce(x.fields, ''), "
                 "coalesce(y.fields, '') FROM identity_review AS r LEFT JOIN "
                 "identity_records AS x ON x.child_id = r.a LEFT JOIN "
                 "identity_records AS y ON y.child_id = r.b WHERE r.a = ? AND r.b = ?"));
  std::map<Pair, ReviewRow> out;
  for (const auto& [a, b] : pairs) {
    RETURN_IF_ERROR(st.Reset());
    ASSIGN_OR_RETURN(bool row, st.Bind(1, a).Bind(2, b).Step());
    if (!row) continue;
    ReviewRow r{StoredScore(st.ColumnText(0)), st.ColumnInt(1), "", false};
    r.records = json::array({Summary(a, st.ColumnText(2)), Summary(b, st.ColumnText(3))}).dump();
    out[{a, b}] = std::move(r);
  }
  return out;
}

// The pairs of `pairs` that were published.
Result<std::map<Pair, ReviewRow>> PublishedReview(Database& db, const std::set<Pair>& pairs) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT score, reasons, records, removed FROM "
                                            "identity_review_sync WHERE a = ? AND b = ?"));
  std::map<Pair, ReviewRow> out;
  for (const auto& [a, b] : pairs) {
    RETURN_IF_ERROR(st.Reset());
    ASSIGN_OR_RETURN(bool row, st.Bind(1, a).Bind(2, b).Step());
    if (!row) continue;
    out[{a, b}] = ReviewRow{StoredScore(st.ColumnText(0)), st.ColumnInt(1), st.ColumnText(2),
                            st.ColumnInt(3) != 0};
  }
  return out;
}

// person_id -> members JSON text (sorted child_ids), for the persons of `persons` that exist.
Result<std::map<std::string, std::string>> CurrentPersons(Database& db,
                                                          const std::set<std::string>& persons) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT child_id FROM identity_persons WHERE "
                                            "person_id = ? ORDER BY child_id"));
  std::map<std::string, std::string> out;
  for (const std::string& person : persons) {
    RETURN_IF_ERROR(st.Reset());
    json members = json::array();
    RETURN_IF_ERROR(st.Bind(1, person).ForEachRow(
        [&members](const Statement& row) { members.push_back(row.ColumnText(0)); }));
    if (!members.empty()) out[person] = members.dump();
  }
  return out;
}

Result<std::map<std::string, std::string>> PublishedPersons(Database& db,
                                                            const std::set<std::string>& persons) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("SELECT members FROM identity_person_sync WHERE person_id = ?"));
  std::map<std::string, std::string> out;
  for (const std::string& person : persons) {
    RETURN_IF_ERROR(st.Reset());
    ASSIGN_OR_RETURN(bool row, st.Bind(1, person).Step());
    if (row) out[person] = st.ColumnText(0);
  }
  return out;
}

}  // namespace

Result<IdentityPublishStats> PublishIdentityForSync(Database& db,
                                                    const IdentityPublishScope& scope) {
  IdentityPublishStats stats;
  ASSIGN_OR_RETURN(int64_t next, NextChangeSeq(db));

  ASSIGN_OR_RETURN(auto review, CurrentReview(db, scope.review_pairs));
  ASSIGN_OR_RETURN(auto published_review, PublishedReview(db, scope.review_pairs));
  ASSIGN_OR_RETURN(Statement put_pair,
                   db.Prepare("INSERT INTO identity_review_sync(a, b, score, reasons, records, "
                              "removed, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?) "
                              "ON CONFLICT(a, b) DO UPDATE SET score = excluded.score, reasons = "
                              "excluded.reasons, records = excluded.records, removed = "
                              "excluded.removed, change_seq = excluded.change_seq"));
  auto write_pair = [&](const Pair& p, const ReviewRow& r) -> Status {
    RETURN_IF_ERROR(put_pair.Reset());
    ++stats.review_changes;
    return put_pair.Bind(1, p.first)
        .Bind(2, p.second)
        .Bind(3, std::to_string(r.score))
        .Bind(4, r.reasons)
        .Bind(5, r.records)
        .Bind(6, int64_t{r.removed ? 1 : 0})
        .Bind(7, next++)
        .Run();
  };
  for (const auto& [pair, row] : review) {
    auto it = published_review.find(pair);
    if (it == published_review.end() || !(it->second == row))
      RETURN_IF_ERROR(write_pair(pair, row));
  }
  for (const auto& [pair, row] : published_review) {
    if (!row.removed && !review.contains(pair)) {
      RETURN_IF_ERROR(write_pair(pair, ReviewRow{row.score, row.reasons, "[]", true}));
    }
  }

  ASSIGN_OR_RETURN(auto persons, CurrentPersons(db, scope.persons));
  ASSIGN_OR_RETURN(auto published_persons, PublishedPersons(db, scope.persons));
  ASSIGN_OR_RETURN(Statement put_person,
                   db.Prepare("INSERT INTO identity_person_sync(person_id, members, change_seq) "
                              "VALUES (?, ?, ?) ON CONFLICT(person_id) DO UPDATE SET members = "
                              "excluded.members, change_seq = excluded.change_seq"));
  ASSIGN_OR_RETURN(Statement put_scope,
                   db.Prepare("INSERT OR IGNORE INTO identity_person_sync_scope(person_id, "
                              "child_id) VALUES (?, ?)"));
  auto write_person = [&](const std::string& person, const std::string& members) -> Status {
    RETURN_IF_ERROR(put_person.Reset());
    ++stats.person_changes;
    return put_person.Bind(1, person).Bind(2, members).Bind(3, next++).Run();
  };
  for (const auto& [person, members] : persons) {
    auto it = published_persons.find(person);
    if (it != published_persons.end() && it->second == members) continue;
    RETURN_IF_ERROR(write_person(person, members));
    for (const json& m : json::parse(members, nullptr, /*allow_exceptions=*/false)) {
      if (!m.is_string()) continue;
      RETURN_IF_ERROR(put_scope.Reset());
      RETURN_IF_ERROR(put_scope.Bind(1, person).Bind(2, m.get_ref<const std::string&>()).Run());
    }
  }
  for (const auto& [person, members] : published_persons) {
    if (members != "[]" && !persons.contains(person)) RETURN_IF_ERROR(write_person(person, "[]"));
  }
  return stats;
}

}  // namespace onecard::server
