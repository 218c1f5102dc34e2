#include "onecard/protocol/erasure.h"

#include <array>

#include "onecard/protocol/i18n.h"

namespace onecard {
namespace {

constexpr std::array<ErasureReason, 4> kReasons = {{
    {"consent_withdrawn", "撤回同意", "consent withdrawn", true},
    {"registered_in_error", "登记错误", "registered in error", true},
    {"order", "依法要求删除", "ordered erased", true},
    {kErasureAgedOut, "年满18岁且保存期满", "aged out: 18 and the retention period ended", false},
}};

}  // namespace

std::span<const ErasureReason> ErasureReasons() { return kReasons; }

const ErasureReason* FindErasureReason(std::string_view code) {
  for (const ErasureReason& r : kReasons) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

std::string GivenErasureReasons(bool zh) {
  std::string out;
  for (const ErasureReason& r : kReasons) {
    if (!r.given_by_person) continue;
    out += (out.empty() ? "" : ", ") + std::string(r.code) + " " + std::string(zh ? r.zh : r.en);
  }
  return out;
}

Status CheckGivenErasureReason(std::string_view code) {
  const ErasureReason* reason = FindErasureReason(code);
  if (reason != nullptr && reason->given_by_person) return Status::Ok();
  const std::string quoted = "\"" + std::string(code.substr(0, 64)) + "\"";
  return Status(ErrorCode::kInvalidArgument,
                Tr("删除原因 " + quoted + " 无效，可用：" + GivenErasureReasons(true),
                   "erasure reason " + quoted + " is not one of: " + GivenErasureReasons(false)));
}

std::string ErasureReasonText(std::string_view code) {
  const ErasureReason* reason = FindErasureReason(code);
  if (reason == nullptr) return std::string(code);
  return Tr(std::string(reason->zh), std::string(reason->en));
}

}  // namespace onecard
