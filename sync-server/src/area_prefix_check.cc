#include "area_prefix_check.h"

#include <algorithm>

#include "onecard/protocol/i18n.h"

namespace onecard::server {

Status CheckAreaPrefix(const std::string& prefix, std::string_view flag) {
  const bool digits =
      !prefix.empty() && prefix.size() <= 6 &&
      std::all_of(prefix.begin(), prefix.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) return Status::Ok();
  const std::string name(flag);
  return Status(ErrorCode::kInvalidArgument,
                Tr(name + " 应为 1 到 6 位数字的行政区划代码前缀：" + prefix,
                   name + " must be an area-code prefix of 1 to 6 digits: " + prefix));
}

}  // namespace onecard::server
