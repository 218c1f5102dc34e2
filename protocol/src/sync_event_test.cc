// The two wire forms of sync events (sync_event.h): every type goes legacy -> typed -> legacy and
// comes back with the same payload; malformed events of either form are refused, naming the part.
#include "onecard/protocol/sync_event.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/protocol/event_types.h"
#include "test_language_scope.h"

namespace onecard {
namespace {

using nlohmann::json;

constexpr uint64_t kHlc = (uint64_t{1767225600000} << 16) + 7;  // 2026-01-01, logical 7

wire::Event Legacy(std::string_view type, const std::string& child, const json& payload) {
  wire::Event e;
  e.set_terminal_id("JS-T1");
  e.set_seq(9);
  e.set_hlc(kHlc);
  e.set_type(std::string(type));
  e.set_child_id(child);
  e.set_payload(payload.dump());
  return e;
}

json Older(uint64_t logical) { return json::array({kHlc - 100 + logical, "GD-T9", 3}); }

// One event of every type of the registry, as terminals write them (child.upsert twice: with
// bases and doses, and a card import carrying its record's stamp).
std::vector<wire::Event> EveryType() {
  std::vector<wire::Event> events;
  events.push_back(
      Legacy(event_type::kChildUpsert, "JS-T1-1",
             {{"child_id", "JS-T1-1"},
              {"fields", {{"name", "王小明"}, {"school", nullptr}, {"guardians", json::array()}}},
              {"base", {{"name", json::array({Older(1), Older(2)})}, {"school", json::array()}}},
              {"doses",
               {{"add", json::array({{{"vaccine", "MMR"}, {"dose", 1}, {"date", "2017-10-01"}}})},
                {"remove", json::array({{{"k", "BCG#1"}, {"s", Older(3)}}})}}}}));
  events.push_back(Legacy(event_type::kChildUpsert, "JS-T1-2",
                          {{"child_id", "JS-T1-2"},
                           {"fields", {{"name", "李红"}}},
                           {"stamp", json::array({kHlc - 5, "GD-T9", 12})}}));
  events.push_back(
      Legacy(event_type::kCardRevoke, "JS-T1-1",
             {{"serial", "5A5A000011112222"}, {"child_id", "JS-T1-1"}, {"reason", "遗失"}}));
  events.push_back(Legacy(event_type::kReferralCreate, "JS-T1-1",
                          {{"referral_id", "JS-T1-R1"},
                           {"child_id", "JS-T1-1"},
                           {"service", "health"},
                           {"from_site", "JS"},
                           {"to_site", "GD"},
                           {"reason", "需要随访"}}));
  events.push_back(
      Legacy(event_type::kReferralStatus, "JS-T1-1",
             {{"referral_id", "GD-T9-R1"}, {"status", "completed"}, {"outcome", "已入学"}}));
  events.push_back(
      Legacy(event_type::kIdentityDecision, "JS-T1-1",
             {{"a", "JS-T1-1"}, {"b", "GD-T9-4"}, {"decision", "merge"}, {"by", "张主任"}}));
  events.push_back(Legacy(event_type::kReferralStatus, "JS-T1-1",
                          {{"referral_id", "GD-T9-R2"},
                           {"status", "declined"},
                           {"decline_reason", "family_refused"},
                           {"outcome", "家长不同意"}}));
  events.push_back(Legacy(event_type::kChildErase, "JS-T1-1",
                          {{"by", "张主任"}, {"reason", "consent_withdrawn"}}));
  return events;
}

TEST(SyncEventTest, EveryTypeGoesLegacyToTypedAndBack) {
  std::vector<bool> seen(event_type::kRegistry.size());
  for (const wire::Event& original : EveryType()) {
    SCOPED_TRACE(original.type());
    wire::Event typed = original;
    ASSERT_TRUE(ToTyped(typed).ok()) << ToTyped(typed).message();
    EXPECT_TRUE(typed.type().empty());
    EXPECT_TRUE(typed.payload().empty());
    const event_type::TypeInfo* info = event_type::Find(original.type());
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(typed.body_case(), info->body_case);
    EXPECT_EQ(EventTypeOf(typed), original.type());
    seen[static_cast<size_t>(info - event_type::kRegistry.data())] = true;

    // Through the wire bytes too.
    wire::Event received;
    ASSERT_TRUE(received.ParseFromString(typed.SerializeAsString()));
    wire::Event legacy = received;
    ASSERT_TRUE(ToLegacy(legacy).ok());
    EXPECT_EQ(legacy.type(), original.type());
    EXPECT_EQ(legacy.body_case(), wire::Event::BODY_NOT_SET);
    EXPECT_EQ(json::parse(legacy.payload()), json::parse(original.payload()));
    // Terminals write canonical JSON (sorted keys), and so does the conversion: the same bytes.
    EXPECT_EQ(legacy.payload(), original.payload());

    // Both forms read as the same typed value.
    Result<EventBody> from_legacy = ReadEventBody(original);
    Result<EventBody> from_typed = ReadEventBody(received);
    ASSERT_TRUE(from_legacy.ok()) << from_legacy.status().message();
    ASSERT_TRUE(from_typed.ok()) << from_typed.status().message();
    EXPECT_EQ(from_legacy->index(), from_typed->index());
    EXPECT_EQ(EventTypeName(*from_typed), original.type());
    // What the server stores of a typed event, written without parsing its JSON bytes again.
    EXPECT_EQ(LegacyPayloadText(received, *from_typed), original.payload());
  }
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_TRUE(seen[i]) << event_type::kRegistry[i].name;
}

TEST(SyncEventTest, TypedValuesCarryTheFields) {
  std::vector<wire::Event> events = EveryType();
  for (wire::Event& e : events) ASSERT_TRUE(ToTyped(e).ok());
  auto upsert = std::get<ChildUpsertEvent>(*ReadEventBody(events[0]));
  EXPECT_EQ(upsert.change.fields.at("name"), "王小明");
  EXPECT_EQ(upsert.change.base.at("name").size(), 2u);
  ASSERT_EQ(upsert.change.dose_add.size(), 1u);
  EXPECT_EQ(upsert.change.dose_add[0].at("vaccine"), "MMR");
  ASSERT_EQ(upsert.change.dose_remove.size(), 1u);
  EXPECT_EQ(upsert.change.dose_remove[0].key, "BCG#1");
  EXPECT_FALSE(upsert.carried_stamp.has_value());
  auto import = std::get<ChildUpsertEvent>(*ReadEventBody(events[1]));
  ASSERT_TRUE(import.carried_stamp.has_value());
  EXPECT_EQ(import.carried_stamp->seq, 12u);
  EXPECT_EQ(std::get<CardRevokeEvent>(*ReadEventBody(events[2])).serial, "5A5A000011112222");
  Referral r = std::get<Referral>(*ReadEventBody(events[3]));
  EXPECT_EQ(r.to_site, "GD");
  EXPECT_EQ(r.status, ReferralStatus::kOpen);
  EXPECT_EQ(r.status_stamp, EventStampOf(events[3]));
  EXPECT_EQ(std::get<ReferralStatusChange>(*ReadEventBody(events[4])).status,
            ReferralStatus::kCompleted);
  EXPECT_EQ(std::get<IdentityDecisionEvent>(*ReadEventBody(events[5])).by, "张主任");
  const auto decline = std::get<ReferralStatusChange>(*ReadEventBody(events[6]));
  EXPECT_EQ(decline.status, ReferralStatus::kDeclined);
  EXPECT_EQ(decline.decline_reason, "family_refused");
  EXPECT_EQ(events[6].referral_status().decline_reason(), "family_refused");
  EXPECT_EQ(std::get<ChildEraseEvent>(*ReadEventBody(events[7])).reason, "consent_withdrawn");
  EXPECT_EQ(events[7].child_erase().by(), "张主任");
}

void ExpectRefused(const wire::Event& event, const std::string& mention) {
  Result<EventBody> body = ReadEventBody(event);
  ASSERT_FALSE(body.ok()) << mention;
  EXPECT_EQ(body.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(body.status().message().find(mention), std::string::npos) << body.status().message();
}

TEST(SyncEventTest, MalformedLegacyPayloadsAreRefusedNamingTheProblem) {
  testing::LanguageScope keep_language;
  SetLanguage(Language::kEn);
  ExpectRefused(Legacy("child.delete", "JS-T1-1", json::object()), "child.delete");
  wire::Event not_json = Legacy(event_type::kCardRevoke, "JS-T1-1", json::object());
  not_json.set_payload("{\"serial\": ");
  ExpectRefused(not_json, "payload");
  ExpectRefused(Legacy(event_type::kIdentityDecision, "JS-T1-1", json::array()), "JSON");
  ExpectRefused(Legacy(event_type::kCardRevoke, "JS-T1-1", {{"serial", 5}}), "serial");
  ExpectRefused(Legacy(event_type::kChildUpsert, "JS-T1-1",
                       {{"child_id", "JS-T1-2"}, {"fields", json::object()}}),
                "JS-T1-2");
  ExpectRefused(Legacy(event_type::kChildUpsert, "JS-T1-1",
                       {{"child_id", "JS-T1-1"}, {"fields", json::object()}, {"stamp", "x"}}),
                "stamp");
  ExpectRefused(Legacy(event_type::kReferralStatus, "JS-T1-1",
                       {{"referral_id", "GD-T9-R1"}, {"status", "open"}}),
                "status");
}

TEST(SyncEventTest, MalformedTypedEventsAreRefusedNamingTheProblem) {
  testing::LanguageScope keep_language;
  SetLanguage(Language::kEn);
  std::vector<wire::Event> events = EveryType();
  for (wire::Event& e : events) ASSERT_TRUE(ToTyped(e).ok());

  wire::Event both = events[0];
  both.set_type(std::string(event_type::kChildUpsert));
  ExpectRefused(both, "both");
  wire::Event neither = events[0];
  neither.clear_body();
  ExpectRefused(neither, "neither");

  wire::Event fields = events[0];
  fields.mutable_child_upsert()->set_fields("[1]");
  ExpectRefused(fields, "fields");
  fields.mutable_child_upsert()->set_fields("{\"a\":1,\"a\":2}");
  ExpectRefused(fields, "fields");
  wire::Event base = events[0];
  base.mutable_child_upsert()->mutable_base(0)->set_field("sex");  // a field the change lacks
  ExpectRefused(base, "base.sex");
  wire::Event newer_base = events[0];
  newer_base.mutable_child_upsert()->mutable_base(0)->mutable_seen(0)->set_hlc(kHlc + 1);
  ExpectRefused(newer_base, "base.name");
  wire::Event dose = events[0];
  dose.mutable_child_upsert()->set_dose_add(0, "\"MMR\"");
  ExpectRefused(dose, "doses.add");
  wire::Event removal = events[0];
  removal.mutable_child_upsert()->mutable_dose_remove(0)->mutable_stamp()->set_hlc(kHlc + 1);
  ExpectRefused(removal, "doses.remove");

  wire::Event service = events[3];
  service.mutable_referral_create()->set_service("astrology");
  ExpectRefused(service, "service");
  wire::Event status = events[4];
  status.mutable_referral_status()->set_status("reopened");
  ExpectRefused(status, "status");
}

}  // namespace
}  // namespace onecard
