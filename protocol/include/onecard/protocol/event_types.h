// The types of sync events (protocol/docs/sync.md, "Typed events"): the one registry of them.
// Each type has a name (`Event.type` and the stored events' `type` column, versions 1 and 2), the
// case of `Event.body` its typed message travels in (version 3), and a description. Code that
// produces or dispatches events names a type through these constants, never a string literal of
// its own.
//
// Adding a type: its message in sync.proto's `Event.body`, one entry here, its conversion in
// sync_event.cc (the compiler points at every std::visit that lacks it) and what the server does
// with it (server_ingest.cc).
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "sync.pb.h"

namespace onecard::event_type {

inline constexpr std::string_view kChildUpsert = "child.upsert";
inline constexpr std::string_view kCardRevoke = "card.revoke";
inline constexpr std::string_view kReferralCreate = "referral.create";
inline constexpr std::string_view kReferralStatus = "referral.status";
inline constexpr std::string_view kIdentityDecision = "identity.decision";
inline constexpr std::string_view kChildErase = "child.erase";

struct TypeInfo {
  std::string_view name;
  wire::Event::BodyCase body_case;
  std::string_view description;
};

// In the order of the alternatives of onecard::EventBody (sync_event.h).
inline constexpr std::array<TypeInfo, 6> kRegistry = {{
    {kChildUpsert, wire::Event::kChildUpsert, "a child's registration or a change of it"},
    {kCardRevoke, wire::Event::kCardRevoke, "a card serial revoked (lost or replaced card)"},
    {kReferralCreate, wire::Event::kReferralCreate, "a referral of a child to a service"},
    {kReferralStatus, wire::Event::kReferralStatus,
     "a referral accepted, declined, completed or "
     "closed"},
    {kIdentityDecision, wire::Event::kIdentityDecision,
     "a supervisor's decision on a pair of records (merge, separate, unmerge)"},
    {kChildErase, wire::Event::kChildErase,
     "a supervisor erased the child's personal data everywhere (consent withdrawn, registered in "
     "error, an order)"},
}};

inline constexpr std::array<std::string_view, kRegistry.size()> kAll = [] {
  std::array<std::string_view, kRegistry.size()> names{};
  for (size_t i = 0; i < kRegistry.size(); ++i) names[i] = kRegistry[i].name;
  return names;
}();

// The entry of a type name, or of a body case; nullptr when none.
constexpr const TypeInfo* Find(std::string_view type) {
  for (const TypeInfo& info : kRegistry) {
    if (info.name == type) return &info;
  }
  return nullptr;
}
constexpr const TypeInfo* Find(wire::Event::BodyCase body_case) {
  for (const TypeInfo& info : kRegistry) {
    if (info.body_case == body_case) return &info;
  }
  return nullptr;
}

constexpr bool IsKnown(std::string_view type) { return Find(type) != nullptr; }

}  // namespace onecard::event_type
