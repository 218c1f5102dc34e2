#include "pull_checks.h"

#include <nlohmann/json.hpp>

#include "onecard/protocol/card_serial.h"
#include "onecard/protocol/child_record.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/erasure.h"
#include "onecard/protocol/hybrid_clock.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/referral.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

constexpr size_t kMaxPulledId = 64;

Status Bad(const std::string& zh, const std::string& en) {
  return Status(ErrorCode::kInvalidArgument, Tr(zh, en));
}

Status StampTooFarAhead(const Stamp& stamp) {
  const std::string at = StampTimeIso8601(stamp);
  return Bad("时间戳 " + at + " 超前本终端时钟一小时以上（来自终端 " + stamp.terminal_id + "）",
             "timestamp " + at +
                 " is more than an hour ahead of this terminal's clock (from terminal " +
                 stamp.terminal_id + ")");
}

Status CheckStamp(const Stamp& stamp, uint64_t now_ms) {
  return HybridClock::IsTooFarAhead(stamp.hlc, now_ms) ? StampTooFarAhead(stamp) : Status::Ok();
}

Status CheckFields(const ChildState& state, CivilDate today, uint64_t now_ms) {
  for (const auto& [name, field] : state.fields()) {
    for (const FieldValue& live : field.live) {
      RETURN_IF_ERROR(CheckStamp(live.stamp, now_ms));
      // One field at a time, so that a conflict's other values are checked as well as the winner:
      // a merge here may make any of them the value the record shows.
      RETURN_IF_ERROR(ValidateReceivedFields(json{{name, live.value}},
                                             ReceivedFieldRules{today, /*check_age_limit=*/false,
                                                                /*complete=*/false}));
    }
    for (const Stamp& superseded : field.superseded)
      RETURN_IF_ERROR(CheckStamp(superseded, now_ms));
  }
  return Status::Ok();
}

Status CheckDoses(const DoseSet& doses, CivilDate today, uint64_t now_ms) {
  for (const auto& [tag, dose] : doses.live()) {
    RETURN_IF_ERROR(CheckStamp(tag.stamp, now_ms));
    RETURN_IF_ERROR(ValidateReceivedDose(dose, today));
  }
  for (const DoseTag& tag : doses.removed()) RETURN_IF_ERROR(CheckStamp(tag.stamp, now_ms));
  return Status::Ok();
}

// What the server sent, made safe to store, print on a terminal and show: control bytes (an
// escape sequence could rewrite the supervisor's screen) become "\xNN", and at most `max` bytes
// are kept, cut before a UTF-8 continuation byte.
std::string Printable(const std::string& text, size_t max) {
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (out.size() <= max) return out;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80) --cut;
  return out.substr(0, cut) + "…";
}

PullSetAside SetAside(const char* kind, const std::string& id, uint64_t change_seq,
                      const Status& why) {
  return PullSetAside{kind, Printable(id, kMaxPulledId), change_seq, Printable(why.message(), 400)};
}

}  // namespace

