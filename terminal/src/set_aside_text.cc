#include "set_aside_text.h"

#include "onecard/protocol/i18n.h"

namespace onecard::terminal {
namespace {

std::string KindLabel(const std::string& kind) {
  if (kind == "child") return Tr("儿童", "child");
  if (kind == "referral") return Tr("转介", "referral");
  if (kind == "site") return Tr("站点", "site");
  if (kind == "revoked_card") return Tr("吊销的卡", "revoked card");
  if (kind == "revoked_terminal") return Tr("吊销的终端", "revoked terminal");
  if (kind == "identity_pair") return Tr("身份审核对", "identity review pair");
  if (kind == "person") return Tr("人员", "person");
  return kind;
}

}  // namespace

std::string SetAsideLine(const PullSetAside& item) {
  const std::string id = item.id.empty() ? Tr("（无编号）", "(no id)") : item.id;
  const std::string seq = std::to_string(item.change_seq);
  return Tr(KindLabel(item.kind) + " " + id + "（变更 " + seq + "）：" + item.message,
            KindLabel(item.kind) + " " + id + " (change " + seq + "): " + item.message);
}

}  // namespace onecard::terminal
