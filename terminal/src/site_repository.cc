#include "onecard/terminal/site_repository.h"

namespace onecard::terminal {

Result<std::vector<KnownSite>> SiteRepository::List() {
  ASSIGN_OR_RETURN(schema::Statement st,
                   unit_.db().Prepare("SELECT site_id, coalesce(name, ''), coalesce(area, ''), "
                                      "coalesce(role, ''), is_own FROM sites "
                                      "ORDER BY is_own DESC, site_id"));
  std::vector<KnownSite> sites;
  RETURN_IF_ERROR(st.ForEachRow([&](const schema::Statement& row) {
    sites.push_back({row.ColumnText(0), row.ColumnText(1), row.ColumnText(2), row.ColumnText(3),
                     row.ColumnInt(4) != 0});
  }));
  return sites;
}

}  // namespace onecard::terminal
