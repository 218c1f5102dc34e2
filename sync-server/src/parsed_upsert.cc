#include "onecard/server/parsed_upsert.h"

#include <nlohmann/json.hpp>

#include "onecard/protocol/i18n.h"

namespace onecard::server {
namespace {

using nlohmann::json;

Status Malformed(const wire::Event& event, const std::string& zh_detail = "",
                 const std::string& en_detail = "") {
  const std::string seq = std::to_string(event.seq());
  return Status(ErrorCode::kInvalidArgument,
                Tr("事件 " + seq + " 的内容格式错误" + zh_detail,
                   "event " + seq + " has a malformed payload" + en_detail));
}

bool ChildIdMatches(const json& payload, const std::string& child_id) {
  auto it = payload.find("child_id");
  return it != payload.end() && it->is_string() && it->get_ref<const std::string&>() == child_id;
}

}  // namespace

Result<ParsedUpsert> ParseUpsert(const wire::Event& event) {
  json payload = json::parse(event.payload(), nullptr, /*allow_exceptions=*/false);
  if (!payload.is_object() || !payload.contains("fields") || !payload["fields"].is_object() ||
      !ChildIdMatches(payload, event.child_id())) {
    return Malformed(event);
  }
  ParsedUpsert parsed{Stamp{event.hlc(), event.terminal_id(), event.seq()}, {}};
  // A card import carries the stamp of the card's record (see terminal_store.cc).
  if (auto it = payload.find("stamp"); it != payload.end()) {
    std::optional<Stamp> carried = StampFromJson(*it);
    if (!carried) {
      const std::string seq = std::to_string(event.seq());
      return Status(ErrorCode::kInvalidArgument, Tr("事件 " + seq + " 的时间戳格式错误",
                                                    "event " + seq + " has a malformed stamp"));
    }
    parsed.stamp = *carried;
  }
  // Merge semantics (protocol/docs/merge.md): the payload's fields, bases and dose changes.
  Result<ChildChange> change = ChildChange::ReadFrom(payload, parsed.stamp);
  if (!change.ok())
    return Malformed(event, "：" + change.status().message(), ": " + change.status().message());
  parsed.change = std::move(change).value();
  return parsed;
}

std::vector<Result<ParsedUpsert>> ParseUpserts(const std::vector<wire::Event>& events) {
  std::vector<Result<ParsedUpsert>> parsed;
  parsed.reserve(events.size());
  for (const wire::Event& event : events) {
    parsed.push_back(event.type() == "child.upsert"
                         ? ParseUpsert(event)
                         : Result<ParsedUpsert>(
                               Status(ErrorCode::kFailedPrecondition, "not a child.upsert event")));
  }
  return parsed;
}

}  // namespace onecard::server
