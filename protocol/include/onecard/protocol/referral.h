// A referral of a child to a service at a target site (PRODUCT.md sections 4 and 10), its status
// machine, and the merge rule that makes every replica (server and terminals) end with the same
// status whatever order the changes reach it in.
//
// Status machine, checked where a person acts (the terminal):
//   open -> accepted | declined | closed_unreached
//   accepted -> completed | closed_unreached
//   declined, completed, closed_unreached are final.
// accept, decline and complete are the target site's (the service provider); close is the target's
// or the referring site's.
//
// A decline carries a coded reason (decline_reason, below): whether the referral was
// inappropriate is what the programme's target (at most 5% declined as inappropriate) measures.
// A close needs none: closing has one meaning, closed_unreached ("closed unreached": the child or
// family could not be reached, before or after acceptance), so the status is the code; what
// happened is told in the outcome text.
//
// Merge: two offline terminals may move one referral on concurrently (one accepts, another
// declines). A replica keeps the version of greatest (rank, stamp), rank being
// open 0 < accepted 1 < declined = closed_unreached 2 < completed 3: a recorded delivery of the
// service outranks everything, a final status outranks a pending one, and the change stamp breaks
// ties. The maximum of a total order is commutative, associative and idempotent.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "onecard/protocol/child_state.h"
#include "onecard/protocol/status.h"

namespace onecard {

enum class ReferralStatus { kOpen, kAccepted, kDeclined, kCompleted, kClosedUnreached };

std::optional<ReferralStatus> ParseReferralStatus(std::string_view text);
std::string_view ReferralStatusName(ReferralStatus status);
int ReferralStatusRank(ReferralStatus status);
bool IsFinalReferralStatus(ReferralStatus status);

// education, health, protection, legal_aid, social_assistance.
bool IsReferralService(std::string_view service);

// The CLI verb that leads to `status`: accept, decline, complete, close ("" for open).
std::string_view ReferralVerb(ReferralStatus status);

constexpr size_t kMaxReferralReasonBytes = 500;

// The coded reasons of a decline (PRODUCT.md section 4), with their labels.
struct DeclineReasonEntry {
  std::string_view code;
  std::string_view zh;
  std::string_view en;
};
inline constexpr std::array<DeclineReasonEntry, 4> kDeclineReasons = {{
    {"inappropriate", "转介不当", "referral not appropriate"},
    {"no_capacity", "无接收能力", "no capacity to take the child"},
    {"family_refused", "家庭拒绝", "the family refused"},
    {"other", "其他", "other"},
}};
// The code a decline made without one is stored as (a terminal older than the codes).
inline constexpr std::string_view kDefaultDeclineReason = "other";
bool IsDeclineReason(std::string_view code);
// "inappropriate（转介不当）、…" in the user's language: the codes and their labels, for messages.
std::string DeclineReasonList();

struct Referral {
  std::string referral_id;  // "<terminal_id>-R<n>", minted by the referring terminal
  std::string child_id;
  std::string service;
  std::string from_site;
  std::string to_site;
  std::string reason;
  uint64_t created_hlc = 0;  // HLC of the referral.create event
  ReferralStatus status = ReferralStatus::kOpen;
  std::string outcome;  // the text given with the winning status change ("" when none)
  // A kDeclineReasons code while declined, "" in every other status.
  std::string decline_reason{};
  Stamp status_stamp;  // stamp of the winning status change (the create event's while open)

  // Canonical JSON (PRODUCT.md section 4): referral_id, child_id, service, from_site, to_site,
  // reason, status, decline_reason ("" unless declined), outcome, created_at, updated_at
  // (ISO 8601 UTC, from the HLCs).
  nlohmann::json ToJson() const;
};

// True when the version (status, stamp) `a` wins over `b` under the merge rule above.
bool ReferralVersionWins(ReferralStatus a, const Stamp& a_stamp, ReferralStatus b,
                         const Stamp& b_stamp);

// Merges another replica's version into `into` (same referral_id). Returns true when it changed.
bool MergeReferral(Referral& into, const Referral& other);

// Checks that a person at site `site_id` may move `r` to `to` now: kNotFound is not used here;
// kPermissionDenied when the site may not (not addressed to it), kFailedPrecondition when the
// status machine forbids it ("not allowed from status X"). Messages name the referral.
Status CheckReferralTransition(const Referral& r, const std::string& site_id, ReferralStatus to);

// Who may make a change, without the status machine: the server checks this on ingest (a status
// change made offline may legitimately arrive after a concurrent one that made it moot).
Status CheckReferralActor(const Referral& r, const std::string& site_id, ReferralStatus to);

// Checks a reason or outcome text: valid UTF-8, at most kMaxReferralReasonBytes; `required`
// refuses an empty one. `what` names it in the message ("--reason").
Status CheckReferralText(const std::string& text, bool required, const std::string& what);

// Event payloads (sync.md, "Referral events").
//   referral.create: {"referral_id", "child_id", "service", "from_site", "to_site", "reason"}
//   referral.status: {"referral_id", "status", "outcome"}, and "decline_reason" with a decline
nlohmann::json ReferralCreatePayload(const Referral& r);
// Checks the fields a referral.create carries (the ids, a known service, a reason): the same rules
// whatever form the event came in. kInvalidArgument names the bad field.
Status CheckReferralCreateFields(const Referral& r);
// The fields a referral is created with, copied from a wire message that carries them by these
// names (wire::ReferralCreate, wire::ReferralSnapshot); unchecked, and the rest left as made.
template <typename WireReferral>
Referral ReferralCreatedAs(const WireReferral& in) {
  Referral r;
  r.referral_id = in.referral_id();
  r.child_id = in.child_id();
  r.service = in.service();
  r.from_site = in.from_site();
  r.to_site = in.to_site();
  r.reason = in.reason();
  return r;
}
// Parses and validates a referral.create payload; the result is open, created at `hlc`, with
// status_stamp `stamp`. kInvalidArgument names the bad field.
Result<Referral> ReferralFromCreatePayload(const nlohmann::json& payload, const Stamp& stamp);

struct ReferralStatusChange {
  std::string referral_id;
  ReferralStatus status = ReferralStatus::kOpen;
  std::string outcome;
  std::string decline_reason{};  // a kDeclineReasons code for a decline; "" otherwise
};
nlohmann::json ReferralStatusPayload(const ReferralStatusChange& change);
// kInvalidArgument names the bad field; "open" is not a change. A decline without a
// decline_reason (an older terminal's) gets kDefaultDeclineReason; an unknown code, or a code with
// another status, is refused naming decline_reason.
Result<ReferralStatusChange> ReferralStatusFromPayload(const nlohmann::json& payload);
// The same checks, of the parts as a typed event carries them.
Result<ReferralStatusChange> MakeReferralStatusChange(std::string referral_id,
                                                      std::string_view status, std::string outcome,
                                                      std::string decline_reason);

}  // namespace onecard
