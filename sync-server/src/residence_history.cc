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

using nlohmann::json;
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

// The current record of `person_id` (the one counts read); `child_id` when it has none.
Result<std::string> CurrentRecord(schema::Database& db, const std::string& person_id,
                                  const std::string& child_id) {
  ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("SELECT child_id FROM identity_persons WHERE person_id = ? AND current = 1"));
  st.Bind(1, person_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.ColumnText(0) : child_id;
}

struct Areas {
  std::string hukou;
  std::string residence;
};

// The hukou and residence areas of record `current`; kNotFound (naming `child_id`) without it.
Result<Areas> LoadAreas(schema::Database& db, const std::string& current,
                        const std::string& child_id) {
  ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("SELECT hukou_area, residence_area FROM children WHERE child_id = ?"));
  st.Bind(1, current);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row)
    return Status(ErrorCode::kNotFound,
                  Tr("服务器上没有儿童 " + child_id, "no child " + child_id + " on the server"));
  return Areas{st.ColumnText(0), st.ColumnText(1)};
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
// ordered `changes`.
struct Timeline {
  nlohmann::ordered_json residences = nlohmann::ordered_json::array();
  nlohmann::ordered_json moves = nlohmann::ordered_json::array();
};

Timeline BuildTimeline(const std::vector<Change>& changes) {
  Timeline t;
  std::string last;
  for (const Change& c : changes) {
    if (c.residence_area == last) continue;
    std::string at = HlcTime(c.hlc);
    t.residences.push_back({{"at", at},
                            {"child_id", c.child_id},
                            {"terminal_id", c.terminal_id},
                            {"residence_area", c.residence_area}});
    if (!last.empty()) t.moves.push_back({{"at", at}, {"from", last}, {"to", c.residence_area}});
    last = c.residence_area;
  }
  return t;
}

}  // namespace

Result<nlohmann::ordered_json> ResidenceHistory(schema::Database& db, const std::string& child_id) {
  ASSIGN_OR_RETURN(PersonRecords person, LoadPersonRecords(db, child_id));
  ASSIGN_OR_RETURN(std::string current, CurrentRecord(db, person.person_id, child_id));
  ASSIGN_OR_RETURN(Areas areas, LoadAreas(db, current, child_id));
  ASSIGN_OR_RETURN(std::vector<Change> changes, LoadResidenceChanges(db, person.records));
  Timeline timeline = BuildTimeline(changes);
  nlohmann::ordered_json records_json = person.records;
  const std::string& hukou = areas.hukou;
  const std::string& residence = areas.residence;
  return nlohmann::ordered_json{
      {"child_id", child_id},
      {"person_id", person.person_id},
      {"records", records_json},
      {"current_record", current},
      {"hukou_area", hukou},
      {"residence_area", residence},
      {"moved_out", !hukou.empty() && !residence.empty() && hukou != residence},
      {"residences", timeline.residences},
      {"moves", timeline.moves}};
}

}  // namespace onecard::server
