// ServerStore::Pull: what concerns a site, from the change sequence shared by children,
// revocations, referrals, sites, the identity review and persons, and erasures (sync.md,
// "PullRequest / PullPage").
//
// Each stream is read from its own table, at most max_items + 1 rows numbered after the cursor;
// the streams are merged by number and the first max_items items make the page. An item left out
// has a greater number than every item taken, so next_cursor (the last number taken) loses nothing,
// and `more` is true exactly when more rows were read than taken.
#include <algorithm>

#include "onecard/server/server_store.h"

namespace onecard::server {
namespace {

using schema::Statement;

// A read transaction for the loaders of one page: they all read one snapshot. Numbers are taken
// and committed under the write lock, so a snapshot holds a prefix of the change sequence; without
// it, numbers committed by another process (`counts` publishing identity items, `revoke`,
// `site add`) between two loaders' reads could be passed over by next_cursor.
class ReadSnapshot {
 public:
  static Result<ReadSnapshot> Begin(schema::Database& db) {
    RETURN_IF_ERROR(db.Exec("BEGIN DEFERRED"));
    return ReadSnapshot(db);
  }
  ReadSnapshot(ReadSnapshot&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(ReadSnapshot&&) = delete;
  ~ReadSnapshot() {
    if (db_ != nullptr) (void)db_->Exec("ROLLBACK");  // read only: nothing to keep
  }

 private:
  explicit ReadSnapshot(schema::Database& db) : db_(&db) {}
  schema::Database* db_;
};

}  // namespace

Status ServerStore::LoadChildrenLocked(const PullScope& scope, uint64_t cursor, uint32_t limit,
                                       std::vector<PullItem>& items) {
  // The scope is an area prefix; its codes are the strings in [prefix, prefix with its last digit
  // raised). Each inner query is one range of an (area, change_seq) index (migration 007) and
  // reads no row; only the rows of the page are read.
  std::string prefix = AreaScopePrefix(scope.area);
  if (prefix.empty()) return Status::Ok();  // no area: nothing in scope (sites always have one)
  std::string end = prefix;
  ++end.back();
  ASSIGN_OR_RETURN(
      Statement st,
      db_.Prepare(
          "SELECT child_id, state, change_seq FROM children WHERE rowid IN ("
          "SELECT rowid FROM (SELECT rowid FROM children WHERE residence_area >= ?2 AND "
          "residence_area < ?3 "
          "AND change_seq > ?1 ORDER BY change_seq LIMIT ?4) UNION ALL "
          "SELECT rowid FROM (SELECT rowid FROM children WHERE hukou_area >= ?2 AND hukou_area < "
          "?3 "
          "AND change_seq > ?1 ORDER BY change_seq LIMIT ?4)) ORDER BY change_seq LIMIT ?4"));
  st.Bind(1, static_cast<int64_t>(cursor))
      .Bind(2, prefix)
      .Bind(3, end)
      .Bind(4, static_cast<int64_t>(limit));
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& row) {
    wire::ChildSnapshot child;
    child.set_child_id(row.ColumnText(0));
    child.set_state(row.ColumnText(1));
    items.push_back({row.ColumnInt(2), [child = std::move(child)](wire::PullPage& page) {
                       *page.add_children() = child;
                     }});
  }));
  return Status::Ok();
}

