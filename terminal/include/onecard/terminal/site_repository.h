// The sites this terminal knows (table `sites`): its own, from the enrolment bundle, and the others
// as sync brings them (sync.md, "Sites"); the targets a referral can be addressed to.
#pragma once

#include <string>
#include <vector>

#include "onecard/protocol/status.h"
#include "onecard/terminal/unit_of_work.h"

namespace onecard::terminal {

struct KnownSite {
  std::string site_id;
  std::string name;
  std::string area;  // GB/T 2260 code
  std::string role;  // sending | receiving | both, or "" when not known
  bool is_own = false;
};

class SiteRepository {
 public:
  explicit SiteRepository(UnitOfWork& unit) : unit_(unit) {}

  // Every site known here, this terminal's own first, then by site_id.
  Result<std::vector<KnownSite>> List();

 private:
  UnitOfWork& unit_;
};

}  // namespace onecard::terminal
