// The types of sync events (protocol/docs/sync.md, proto/sync.proto `Event.type`): the one list of
// them. Code that produces or dispatches events names a type through these constants, never a
// string literal of its own.
#pragma once

#include <array>
#include <string_view>

namespace onecard::event_type {

inline constexpr std::string_view kChildUpsert = "child.upsert";
inline constexpr std::string_view kCardRevoke = "card.revoke";
inline constexpr std::string_view kReferralCreate = "referral.create";
inline constexpr std::string_view kReferralStatus = "referral.status";
inline constexpr std::string_view kIdentityDecision = "identity.decision";

inline constexpr std::array<std::string_view, 5> kAll = {kChildUpsert, kCardRevoke, kReferralCreate,
                                                         kReferralStatus, kIdentityDecision};

constexpr bool IsKnown(std::string_view type) {
  for (std::string_view known : kAll) {
    if (type == known) return true;
  }
  return false;
}

}  // namespace onecard::event_type