Status ServerStore::LoadReferralsLocked(const PullScope& scope, uint64_t cursor, uint32_t limit,
                                        std::vector<PullItem>& items) {
  std::string prefix = AreaScopePrefix(scope.area);
  ASSIGN_OR_RETURN(Statement st,
                   db_.Prepare("SELECT referral_id, child_id, service, from_site, to_site, reason, "
                               "created_hlc, status, outcome, "
                               "status_hlc, status_terminal, status_seq, change_seq, "
                               "decline_reason FROM referrals "
                               "AS r WHERE change_seq > ?1 AND "
                               "(to_site = ?2 OR from_site = ?2 OR EXISTS (SELECT 1 FROM children "
                               "AS c WHERE c.child_id = r.child_id AND "
                               "(substr(c.residence_area, 1, ?3) = ?4 OR substr(c.hukou_area, 1, "
                               "?3) = ?4))) ORDER BY change_seq LIMIT ?5"));
  st.Bind(1, static_cast<int64_t>(cursor))
      .Bind(2, scope.site_id)
      .Bind(3, static_cast<int64_t>(prefix.size()))
      .Bind(4, prefix)
      .Bind(5, static_cast<int64_t>(limit));
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& row) {
    wire::ReferralSnapshot r;
    r.set_referral_id(row.ColumnText(0));
    r.set_child_id(row.ColumnText(1));
    r.set_service(row.ColumnText(2));
    r.set_from_site(row.ColumnText(3));
    r.set_to_site(row.ColumnText(4));
    r.set_reason(row.ColumnText(5));
    r.set_created_hlc(static_cast<uint64_t>(row.ColumnInt(6)));
    r.set_status(row.ColumnText(7));
    r.set_outcome(row.ColumnText(8));
    r.set_status_hlc(static_cast<uint64_t>(row.ColumnInt(9)));
    r.set_status_terminal(row.ColumnText(10));
    r.set_status_seq(static_cast<uint64_t>(row.ColumnInt(11)));
    r.set_decline_reason(row.ColumnText(13));
    items.push_back({row.ColumnInt(12),
                     [r = std::move(r)](wire::PullPage& page) { *page.add_referrals() = r; }});
  }));
  return Status::Ok();
}

Status ServerStore::LoadSitesLocked(uint64_t cursor, uint32_t limit, std::vector<PullItem>& items) {
  ASSIGN_OR_RETURN(Statement st,
                   db_.Prepare("SELECT site_id, name, area, role, change_seq FROM sites WHERE "
                               "change_seq > ? ORDER BY change_seq LIMIT ?"));
  st.Bind(1, static_cast<int64_t>(cursor)).Bind(2, static_cast<int64_t>(limit));
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& row) {
    wire::SiteInfo site;
    site.set_site_id(row.ColumnText(0));
    site.set_name(row.ColumnText(1));
    site.set_area(row.ColumnText(2));
    site.set_role(row.ColumnText(3));
    items.push_back({row.ColumnInt(4),
                     [site = std::move(site)](wire::PullPage& page) { *page.add_sites() = site; }});
  }));
  return Status::Ok();
}

Result<wire::PullPage> ServerStore::Pull(const PullScope& scope, uint64_t cursor,
                                         uint32_t max_items) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(RefreshIdentitiesForPullLocked());
  ASSIGN_OR_RETURN(ReadSnapshot snapshot, ReadSnapshot::Begin(db_));
  const uint32_t limit = max_items + 1;
  std::vector<PullItem> items;
  RETURN_IF_ERROR(LoadChildrenLocked(scope, cursor, limit, items));
  RETURN_IF_ERROR(LoadReferralsLocked(scope, cursor, limit, items));
  RETURN_IF_ERROR(LoadSitesLocked(cursor, limit, items));
  RETURN_IF_ERROR(LoadRevocationsLocked(cursor, limit, items));
  RETURN_IF_ERROR(LoadIdentityReviewLocked(scope, cursor, limit, items));
  RETURN_IF_ERROR(LoadPersonsLocked(scope, cursor, limit, items));
  RETURN_IF_ERROR(LoadErasuresLocked(cursor, limit, items));
  std::sort(items.begin(), items.end(),
            [](const PullItem& a, const PullItem& b) { return a.seq < b.seq; });

  wire::PullPage page;
  page.set_next_cursor(cursor);
  const size_t taken = std::min<size_t>(items.size(), max_items);
  for (size_t i = 0; i < taken; ++i) {
    items[i].add(page);
    page.set_next_cursor(static_cast<uint64_t>(items[i].seq));
  }
  page.set_more(items.size() > taken);
  return page;
}

}  // namespace onecard::server
