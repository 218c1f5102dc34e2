#include "child_projection.h"

#include <initializer_list>
#include <string>

#include "child_search.h"
#include "onecard/protocol/timestamp.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using schema::Statement;

// Binds `value[key]` as text when it is a string, as an integer when it is one, else NULL: the
// same values SQLite's json_extract gives the migration's backfill for well-formed records.
void BindField(Statement& st, int index, const json& value, const char* key) {
  auto it = value.is_object() ? value.find(key) : value.end();
  if (it == value.end() || it->is_null()) {
    st.BindNull(index);
  } else if (it->is_string()) {
    st.Bind(index, it->get_ref<const std::string&>());
  } else if (it->is_number_integer()) {
    st.Bind(index, it->get<int64_t>());
  } else {
    st.BindNull(index);
  }
}

// Binds `value[key]` for each of `keys` in order, from parameter `first` on, as BindField does.
void BindFields(Statement& st, int first, const json& value,
                std::initializer_list<const char*> keys) {
  for (const char* key : keys) BindField(st, first++, value, key);
}

// Inserts one row with `sql`, whose parameters are the child id and then `section[key]` for each
// of `keys` in order.
Status InsertSectionRow(schema::Database& db, const std::string& sql, const std::string& child_id,
                        const json& section, std::initializer_list<const char*> keys) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare(sql));
  st.Bind(1, child_id);
  BindFields(st, 2, section, keys);
  return st.Run();
}

const json& Section(const json& record, const char* key) {
  static const json kNull;
  auto it = record.find(key);
  return it == record.end() ? kNull : *it;
}

}  // namespace

namespace {

// The tables that hold a section of a child's record, one or more rows per child.
constexpr const char* kSectionTables[] = {"child_guardians", "child_caregivers", "child_schooling",
                                          "child_immunizations", "child_consents"};

Status DeleteSectionRows(schema::Database& db, const std::string& child_id) {
  for (const char* table : kSectionTables) {
    ASSIGN_OR_RETURN(Statement del,
                     db.Prepare(std::string("DELETE FROM ") + table + " WHERE child_id = ?"));
    RETURN_IF_ERROR(del.Bind(1, child_id).Run());
  }
  return Status::Ok();
}

}  // namespace

Status DeleteChildProjection(schema::Database& db, const std::string& child_id) {
  RETURN_IF_ERROR(DeleteSectionRows(db, child_id));
  return WriteNameKeys(db, child_id, "");
}

Status WriteChildProjection(schema::Database& db, const std::string& child_id, const json& record) {
  {
    ASSIGN_OR_RETURN(Statement st,
                     db.Prepare("UPDATE children SET sex = ?2, birth_date = ?3, hukou_area = ?4, "
                                "residence_area = ?5, category = ?6, "
                                "card_serial = ?7 WHERE child_id = ?1"));
    st.Bind(1, child_id);
    BindFields(st, 2, record,
               {"sex", "birth_date", "hukou_area", "residence_area", "category", "card_serial"});
    RETURN_IF_ERROR(st.Run());
  }
  RETURN_IF_ERROR(DeleteSectionRows(db, child_id));

  const json& guardians = Section(record, "guardians");
  if (guardians.is_array()) {
    ASSIGN_OR_RETURN(Statement st, db.Prepare("INSERT INTO child_guardians(child_id, position, "
                                              "name, relation, phone, id_number, residence_area) "
                                              "VALUES (?, ?, ?, ?, ?, ?, ?)"));
    for (size_t pos = 0; pos < guardians.size(); ++pos) {
      const json& g = guardians[pos];
      if (!g.is_object()) continue;
      RETURN_IF_ERROR(st.Reset());
      st.Bind(1, child_id).Bind(2, static_cast<int64_t>(pos));
      BindFields(st, 3, g, {"name", "relation", "phone", "id_number", "residence_area"});
      RETURN_IF_ERROR(st.Run());
    }
  }
  if (const json& c = Section(record, "caregiver"); c.is_object()) {
    RETURN_IF_ERROR(InsertSectionRow(
        db, "INSERT INTO child_caregivers(child_id, name, relation, phone) VALUES (?, ?, ?, ?)",
        child_id, c, {"name", "relation", "phone"}));
  }
  if (const json& s = Section(record, "school"); s.is_object()) {
    RETURN_IF_ERROR(InsertSectionRow(
        db, "INSERT INTO child_schooling(child_id, school_name, grade, status) VALUES (?, ?, ?, ?)",
        child_id, s, {"name", "grade", "status"}));
  }
  if (const json& doses = Section(record, "immunizations"); doses.is_array()) {
    // A repeated (vaccine, dose) keeps its first entry, as INSERT OR IGNORE does in the backfill.
    ASSIGN_OR_RETURN(Statement st, db.Prepare("INSERT OR IGNORE INTO child_immunizations(child_id, "
                                              "vaccine, dose, date) VALUES (?, ?, ?, ?)"));
    for (const json& d : doses) {
      if (!d.is_object() || !d.contains("vaccine") || !d["vaccine"].is_string() ||
          !d.contains("dose") || !d["dose"].is_number_integer()) {
        continue;
      }
      RETURN_IF_ERROR(st.Reset());
      st.Bind(1, child_id);
      BindFields(st, 2, d, {"vaccine", "dose", "date"});
      RETURN_IF_ERROR(st.Run());
    }
  }
  if (const json& c = Section(record, "consent"); c.is_object()) {
    RETURN_IF_ERROR(InsertSectionRow(
        db, "INSERT INTO child_consents(child_id, given_by, relation, date) VALUES (?, ?, ?, ?)",
        child_id, c, {"by", "relation", "date"}));
  }
  auto name = record.find("name");
  return WriteNameKeys(db, child_id,
                       name != record.end() && name->is_string() ? name->get<std::string>() : "");
}

Status WriteOwnSite(schema::Database& db, const json& site, const std::string& updated_at) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("INSERT INTO sites(site_id, name, area, role, is_own, updated_at) "
                              "VALUES (?, ?, ?, ?, 1, ?) "
                              "ON CONFLICT(site_id) DO UPDATE SET name = excluded.name, area = "
                              "excluded.area, role = excluded.role, "
                              "is_own = 1, updated_at = excluded.updated_at"));
  BindField(st, 1, site, "site_id");
  BindField(st, 2, site, "name");
  BindField(st, 3, site, "area");
  std::string role = site.is_object() ? site.value("role", "") : "";
  if (role == "sending" || role == "receiving" || role == "both") {
    st.Bind(4, role);
  } else {
    st.BindNull(4);
  }
  st.Bind(5, updated_at);
  return st.Run();
}

}  // namespace onecard::terminal
