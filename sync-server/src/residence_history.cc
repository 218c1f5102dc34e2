#include "residence_history.h"

#include <algorithm>
#include <tuple>
#include <vector>

#include "onecard/protocol/event_types.h"
#include "onecard/protocol/hybrid_clock.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"

namespace onecard::server {
namespace {

using schema::Statement;

struct Change {
  uint64_t hlc;
  std::string terminal_id;
  int64_t seq;
  std::string child_id;
  std::string residence_area;
};

std::string HlcTime(uint64_t hlc) {
  return UtcIso8601(static_cast<int64_t>(HybridClock::PhysicalMs(hlc) / 1000));
}

// The person of a child and its records, sorted by child id. A child in no person is its own
// person, of the one record `child_id`.
struct PersonRecords {
  std::string person_id;
  std::vector<std::string> records;
};

Result<PersonRecords> LoadPersonRecords(schema::Database& db, const std::string& child_id) {
  PersonRecords person{child_id, {}};
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("SELECT p.child_id, p.person_id FROM identity_persons p "
                              "WHERE p.person_id = (SELECT person_id FROM identity_persons WHERE "
                              "child_id = ?) ORDER BY p.child_id"));
  st.Bind(1, child_id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    person.records.push_back(st.ColumnText(0));
    person.person_id = st.ColumnText(1);
  }
  if (person.records.empty()) person.records.push_back(child_id);
  return person;
}

// The current record of a person (the one counts read) and its areas.
struct CurrentRecord {
  std::string child_id;
  std::string hukou_area;
  std::string residence_area;
};

// The current record of `person_id`, else record `child_id` (a child in no person);
// kNotFound (naming `child_id`) when there is no such child.
Result<CurrentRecord> LoadCurrentRecord(schema::Database& db, const std::string& person_id,
                                        const std::string& child_id) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("SELECT child_id, hukou_area, residence_area FROM children WHERE "
                              "child_id = coalesce((SELECT child_id FROM identity_persons WHERE "
                              "person_id = ?1 AND current = 1), ?2)"));
  st.Bind(1, person_id).Bind(2, child_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row)
    return Status(ErrorCode::kNotFound,
                  Tr("服务器上没有儿童 " + child_id, "no child " + child_id + " on the server"));
  return CurrentRecord{st.ColumnText(0), st.ColumnText(1), st.ColumnText(2)};
}

// The residence areas set by the upserts of all `records`, in (hlc, terminal, seq) order.
// Reads the events table, which keeps every event in the legacy form (type + canonical JSON
// payload) whichever form it came in (sync.md, "Typed events"). Events stored before validation
// existed may hold payloads that are not JSON: they are left out (json_type would fail the whole
// statement on one).
Result<std::vector<Change>> LoadResidenceChanges(schema::Database& db,
                                                 const std::vector<std::string>& records) {
  std::vector<Change> changes;
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("SELECT hlc, terminal_id, seq, json_extract(payload, "
                              "'$.fields.residence_area') FROM events "
                              "WHERE child_id = ?1 AND type = ?2 AND json_valid(payload) AND "
                              "json_type(payload, '$.fields.residence_area') = 'text'"));
  for (const std::string& r : records) {
    st.Bind(1, r).Bind(2, event_type::kChildUpsert);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      changes.push_back({static_cast<uint64_t>(st.ColumnInt(0)), st.ColumnText(1), st.ColumnInt(2),
                         r, st.ColumnText(3)});
    }
    RETURN_IF_ERROR(st.Reset());
  }
  std::sort(changes.begin(), changes.end(), [](const Change& x, const Change& y) {
    return std::tie(x.hlc, x.terminal_id, x.seq) < std::tie(y.hlc, y.terminal_id, y.seq);
  });
  return changes;
}

// The residences (each change to a different area) and the moves between them, from the
// ordered `changes`, into `history`.
void BuildTimeline(const std::vector<Change>& changes, ResidenceHistoryReport& history) {
  std::string last;
  for (const Change& c : changes) {
    if (c.residence_area == last) continue;
    std::string at = HlcTime(c.hlc);
    history.residences.push_back({at, c.child_id, c.terminal_id, c.residence_area});
    if (!last.empty()) history.moves.push_back({at, last, c.residence_area});
    last = c.residence_area;
  }
}

}  // namespace

Result<ResidenceHistoryReport> ResidenceHistory(schema::Database& db, const std::string& child_id) {
  ASSIGN_OR_RETURN(PersonRecords person, LoadPersonRecords(db, child_id));
  ASSIGN_OR_RETURN(CurrentRecord current, LoadCurrentRecord(db, person.person_id, child_id));
  ASSIGN_OR_RETURN(std::vector<Change> changes, LoadResidenceChanges(db, person.records));
  ResidenceHistoryReport history;
  history.child_id = child_id;
  history.person_id = person.person_id;
  history.records = person.records;
  history.current_record = current.child_id;
  history.hukou_area = current.hukou_area;
  history.residence_area = current.residence_area;
  history.moved_out = !current.hukou_area.empty() && !current.residence_area.empty() &&
                      current.hukou_area != current.residence_area;
  BuildTimeline(changes, history);
  return history;
}

}  // namespace onecard::server
