#include "onecard/protocol/referral.h"

#include <array>
#include <tuple>

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/protocol/utf8.h"

namespace onecard {
namespace {

using nlohmann::json;

struct StatusEntry {
  ReferralStatus status;
  std::string_view name;
  int rank;
  std::string_view verb;
};
constexpr std::array<StatusEntry, 5> kStatuses = {{
    {ReferralStatus::kOpen, "open", 0, ""},
    {ReferralStatus::kAccepted, "accepted", 1, "accept"},
    {ReferralStatus::kDeclined, "declined", 2, "decline"},
    {ReferralStatus::kCompleted, "completed", 3, "complete"},
    {ReferralStatus::kClosedUnreached, "closed_unreached", 2, "close"},
}};

const StatusEntry& EntryOf(ReferralStatus status) {
  for (const auto& e : kStatuses) {
    if (e.status == status) return e;
  }
  ONECARD_CHECK(false);
  return kStatuses[0];
}

constexpr std::array<std::string_view, 5> kServices = {"education", "health", "protection",
                                                       "legal_aid", "social_assistance"};

// Identifiers (referral, child, site ids): 1–64 printable ASCII characters without blanks.
bool IsIdentifier(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

Status BadField(const std::string& field) {
  return Status(ErrorCode::kInvalidArgument,
                Tr("转介字段 " + field + " 缺失或格式错误",
                   "referral field " + field + " is missing or malformed"));
}

Result<std::string> StringField(const json& j, const char* field, bool identifier) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_string()) return BadField(field);
  std::string s = it->get<std::string>();
  if (identifier && !IsIdentifier(s)) return BadField(field);
  return s;
}

std::string HlcTime(uint64_t hlc) { return UtcIso8601(static_cast<int64_t>((hlc >> 16) / 1000)); }

}  // namespace

std::optional<ReferralStatus> ParseReferralStatus(std::string_view text) {
  for (const auto& e : kStatuses) {
    if (e.name == text) return e.status;
  }
  return std::nullopt;
}

std::string_view ReferralStatusName(ReferralStatus status) { return EntryOf(status).name; }
int ReferralStatusRank(ReferralStatus status) { return EntryOf(status).rank; }
std::string_view ReferralVerb(ReferralStatus status) { return EntryOf(status).verb; }

bool IsFinalReferralStatus(ReferralStatus status) {
  return status == ReferralStatus::kDeclined || status == ReferralStatus::kCompleted ||
         status == ReferralStatus::kClosedUnreached;
}

bool IsDeclineReason(std::string_view code) {
  for (const auto& e : kDeclineReasons) {
    if (e.code == code) return true;
  }
  return false;
}

std::string DeclineReasonList() {
  std::string out;
  for (const auto& e : kDeclineReasons) {
    if (!out.empty()) out += Tr("、", ", ");
    out +=
        std::string(e.code) + Tr("（" + std::string(e.zh) + "）", " (" + std::string(e.en) + ")");
  }
  return out;
}

bool IsReferralService(std::string_view service) {
  for (auto s : kServices) {
    if (s == service) return true;
  }
  return false;
}

json Referral::ToJson() const {
  return {{"referral_id", referral_id},
          {"child_id", child_id},
          {"service", service},
          {"from_site", from_site},
          {"to_site", to_site},
          {"reason", reason},
          {"status", std::string(ReferralStatusName(status))},
          {"decline_reason", decline_reason},
          {"outcome", outcome},
          {"created_at", HlcTime(created_hlc)},
          {"updated_at", HlcTime(status_stamp.hlc)}};
}

bool ReferralVersionWins(ReferralStatus a, const Stamp& a_stamp, ReferralStatus b,
                         const Stamp& b_stamp) {
  return std::tie(EntryOf(a).rank, a_stamp) > std::tie(EntryOf(b).rank, b_stamp);
}

bool MergeReferral(Referral& into, const Referral& other) {
  if (!ReferralVersionWins(other.status, other.status_stamp, into.status, into.status_stamp))
    return false;
  into.status = other.status;
  into.outcome = other.outcome;
  into.decline_reason = other.decline_reason;
  into.status_stamp = other.status_stamp;
  return true;
}

Status CheckReferralActor(const Referral& r, const std::string& site_id, ReferralStatus to) {
  bool allowed = to == ReferralStatus::kClosedUnreached
                     ? (site_id == r.to_site || site_id == r.from_site)
                     : site_id == r.to_site;
  if (to == ReferralStatus::kOpen) allowed = false;
  if (allowed) return Status::Ok();
  return Status(ErrorCode::kPermissionDenied,
                Tr("转介 " + r.referral_id + " 不是转给本站点（" + site_id + "）的，本站点不能" +
                       (to == ReferralStatus::kClosedUnreached ? "关闭" : "受理或办结") + "它",
                   "referral " + r.referral_id + " is not addressed to this site (" + site_id +
                       "); it may not " + std::string(ReferralVerb(to)) + " it"));
}

