#include "onecard/schema/meta_table.h"

#include "onecard/platform/i18n.h"

namespace onecard::schema {

Result<std::optional<std::string>> ReadMeta(Database& db, std::string_view key) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT value FROM meta WHERE key = ?"));
  st.Bind(1, key);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(st.ColumnText(0));
}

Result<std::string> ReadSetMeta(Database& db, std::string_view key) {
  ASSIGN_OR_RETURN(std::optional<std::string> value, ReadMeta(db, key));
  if (!value) {
    const std::string name(key);
    return Status(ErrorCode::kNotFound, Tr("未设置 " + name, name + " is not set"));
  }
  return std::move(*value);
}

Status WriteMeta(Database& db, std::string_view key, std::string_view value) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("INSERT INTO meta(key, value) VALUES (?, ?) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  return st.Bind(1, key).Bind(2, value).Run();
}

}  // namespace onecard::schema
