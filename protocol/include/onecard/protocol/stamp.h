// The stamp of a change to a child: the change's hybrid logical clock reading and its global event
// id (terminal id, seq). Stamps order by (hlc, terminal_id, seq): the HLC first, ties broken
// deterministically, so every stamp is distinct and all stamps are totally ordered.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace onecard {

struct Stamp {
  uint64_t hlc = 0;
  std::string terminal_id;
  uint64_t seq = 0;
  auto operator<=>(const Stamp&) const = default;
};

// Parses the wire form of a stamp, [hlc, "terminal", seq] with non-negative integers; nullopt
// when malformed.
std::optional<Stamp> StampFromJson(const nlohmann::json& j);
nlohmann::json StampToJson(const Stamp& stamp);

// The physical time of a stamp (hlc >> 16 is Unix milliseconds) as "2026-11-23T10:00:00Z".
std::string StampTimeIso8601(const Stamp& stamp);

}  // namespace onecard