bool IsSanePulledId(const std::string& id) {
  if (id.empty() || id.size() > kMaxPulledId) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<ChildState> CheckPulledChild(const wire::ChildSnapshot& snapshot, uint64_t now_ms) {
  if (!IsSanePulledId(snapshot.child_id())) {
    return Bad("儿童编号无效（应为 1–64 个字母、数字或 _ . -）",
               "invalid child id (1–64 letters, digits, _ . -)");
  }
  ASSIGN_OR_RETURN(json parsed, ParseJson(snapshot.state(), "state"));
  ASSIGN_OR_RETURN(ChildState state, ChildState::FromJson(parsed));
  if (state.child_id() != snapshot.child_id()) {
    return Bad("儿童状态的编号与快照不一致", "the child state's id differs from the snapshot's");
  }
  // Dates are judged with the same tolerance as stamps: a value entered today at a desk whose
  // clock is up to kMaxClockAheadMs ahead of this one is not "in the future".
  const CivilDate today = CivilDate::InChinaAt(now_ms + kMaxClockAheadMs);
  RETURN_IF_ERROR(CheckFields(state, today, now_ms));
  RETURN_IF_ERROR(CheckDoses(state.doses(), today, now_ms));
  return state;
}

Status CheckPulledReferral(const wire::ReferralSnapshot& r, uint64_t now_ms) {
  if (!IsSanePulledId(r.referral_id()) || !IsSanePulledId(r.child_id()) ||
      !IsSanePulledId(r.from_site()) || !IsSanePulledId(r.to_site())) {
    return Bad("转介的编号无效（转介、儿童或站点）",
               "invalid referral ids (referral, child or site)");
  }
  if (!IsReferralService(r.service())) {
    return Bad("未知的转介服务：" + r.service(), "unknown referral service: " + r.service());
  }
  if (!ParseReferralStatus(r.status())) {
    return Bad("未知的转介状态：" + r.status(), "unknown referral status: " + r.status());
  }
  if (!r.decline_reason().empty() && !IsDeclineReason(r.decline_reason())) {
    return Bad("未知的拒绝原因：" + r.decline_reason(),
               "unknown decline_reason: " + r.decline_reason());
  }
  if (HybridClock::IsTooFarAhead(r.created_hlc(), now_ms)) {
    return StampTooFarAhead(Stamp{r.created_hlc(), r.from_site(), 0});
  }
  return CheckStamp(Stamp{r.status_hlc(), r.status_terminal(), r.status_seq()}, now_ms);
}

Status CheckPulledSite(const wire::SiteInfo& site) {
  if (!IsSanePulledId(site.site_id())) return Bad("站点编号无效", "invalid site id");
  if (site.role() != "sending" && site.role() != "receiving" && site.role() != "both") {
    return Bad("站点角色无效：" + site.role(), "invalid site role: " + site.role());
  }
  return Status::Ok();
}

Status CheckPulledRevokedCard(const wire::RevokedCard& card) {
  if (!IsCardSerialText(card.serial()))
    return Bad("吊销卡号格式错误", "malformed revoked card serial");
  return Status::Ok();
}

Status CheckPulledRevokedTerminal(const wire::RevokedTerminal& terminal) {
  if (!IsSanePulledId(terminal.terminal_id())) {
    return Bad("吊销终端的编号无效", "invalid id of a revoked terminal");
  }
  return Status::Ok();
}

Status CheckPulledIdentityPair(const wire::IdentityReviewItem& item) {
  if (!IsSanePulledId(item.a()) || !IsSanePulledId(item.b()) || !(item.a() < item.b())) {
    return Bad("身份审核对的编号无效（须 a < b）", "invalid review pair ids (a < b required)");
  }
  if (!item.removed() &&
      (item.record_a().child_id() != item.a() || item.record_b().child_id() != item.b())) {
    return Bad("身份审核对的记录与编号不一致", "the review pair's records do not match its ids");
  }
  return Status::Ok();
}

Status CheckPulledPerson(const wire::PersonGroup& person) {
  if (!IsSanePulledId(person.person_id())) return Bad("人员编号无效", "invalid person id");
  for (const std::string& member : person.members()) {
    if (!IsSanePulledId(member)) return Bad("人员的记录编号无效", "invalid record id of a person");
  }
  return Status::Ok();
}

Status CheckPulledErasure(const wire::ChildErasure& erasure) {
  if (!IsSanePulledId(erasure.child_id())) {
    return Bad("删除的儿童编号无效", "invalid id of an erased child");
  }
  if (FindErasureReason(erasure.reason()) == nullptr) {
    return Bad("删除原因未知", "unknown erasure reason");
  }
  return Status::Ok();
}

CheckedPage CheckPullPage(const wire::PullPage& page, uint64_t now_ms) {
  CheckedPage out;
  const uint64_t seq = page.next_cursor();
  out.rest.set_next_cursor(seq);
  out.rest.set_more(page.more());
  for (const wire::ChildSnapshot& snapshot : page.children()) {
    Result<ChildState> state = CheckPulledChild(snapshot, now_ms);
    if (state.ok()) {
      out.children.push_back(std::move(state).value());
    } else {
      out.set_aside.push_back(SetAside("child", snapshot.child_id(), seq, state.status()));
    }
  }
  // Each kind: keep what passes in `rest`, set aside the others.
  auto sort = [&](const auto& items, auto* kept, const char* kind, auto check, auto id_of) {
    for (const auto& item : items) {
      Status valid = check(item);
      if (valid.ok()) {
        *kept->Add() = item;
      } else {
        out.set_aside.push_back(SetAside(kind, id_of(item), seq, valid));
      }
    }
  };
  sort(
      page.referrals(), out.rest.mutable_referrals(), "referral",
      [now_ms](const wire::ReferralSnapshot& r) { return CheckPulledReferral(r, now_ms); },
      [](const wire::ReferralSnapshot& r) { return r.referral_id(); });
  sort(page.sites(), out.rest.mutable_sites(), "site", CheckPulledSite,
       [](const wire::SiteInfo& s) { return s.site_id(); });
  sort(page.revoked_cards(), out.rest.mutable_revoked_cards(), "revoked_card",
       CheckPulledRevokedCard, [](const wire::RevokedCard& c) { return c.serial(); });
  sort(page.revoked_terminals(), out.rest.mutable_revoked_terminals(), "revoked_terminal",
       CheckPulledRevokedTerminal, [](const wire::RevokedTerminal& t) { return t.terminal_id(); });
  sort(page.identity_review(), out.rest.mutable_identity_review(), "identity_pair",
       CheckPulledIdentityPair,
       [](const wire::IdentityReviewItem& i) { return i.a() + "/" + i.b(); });
  sort(page.persons(), out.rest.mutable_persons(), "person", CheckPulledPerson,
       [](const wire::PersonGroup& p) { return p.person_id(); });
  sort(page.erasures(), out.rest.mutable_erasures(), "erasure", CheckPulledErasure,
       [](const wire::ChildErasure& e) { return e.child_id(); });
  return out;
}

}  // namespace onecard::terminal
