#include "referral_text.h"

#include "code_words.h"
#include "onecard/protocol/i18n.h"

namespace onecard::terminal {
namespace {

constexpr CodeWord kServiceWords[] = {{"education", "教育", "education"},
                                      {"health", "卫生健康", "health"},
                                      {"protection", "儿童保护", "child protection"},
                                      {"legal_aid", "法律援助", "legal aid"},
                                      {"social_assistance", "社会救助", "social assistance"}};

}  // namespace

std::string ReferralStatusWord(ReferralStatus status) {
  switch (status) {
    case ReferralStatus::kOpen:
      return Tr("待受理", "open");
    case ReferralStatus::kAccepted:
      return Tr("已受理", "accepted");
    case ReferralStatus::kDeclined:
      return Tr("已拒绝", "declined");
    case ReferralStatus::kCompleted:
      return Tr("已完成", "completed");
    case ReferralStatus::kClosedUnreached:
      return Tr("已关闭（未联系上）", "closed, not reached");
  }
  return std::string(ReferralStatusName(status));
}

std::string DeclineReasonWord(const std::string& code) {
  for (const DeclineReasonEntry& e : kDeclineReasons) {
    if (e.code == code) return Tr(std::string(e.zh), std::string(e.en));
  }
  return code;
}

std::string ServiceWord(const std::string& code) { return WordOf(kServiceWords, code); }

std::string ReferralsText(const std::vector<Referral>& referrals) {
  if (referrals.empty()) return Tr("没有转介", "no referrals") + "\n";
  std::string out;
  for (const Referral& r : referrals) {
    out += r.referral_id + "\t" + r.child_id + "\t" + ServiceWord(r.service) + "\t" + r.from_site +
           " -> " + r.to_site + "\t" + ReferralStatusWord(r.status);
    if (!r.decline_reason.empty()) out += " " + DeclineReasonWord(r.decline_reason);
    if (!r.outcome.empty()) out += Tr("（", " (") + r.outcome + Tr("）", ")");
    out += "\t" + r.reason + "\n";
  }
  return out;
}

}  // namespace onecard::terminal
