#include "onecard/server/event_checks.h"

#include <nlohmann/json.hpp>

#include "onecard/protocol/child_record.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/event_types.h"
#include "onecard/protocol/hybrid_clock.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/sync_event.h"

namespace onecard::server {
namespace {

using nlohmann::json;

std::string SeqText(const wire::Event& event) { return std::to_string(event.seq()); }

Status Refused(const wire::Event& event, const std::string& zh, const std::string& en) {
  return Status(ErrorCode::kInvalidArgument,
                Tr("事件 " + SeqText(event) + "：" + zh, "event " + SeqText(event) + ": " + en));
}

Status CheckEnvelope(const wire::Event& event, const std::string& terminal_id, uint64_t now_ms) {
  if (event.terminal_id() != terminal_id) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("事件来自其他终端：" + event.terminal_id(),
                     "event belongs to another terminal: " + event.terminal_id()));
  }
  if (Status form = CheckEventForm(event); !form.ok()) {
    return Refused(event, form.message(), form.message());
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

// The stamp a card import carries (terminal/src/card_repository.cc): the card record's, never
// newer than the event that imports it.
Result<Stamp> CarriedStamp(const wire::Event& event, const ChildUpsertEvent& upsert) {
  if (!upsert.carried_stamp) return EventStampOf(event);
  const Stamp& carried = *upsert.carried_stamp;
  if (carried.hlc > event.hlc() || carried.seq > kMaxEventSeq || carried.terminal_id.empty()) {
    return Refused(event, "所带卡片记录的时间戳无效",
                   "the card record's stamp it carries is invalid");
  }
  return carried;
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

// Judges a child.upsert's change, read from either form, by the registration rules.
Result<ParsedUpsert> CheckUpsert(const wire::Event& event, ChildUpsertEvent& upsert) {
  ASSIGN_OR_RETURN(Stamp stamp, CarriedStamp(event, upsert));
  // Dates and ages are judged on the day the change was made.
  const CivilDate day = CivilDate::InChinaAt(HybridClock::PhysicalMs(event.hlc()));
  ChildChange& change = upsert.change;
  Status fields = ValidateReceivedFields(change.fields, ReceivedFieldRules{day, true, false});
  if (!fields.ok()) return Refused(event, fields.message(), fields.message());
  RETURN_IF_ERROR(CheckDoses(event, change, day));
  ParsedUpsert out{std::move(stamp), std::move(change), {}, std::nullopt, {}};
  out.missing = MissingRequiredFields(out.change.fields);
  return out;
}

// The legacy JSON payload of an event that came typed, for the events table ("" for one that came
// legacy: its payload is stored as it came).
std::string StoredPayload(const wire::Event& event, const EventBody& body) {
  if (event.body_case() == wire::Event::BODY_NOT_SET) return std::string();
  return LegacyPayloadText(event, body);
}

// Sets upsert.vaccination: the status on `today` of a child whose record is the change alone.
void PrepareVaccination(ParsedUpsert& upsert, CivilDate today) {
  const ChildChange& change = upsert.change;
  auto birth = change.fields.find("birth_date");
  if (birth == change.fields.end() || !birth->is_string() || !change.dose_remove.empty()) return;
  nlohmann::json record = {{"birth_date", *birth}};
  if (!change.dose_add.empty()) record["immunizations"] = change.dose_add;
  upsert.vaccination = VaccinationOutlookOf(record, today);
  upsert.vaccination_on = today;
}

}  // namespace

CheckedEvent CheckEvent(const wire::Event& event, const std::string& terminal_id, uint64_t now_ms) {
  CheckedEvent checked;
  checked.refusal = CheckEnvelope(event, terminal_id, now_ms);
  if (!checked.refusal.ok()) return checked;
  Result<EventBody> body = ReadEventBody(event);
  const bool upsert = EventTypeOf(event) == event_type::kChildUpsert;
  if (!body.ok()) {
    const std::string message = body.status().message();
    if (upsert) {
      checked.refusal = Refused(event, message, message);
    } else {
      const std::string type(EventTypeOf(event));
      checked.body_refusal = Status(ErrorCode::kInvalidArgument,
                                    Tr("事件 " + SeqText(event) + "（" + type + "）：" + message,
                                       "event " + SeqText(event) + " (" + type + "): " + message));
    }
    return checked;
  }
  checked.stored_payload = StoredPayload(event, *body);
  if (!upsert) {
    checked.body = std::move(body).value();
    return checked;
  }
  Result<ParsedUpsert> parsed = CheckUpsert(event, std::get<ChildUpsertEvent>(*body));
  if (!parsed.ok()) {
    checked.refusal = parsed.status();
  } else {
    checked.upsert = std::move(parsed).value();
    PrepareVaccination(*checked.upsert, CivilDate::InChinaAt(now_ms));
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