Status CheckReferralTransition(const Referral& r, const std::string& site_id, ReferralStatus to) {
  RETURN_IF_ERROR(CheckReferralActor(r, site_id, to));
  bool allowed = (r.status == ReferralStatus::kOpen && to != ReferralStatus::kOpen &&
                  to != ReferralStatus::kCompleted) ||
                 (r.status == ReferralStatus::kAccepted &&
                  (to == ReferralStatus::kCompleted || to == ReferralStatus::kClosedUnreached));
  if (allowed) return Status::Ok();
  std::string from(ReferralStatusName(r.status)), verb(ReferralVerb(to));
  return Status(
      ErrorCode::kFailedPrecondition,
      Tr("转介 " + r.referral_id + " 当前状态为 " + from + "，不允许 " + verb,
         "referral " + r.referral_id + ": " + verb + " is not allowed from status " + from));
}

Status CheckReferralText(const std::string& text, bool required, const std::string& what) {
  if (required && text.empty()) {
    return Status(ErrorCode::kInvalidArgument, Tr(what + " 不能为空", what + " must not be empty"));
  }
  if (text.size() > kMaxReferralReasonBytes) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr(what + " 太长（最多 500 字节）", what + " is too long (at most 500 bytes)"));
  }
  if (!DecodeUtf8Strict(text)) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr(what + " 不是有效的 UTF-8 文本", what + " is not valid UTF-8 text"));
  }
  return Status::Ok();
}

json ReferralCreatePayload(const Referral& r) {
  return {{"referral_id", r.referral_id}, {"child_id", r.child_id}, {"service", r.service},
          {"from_site", r.from_site},     {"to_site", r.to_site},   {"reason", r.reason}};
}

Status CheckReferralCreateFields(const Referral& r) {
  if (!IsIdentifier(r.referral_id)) return BadField("referral_id");
  if (!IsIdentifier(r.child_id)) return BadField("child_id");
  if (!IsReferralService(r.service)) return BadField("service");
  if (!IsIdentifier(r.from_site)) return BadField("from_site");
  if (!IsIdentifier(r.to_site)) return BadField("to_site");
  if (!CheckReferralText(r.reason, /*required=*/true, "reason").ok()) return BadField("reason");
  return Status::Ok();
}

Result<Referral> ReferralFromCreatePayload(const json& payload, const Stamp& stamp) {
  if (!payload.is_object()) return BadField("payload");
  Referral r;
  ASSIGN_OR_RETURN(r.referral_id, StringField(payload, "referral_id", true));
  ASSIGN_OR_RETURN(r.child_id, StringField(payload, "child_id", true));
  ASSIGN_OR_RETURN(r.service, StringField(payload, "service", false));
  if (!IsReferralService(r.service)) return BadField("service");
  ASSIGN_OR_RETURN(r.from_site, StringField(payload, "from_site", true));
  ASSIGN_OR_RETURN(r.to_site, StringField(payload, "to_site", true));
  ASSIGN_OR_RETURN(r.reason, StringField(payload, "reason", false));
  RETURN_IF_ERROR(CheckReferralCreateFields(r));
  r.created_hlc = stamp.hlc;
  r.status_stamp = stamp;
  return r;
}

json ReferralStatusPayload(const ReferralStatusChange& change) {
  json out = {{"referral_id", change.referral_id},
              {"status", std::string(ReferralStatusName(change.status))},
              {"outcome", change.outcome}};
  if (!change.decline_reason.empty()) out["decline_reason"] = change.decline_reason;
  return out;
}

Result<ReferralStatusChange> MakeReferralStatusChange(std::string referral_id,
                                                      std::string_view status, std::string outcome,
                                                      std::string decline_reason) {
  ReferralStatusChange change;
  change.referral_id = std::move(referral_id);
  if (!IsIdentifier(change.referral_id)) return BadField("referral_id");
  std::optional<ReferralStatus> parsed = ParseReferralStatus(status);
  if (!parsed || *parsed == ReferralStatus::kOpen) return BadField("status");
  change.status = *parsed;
  change.outcome = std::move(outcome);
  if (!CheckReferralText(change.outcome, /*required=*/false, "outcome").ok())
    return BadField("outcome");
  if (change.status != ReferralStatus::kDeclined) {
    if (!decline_reason.empty()) return BadField("decline_reason");
    return change;
  }
  change.decline_reason =
      decline_reason.empty() ? std::string(kDefaultDeclineReason) : std::move(decline_reason);
  if (!IsDeclineReason(change.decline_reason)) return BadField("decline_reason");
  return change;
}

Result<ReferralStatusChange> ReferralStatusFromPayload(const json& payload) {
  if (!payload.is_object()) return BadField("payload");
  ASSIGN_OR_RETURN(std::string referral_id, StringField(payload, "referral_id", true));
  ASSIGN_OR_RETURN(std::string status, StringField(payload, "status", false));
  std::string outcome, decline_reason;
  if (payload.contains("outcome")) {
    ASSIGN_OR_RETURN(outcome, StringField(payload, "outcome", false));
  }
  if (payload.contains("decline_reason")) {
    ASSIGN_OR_RETURN(decline_reason, StringField(payload, "decline_reason", false));
  }
  return MakeReferralStatusChange(std::move(referral_id), status, std::move(outcome),
                                  std::move(decline_reason));
}

}  // namespace onecard
