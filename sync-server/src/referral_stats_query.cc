// What `referrals stats` may be asked (report_queries.h), for every backend and caller.
#include <algorithm>
#include <sstream>

#include "onecard/protocol/i18n.h"
#include "onecard/server/report_queries.h"

namespace onecard::server {

Result<std::vector<std::string>> ParseReferralDimensions(const std::string& text) {
  std::vector<std::string> dims;
  std::istringstream items(text);
  for (std::string d; std::getline(items, d, ',');) {
    if (std::find(kReferralDimensions.begin(), kReferralDimensions.end(), d) ==
        kReferralDimensions.end()) {
      return Status(ErrorCode::kInvalidArgument,
                    Tr("转介结果的 --by 维度无效：" + d + "（可用 area、service、sex、period）",
                       "unknown --by dimension of referral outcomes: " + d +
                           " (use area, service, sex, period)"));
    }
    if (std::find(dims.begin(), dims.end(), d) == dims.end()) dims.push_back(d);
  }
  return dims;
}

}  // namespace onecard::server
