#include "onecard/server/event_checks.h"

#include <nlohmann/json.hpp>

#include "onecard/protocol/child_record.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/event_types.h"
#include "onecard/protocol/hybrid_clock.h"
#include "onecard/protocol/i18n.h"

namespace onecard::server {
namespace {

using nlohmann::json;

std::string SeqText(const wire::Event& event) { return std::to_string(event.seq()); }

Status Refused(const wire::Event& event, const std::string& zh, const std::string& en) {
  return Status(ErrorCode::kInvalidArgument,
                Tr("事件 " + SeqText(event) + "：" + zh, "event " + SeqText(event) + ": " + en));
}

// Untrusted text quoted in a refusal: at most 64 bytes, cut at a UTF-8 character boundary.
std::string Quoted(const std::string& text) {
  constexpr size_t kMax = 64;
  if (text.size() <= kMax) return "\"" + text + "\"";
  size_t end = kMax;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return "\"" + text.substr(0, end) + "…\"";
}

Status CheckEnvelope(const wire::Event& event, const std::string& terminal_id, uint64_t now_ms) {
  if (event.terminal_id() != terminal_id) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("事件来自其他终端：" + event.terminal_id(),
                     "event belongs to another terminal: " + event.terminal_id()));
  }
  if (!event_type::IsKnown(event.type())) {
    return Refused(event, "未知的事件类型 " + Quoted(event.type()),
                   "unknown event type " + Quoted(event.type()));
  }
  if (event.seq() == 0 || event.seq() > kMaxEventSeq) {
    return Refused(event, "序号超出协议范围（1 到 2^63−1）",
                   "sequence number outside the protocol's range (1 to 2^63-1)");
  }
  if (event.hlc() == 0 || event.hlc() > kMaxEventSeq) {
    return Refused(event, "时间戳无效", "invalid timestamp");
  }
  if (HybridClock::IsTooFarAhead(event.hlc(), now_ms)) {
    return Refused(event,
                   "时间戳 " + StampTimeIso8601(Stamp{event.hlc(), "", 0}) +
                       " 超前服务器时钟一小时以上，请校正终端时钟",
                   "timestamp " + StampTimeIso8601(Stamp{event.hlc(), "", 0}) +
                       " is more than an hour ahead of the server's clock; correct the "
                       "terminal's clock");
  }
  return Status::Ok();
}

// The stamp a card import carries (terminal/src/card_repository.cc): the card record's, never newer
// than the event that imports it.
Result<Stamp> CarriedStamp(const wire::Event& event, const json& payload) {
  Stamp stamp{event.hlc(), event.terminal_id(), event.seq()};
  auto it = payload.find("stamp");
  if (it == payload.end()) return stamp;
  std::optional<Stamp> carried = StampFromJson(*it);
  if (!carried || carried->hlc > event.hlc() || carried->seq > kMaxEventSeq ||
      carried->terminal_id.empty()) {
    return Refused(event, "所带卡片记录的时间戳无效",
                   "the card record's stamp it carries is invalid");
  }
  return *carried;
}

Status CheckDoses(const wire::Event& event, const ChildChange& change, CivilDate day) {
  for (const json& dose : change.dose_add) {
    Status valid = ValidateReceivedDose(dose, day);
    if (!valid.ok()) return Refused(event, valid.message(), valid.message());
  }
  for (const DoseTag& tag : change.dose_remove) {
    if (tag.key.empty() || tag.key.size() > 32) {
      return Refused(event, "要删除的接种记录标识无效", "invalid identity of a dose to remove");
    }
  }
  return Status::Ok();
}

// The fields a registration requires that `fields` lacks. Run after ValidateReceivedFields, which
// refused a required field set to null.
std::vector<std::string> MissingRequiredFields(const json& fields) {
  std::vector<std::string> missing;
  for (std::string_view key : RequiredChildRecordFields()) {
    if (!fields.contains(key)) missing.emplace_back(key);
  }
  return missing;
}

Result<ParsedUpsert> ParseUpsert(const wire::Event& event) {
  Result<json> parsed = ParseJson(event.payload(), "payload");
  if (!parsed.ok()) return Refused(event, parsed.status().message(), parsed.status().message());
  json& payload = *parsed;
  auto child_id = payload.is_object() ? payload.find("child_id") : payload.end();
  if (!payload.is_object() || child_id == payload.end() || !child_id->is_string() ||
      child_id->get_ref<const std::string&>() != event.child_id() || event.child_id().empty()) {
    const bool names_one =
        payload.is_object() && child_id != payload.end() && child_id->is_string();
    const std::string named = names_one ? Quoted(child_id->get_ref<const std::string&>()) : "";
    return Refused(event,
                   "内容不是该儿童 " + Quoted(event.child_id()) + " 的变更（内容所写儿童：" +
                       (names_one ? named : "无") + "）",
                   "the payload is not a change of the event's child " + Quoted(event.child_id()) +
                       " (the payload names " + (names_one ? named : "none") + ")");
  }
  ASSIGN_OR_RETURN(Stamp stamp, CarriedStamp(event, payload));
  // Merge semantics (protocol/docs/merge.md): the payload's fields, bases and dose changes.
  Result<ChildChange> change = ChildChange::ReadFrom(payload, stamp);
  if (!change.ok()) return Refused(event, change.status().message(), change.status().message());
  // Dates and ages are judged on the day the change was made.
  const CivilDate day = CivilDate::InChinaAt(HybridClock::PhysicalMs(event.hlc()));
  Status fields = ValidateReceivedFields(change->fields, ReceivedFieldRules{day, true, false});
  if (!fields.ok()) return Refused(event, fields.message(), fields.message());
  RETURN_IF_ERROR(CheckDoses(event, *change, day));
  ParsedUpsert out{std::move(stamp), std::move(change).value(), {}};
  out.missing = MissingRequiredFields(out.change.fields);
  return out;
}

}  // namespace

CheckedEvent CheckEvent(const wire::Event& event, const std::string& terminal_id, uint64_t now_ms) {
  CheckedEvent checked;
  checked.refusal = CheckEnvelope(event, terminal_id, now_ms);
  if (!checked.refusal.ok() || event.type() != event_type::kChildUpsert) return checked;
  Result<ParsedUpsert> upsert = ParseUpsert(event);
  if (!upsert.ok()) {
    checked.refusal = upsert.status();
  } else {
    checked.upsert = std::move(upsert).value();
  }
  return checked;
}

std::vector<CheckedEvent> CheckEvents(const std::vector<wire::Event>& events,
                                      const std::string& terminal_id, uint64_t now_ms) {
  std::vector<CheckedEvent> checked;
  checked.reserve(events.size());
  for (const wire::Event& event : events) checked.push_back(CheckEvent(event, terminal_id, now_ms));
  return checked;
}

}  // namespace onecard::server
