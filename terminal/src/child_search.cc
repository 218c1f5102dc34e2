#include "child_search.h"

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/pinyin.h"
#include "onecard/schema/meta_table.h"

namespace onecard::terminal {
namespace {

using schema::Statement;
using schema::Transaction;

// No key contains byte 0xFF (keys are UTF-8), so [q, q + "\xFF") is exactly the keys starting with
// q.
std::string UpperBound(const std::string& prefix) { return prefix + "\xFF"; }

std::string UpperX(std::string id_number) {
  for (char& c : id_number) {
    if (c == 'x') c = 'X';
  }
  return id_number;
}

}  // namespace

Status WriteNameKeys(schema::Database& db, const std::string& child_id, const std::string& name) {
  ASSIGN_OR_RETURN(Statement del, db.Prepare("DELETE FROM child_name_keys WHERE child_id = ?"));
  RETURN_IF_ERROR(del.Bind(1, child_id).Run());
  ASSIGN_OR_RETURN(Statement pinyin,
                   db.Prepare("UPDATE children SET name_pinyin = ? WHERE child_id = ?"));
  RETURN_IF_ERROR(pinyin.Bind(1, NamePinyin(name)).Bind(2, child_id).Run());
  ASSIGN_OR_RETURN(
      Statement ins,
      db.Prepare("INSERT OR IGNORE INTO child_name_keys(key, child_id) VALUES (?, ?)"));
  for (const std::string& key : NameSearchKeys(name)) {
    RETURN_IF_ERROR(ins.Reset());
    RETURN_IF_ERROR(ins.Bind(1, key).Bind(2, child_id).Run());
  }
  return Status::Ok();
}

// The meta key that records which kNameKeysVersion the store's name keys were written with.
constexpr char kNameKeysVersionKey[] = "name_keys_version";

Status RefreshNameKeysIfStale(schema::Database& db) {
  ASSIGN_OR_RETURN(std::optional<std::string> version, schema::ReadMeta(db, kNameKeysVersionKey));
  if (version == std::to_string(kNameKeysVersion)) return Status::Ok();
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  std::vector<std::pair<std::string, std::string>> names;
  {
    ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT child_id, coalesce(name, '') FROM children"));
    RETURN_IF_ERROR(st.ForEachRow(
        [&](const Statement& row) { names.emplace_back(row.ColumnText(0), row.ColumnText(1)); }));
  }
  for (const auto& [child_id, name] : names) RETURN_IF_ERROR(WriteNameKeys(db, child_id, name));
  RETURN_IF_ERROR(schema::WriteMeta(db, kNameKeysVersionKey, std::to_string(kNameKeysVersion)));
  return tx.Commit();
}

Result<std::vector<std::string>> FindChildIds(schema::Database& db, const std::string& name,
                                              const std::string& id_number, size_t limit) {
  if (name.empty() && id_number.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("请给出 --name 或 --id-number", "give --name or --id-number"));
  }
  std::string query = NormalizeNameQuery(name);
  if (!name.empty() && query.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--name 中没有可查找的汉字或拼音字母",
                     "--name has no Han characters or pinyin letters to search for"));
  }
  const int64_t max = static_cast<int64_t>(limit);
  const char* sql =
      name.empty() ? "SELECT child_id FROM children WHERE id_number = ?3 ORDER BY child_id LIMIT ?4"
      : id_number.empty()
          ? "SELECT DISTINCT child_id FROM child_name_keys WHERE key >= ?1 AND key < ?2 "
            "ORDER BY child_id LIMIT ?4"
          : "SELECT DISTINCT k.child_id FROM child_name_keys AS k JOIN children AS c ON c.child_id "
            "= k.child_id "
            "WHERE k.key >= ?1 AND k.key < ?2 AND c.id_number = ?3 ORDER BY k.child_id LIMIT ?4";
  ASSIGN_OR_RETURN(Statement st, db.Prepare(sql));
  st.Bind(1, query).Bind(2, UpperBound(query)).Bind(3, UpperX(id_number)).Bind(4, max);
  return st.FirstColumnTexts();
}

}  // namespace onecard::terminal
