#include "onecard/terminal/referral_repository.h"

#include "onecard/protocol/event_types.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/terminal/children_repository.h"
#include "onecard/terminal/outbox.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using schema::Statement;
using schema::Transaction;

constexpr char kColumns[] =
    "referral_id, child_id, service, from_site, to_site, reason, status, outcome, created_hlc, "
    "status_hlc, status_terminal, status_seq, decline_reason";

std::string HlcTime(uint64_t hlc) { return UtcIso8601(static_cast<int64_t>((hlc >> 16) / 1000)); }

// A row selected with kColumns. The status column is CHECK-constrained.
Referral ReadReferral(const Statement& st) {
  Referral r;
  r.referral_id = st.ColumnText(0);
  r.child_id = st.ColumnText(1);
  r.service = st.ColumnText(2);
  r.from_site = st.ColumnText(3);
  r.to_site = st.ColumnText(4);
  r.reason = st.ColumnText(5);
  std::optional<ReferralStatus> status = ParseReferralStatus(st.ColumnText(6));
  ONECARD_CHECK(status.has_value());
  r.status = *status;
  r.outcome = st.ColumnText(7);
  r.created_hlc = static_cast<uint64_t>(st.ColumnInt(8));
  r.status_stamp = Stamp{static_cast<uint64_t>(st.ColumnInt(9)), st.ColumnText(10),
                         static_cast<uint64_t>(st.ColumnInt(11))};
  r.decline_reason = st.ColumnText(12);
  return r;
}

Status BadSnapshot(const std::string& field) {
  return Status(ErrorCode::kInvalidArgument,
                Tr("服务器发来的转介字段 " + field + " 格式错误",
                   "the server sent a referral with a malformed " + field));
}

}  // namespace

Status CheckDeclineReasonGiven(const std::string& code) {
  if (IsDeclineReason(code)) return Status::Ok();
  return Status(ErrorCode::kInvalidArgument,
                Tr("拒绝转介时 --reason 必须是以下代码之一：" + DeclineReasonList() +
                       "（说明文字请用 --note）" + (code.empty() ? "" : "；收到的是：" + code),
                   "declining a referral needs --reason, one of the codes " + DeclineReasonList() +
                       " (free text goes to --note)" + (code.empty() ? "" : "; got: " + code)));
}

Result<std::optional<Referral>> ReferralRepository::Load(const std::string& referral_id) {
  ASSIGN_OR_RETURN(Statement st, unit_.db().Prepare(std::string("SELECT ") + kColumns +
                                                    " FROM referrals WHERE referral_id = ?"));
  st.Bind(1, referral_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<Referral>();
  return std::optional<Referral>(ReadReferral(st));
}

Status ReferralRepository::Save(const Referral& r) {
  ASSIGN_OR_RETURN(
      Statement st,
      unit_.db().Prepare("INSERT INTO referrals(referral_id, child_id, service, from_site, "
                         "to_site, reason, status, outcome, created_at, "
                         "updated_at, created_hlc, status_hlc, status_terminal, status_seq, "
                         "decline_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT(referral_id) DO UPDATE SET status = excluded.status, "
                         "outcome = excluded.outcome, decline_reason = excluded.decline_reason, "
                         "updated_at = excluded.updated_at, status_hlc = "
                         "excluded.status_hlc, status_terminal = excluded.status_terminal, "
                         "status_seq = excluded.status_seq"));
  return st.Bind(1, r.referral_id)
      .Bind(2, r.child_id)
      .Bind(3, r.service)
      .Bind(4, r.from_site)
      .Bind(5, r.to_site)
      .Bind(6, r.reason)
      .Bind(7, std::string(ReferralStatusName(r.status)))
      .Bind(8, r.outcome)
      .Bind(9, HlcTime(r.created_hlc))
      .Bind(10, HlcTime(r.status_stamp.hlc))
      .Bind(11, static_cast<int64_t>(r.created_hlc))
      .Bind(12, static_cast<int64_t>(r.status_stamp.hlc))
      .Bind(13, r.status_stamp.terminal_id)
      .Bind(14, static_cast<int64_t>(r.status_stamp.seq))
      .Bind(15, r.decline_reason)
      .Run();
}

Result<std::string> ReferralRepository::Refer(const std::string& child_id,
                                              const std::string& service,
                                              const std::string& to_site,
                                              const std::string& reason) {
  if (!IsReferralService(service)) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--service 无效：" + service +
                         "（可用 education、health、protection、legal_aid、social_assistance）",
                     "invalid --service: " + service +
                         " (use education, health, protection, legal_aid, social_assistance)"));
  }
  RETURN_IF_ERROR(CheckReferralText(reason, /*required=*/true, "--reason"));
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  RETURN_IF_ERROR(ChildrenRepository(unit_).LoadOpen(child_id).status());
  ASSIGN_OR_RETURN(Statement site, unit_.db().Prepare("SELECT 1 FROM sites WHERE site_id = ?"));
  site.Bind(1, to_site);
  ASSIGN_OR_RETURN(bool known, site.Step());
  if (!known) {
    return Status(ErrorCode::kNotFound,
                  Tr("--to-site：本终端不知道站点 " + to_site + "（站点目录随同步更新，请先同步）",
                     "--to-site: this terminal knows no site " + to_site +
                         " (the site list comes with sync; sync first)"));
  }
  ASSIGN_OR_RETURN(std::string number, unit_.Meta("next_referral_number"));
  ASSIGN_OR_RETURN(std::string own_site, unit_.Meta("site_id"));
  Referral r;
  r.referral_id = unit_.terminal_id() + "-R" + number;
  r.child_id = child_id;
  r.service = service;
  r.from_site = own_site;
  r.to_site = to_site;
  r.reason = reason;
  RETURN_IF_ERROR(unit_.SetMeta("next_referral_number", std::to_string(std::stoull(number) + 1)));
  ASSIGN_OR_RETURN(r.status_stamp, Outbox(unit_).Append(event_type::kReferralCreate, child_id,
                                                        ReferralCreatePayload(r)));
  r.created_hlc = r.status_stamp.hlc;
  RETURN_IF_ERROR(Save(r));
  RETURN_IF_ERROR(
      unit_.Audit("referral.create", child_id,
                  {{"referral_id", r.referral_id}, {"service", service}, {"to_site", to_site}}));
  RETURN_IF_ERROR(tx.Commit());
  return r.referral_id;
}

