#include "change_seq.h"

namespace onecard::server {

Result<int64_t> NextChangeSeq(schema::Database& db) {
  // Each max() is answered from its table's change_seq index (or primary key).
  ASSIGN_OR_RETURN(schema::Statement st,
                   db.Prepare("SELECT max((SELECT coalesce(max(change_seq), 0) FROM children), "
                              "(SELECT coalesce(max(change_seq), 0) FROM revocations), "
                              "(SELECT coalesce(max(change_seq), 0) FROM referrals), "
                              "(SELECT coalesce(max(change_seq), 0) FROM sites), "
                              "(SELECT coalesce(max(change_seq), 0) FROM identity_review_sync), "
                              "(SELECT coalesce(max(change_seq), 0) FROM identity_person_sync), "
                              "(SELECT coalesce(max(change_seq), 0) FROM erasures)) + 1"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  ONECARD_CHECK(row);
  return st.ColumnInt(0);
}

}  // namespace onecard::server
