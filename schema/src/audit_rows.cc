#include "onecard/schema/audit_rows.h"

namespace onecard::schema {

wire::AuditEntry AuditEntryFromRow(const Statement& st, int first) {
  wire::AuditEntry e;
  e.set_id(static_cast<uint64_t>(st.ColumnInt(first)));
  e.set_at(st.ColumnText(first + 1));
  e.set_actor(st.ColumnText(first + 2));
  e.set_action(st.ColumnText(first + 3));
  e.set_child_id(st.ColumnText(first + 4));
  e.set_detail(st.ColumnText(first + 5));
  e.set_prev_hash(st.ColumnText(first + 6));
  e.set_hash(st.ColumnText(first + 7));
  return e;
}

}  // namespace onecard::schema