Result<Referral> ReferralRepository::Move(const std::string& referral_id, ReferralStatus to,
                                          const std::string& outcome,
                                          const std::string& decline_reason) {
  RETURN_IF_ERROR(CheckReferralText(outcome, /*required=*/false, "--note"));
  if (to == ReferralStatus::kDeclined) RETURN_IF_ERROR(CheckDeclineReasonGiven(decline_reason));
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(std::optional<Referral> found, Load(referral_id));
  if (!found) {
    return Status(ErrorCode::kNotFound, Tr("本终端没有转介 " + referral_id,
                                           "no referral " + referral_id + " at this terminal"));
  }
  Referral r = std::move(*found);
  ASSIGN_OR_RETURN(std::string own_site, unit_.Meta("site_id"));
  RETURN_IF_ERROR(CheckReferralTransition(r, own_site, to));
  Referral changed = r;
  changed.status = to;
  changed.outcome = outcome;
  changed.decline_reason = to == ReferralStatus::kDeclined ? decline_reason : "";
  ASSIGN_OR_RETURN(changed.status_stamp,
                   Outbox(unit_).Append(
                       event_type::kReferralStatus, r.child_id,
                       ReferralStatusPayload({referral_id, to, outcome, changed.decline_reason})));
  MergeReferral(r, changed);  // the new stamp is the greatest this terminal has seen
  RETURN_IF_ERROR(Save(r));
  RETURN_IF_ERROR(
      unit_.Audit("referral." + std::string(ReferralVerb(to)), r.child_id,
                  {{"referral_id", referral_id}, {"status", std::string(ReferralStatusName(to))}}));
  RETURN_IF_ERROR(tx.Commit());
  return r;
}

Result<std::vector<Referral>> ReferralRepository::Of(const std::string& child_id) {
  ASSIGN_OR_RETURN(Statement st,
                   unit_.db().Prepare(std::string("SELECT ") + kColumns +
                                      " FROM referrals WHERE ?1 = '' OR child_id = ?1 "
                                      "ORDER BY created_hlc DESC, referral_id"));
  st.Bind(1, child_id);
  std::vector<Referral> out;
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& row) { out.push_back(ReadReferral(row)); }));
  return out;
}

Result<std::vector<Referral>> ReferralRepository::List(const std::string& child_id) {
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(std::vector<Referral> out, Of(child_id));
  json ids = json::array();
  for (const Referral& r : out) ids.push_back(r.referral_id);
  RETURN_IF_ERROR(unit_.Audit("referral.list", child_id, {{"results", ids}}));
  RETURN_IF_ERROR(tx.Commit());
  return out;
}

// The snapshots passed CheckPulledReferral (pull_checks.h).
Status ReferralRepository::ApplyPulled(const wire::PullPage& page, HybridClock& clock,
                                       uint64_t now_ms) {
  for (const wire::ReferralSnapshot& s : page.referrals()) {
    std::optional<ReferralStatus> status = ParseReferralStatus(s.status());
    if (!status) return BadSnapshot("status");
    Referral incoming = ReferralCreatedAs(s);
    incoming.created_hlc = s.created_hlc();
    incoming.status = *status;
    incoming.outcome = s.outcome();
    incoming.decline_reason = s.decline_reason();
    incoming.status_stamp = Stamp{s.status_hlc(), s.status_terminal(), s.status_seq()};
    clock.ObserveBounded(s.status_hlc(), now_ms);
    ASSIGN_OR_RETURN(std::optional<Referral> local, Load(s.referral_id()));
    if (!local) {
      RETURN_IF_ERROR(Save(incoming));
    } else if (MergeReferral(*local, incoming)) {
      RETURN_IF_ERROR(Save(*local));
    }
  }
  return Status::Ok();
}

}  // namespace onecard::terminal
