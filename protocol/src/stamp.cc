#include "onecard/protocol/stamp.h"

#include "onecard/protocol/timestamp.h"

namespace onecard {

std::optional<Stamp> StampFromJson(const nlohmann::json& j) {
  auto non_negative = [](const nlohmann::json& v) {
    return v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0);
  };
  if (!j.is_array() || j.size() != 3 || !non_negative(j[0]) || !j[1].is_string() ||
      !non_negative(j[2])) {
    return std::nullopt;
  }
  return Stamp{j[0].get<uint64_t>(), j[1].get<std::string>(), j[2].get<uint64_t>()};
}

nlohmann::json StampToJson(const Stamp& stamp) {
  return nlohmann::json::array({stamp.hlc, stamp.terminal_id, stamp.seq});
}

std::string StampTimeIso8601(const Stamp& stamp) {
  return UtcIso8601(static_cast<int64_t>((stamp.hlc >> 16) / 1000));
}

}  // namespace onecard
