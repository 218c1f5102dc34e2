// Writes the seeds of the ingest fuzz target (ingest_fuzz.cc; format: ingest_input.h) into the
// directory given, one file per seed named seed-<what>: realistic pushes of the two baseline
// terminals (a registration with consent, an update, a card revocation, referrals, an identity
// decision) and hostile ones (bad dates, a huge name, unknown fields, a stamp in 2100, another
// terminal's event, seqs out of range, a payload that is not JSON, a version 2 push with one bad
// event, a replay), in wire mode and in structured mode; and the same in the typed form of version
// 3 (Event.body), with typed events that are malformed (both forms, neither, fields that are not a
// JSON object, an unknown referral status).
//   build/fuzz/ingest_seeds fuzz/corpus/ingest
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ingest_input.h"
#include "onecard/protocol/event_types.h"
#include "onecard/protocol/sync_event.h"
#include "onecard/testing/registration.h"
#include "sync.pb.h"

namespace {

using namespace onecard::fuzz_ingest;
namespace event_type = onecard::event_type;
using nlohmann::json;
using onecard::testing::MigrantRegistration;
namespace wire = onecard::wire;

uint64_t Stamp(uint64_t hours, uint64_t logical) {
  return ((kBaseMs + hours * 3600 * 1000) << 16) + logical;
}

wire::Event Event(const std::string& terminal, uint64_t seq, std::string_view type,
                  const std::string& child, const std::string& payload, uint64_t hlc = 0) {
  wire::Event e;
  e.set_terminal_id(terminal);
  e.set_seq(seq);
  e.set_hlc(hlc != 0 ? hlc : Stamp(24, seq));
  e.set_type(std::string(type));
  e.set_child_id(child);
  e.set_payload(payload);
  return e;
}

wire::Event Upsert(const std::string& terminal, uint64_t seq, const std::string& child,
                   const json& fields) {
  return Event(terminal, seq, event_type::kChildUpsert, child,
               json{{"child_id", child}, {"fields", fields}}.dump());
}

class Writer {
 public:
  explicit Writer(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // Writes seed-<name>, and seed-typed-<name> with every event that converts in the typed form.
  void Wire(const std::string& name, uint8_t mode, const std::vector<wire::Event>& events) {
    WireAsIs(name, mode, events);
    std::vector<wire::Event> typed = events;
    for (wire::Event& e : typed) (void)onecard::ToTyped(e);
    WireAsIs("typed-" + name, mode, typed);
  }
  void WireAsIs(const std::string& name, uint8_t mode, const std::vector<wire::Event>& events) {
    wire::Envelope envelope;
    for (const wire::Event& e : events) *envelope.mutable_push()->add_events() = e;
    Write(name, std::string(1, static_cast<char>(mode)) + envelope.SerializeAsString());
  }
  // Structured mode: each piece is {type, seq, hlc, child, how} and the payload text; an empty
  // piece (type 0xFF) starts the next push.
  struct Piece {
    uint8_t type, seq, hlc, child, how;
    std::string text;
  };
  void Structured(const std::string& name, uint8_t mode, const std::vector<Piece>& pieces) {
    std::string bytes(1, static_cast<char>(mode | kModeStructured));
    for (size_t i = 0; i < pieces.size(); ++i) {
      if (i > 0) bytes.push_back('\0');
      const Piece& p = pieces[i];
      if (p.type == 0xFF) continue;  // the empty piece: next push
      // No 0x00 inside a piece (ingest_input.h): type + 6, seq + 1, how + 4.
      bytes +=
          std::string{static_cast<char>(p.type + kTypes.size()), static_cast<char>(p.seq + 1),
                      static_cast<char>(p.hlc), static_cast<char>(p.child | ((p.how + 4) << 3))};
      bytes += p.text;
    }
    Write(name, bytes);
  }

 private:
  void Write(const std::string& name, const std::string& bytes) {
    std::ofstream out(dir_ / ("seed-" + name), std::ios::binary | std::ios::trunc);
    out << bytes;
    std::cout << "seed-" << name << " (" << bytes.size() << " bytes)" << std::endl;
  }
  std::filesystem::path dir_;
};

}  // namespace

// Typed events that are malformed: both forms, neither, fields that are not a JSON object, an
// unknown referral status.
void WriteTypedHostileSeeds(Writer& w, uint8_t away, uint8_t home) {
  wire::Event both = Upsert(kAway, 3, "GD-T9-2", MigrantRegistration("冯磊"));
  wire::Event typed = both;
  (void)onecard::ToTyped(typed);
  *both.mutable_child_upsert() = typed.child_upsert();
  wire::Event neither = both;
  neither.clear_type();
  neither.clear_payload();
  neither.clear_body();
  wire::Event not_object = typed;
  not_object.mutable_child_upsert()->set_fields("[1,2]");
  neither.set_seq(4);
  not_object.set_seq(5);
  wire::Event bad_status = Event(kHome, 2, event_type::kReferralStatus, "GD-T9-1", "");
  bad_status.clear_type();
  bad_status.mutable_referral_status()->set_referral_id("GD-T9-R1");
  bad_status.mutable_referral_status()->set_status("open");
  w.WireAsIs("typed-hostile-forms", away, {both, neither, not_object});
  w.WireAsIs("typed-hostile-referral-status", home, {bad_status});
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: ingest_seeds DIRECTORY" << std::endl;
    return 2;
  }
  std::filesystem::create_directories(argv[1]);
  Writer w(argv[1]);
  const uint8_t away = 0, home = kModeHome;

  // Realistic pushes.
  w.Wire("registration", away, {Upsert(kAway, 3, "GD-T9-2", MigrantRegistration("刘洋"))});
  w.Wire("update", away,
         {Upsert(kAway, 3, "GD-T9-1",
                 {{"residence_address", "宝安区新安街道"}, {"school", nullptr}})});
  w.Wire(
      "registration-then-update", home,
      {Upsert(kHome, 2, "JS-T1-2", MigrantRegistration("陈晨")),
       Upsert(kHome, 3, "JS-T1-2", {{"residence_area", "321324"}, {"category", "left_behind"}})});
  w.Wire("card-revoke", home,
         {Event(kHome, 2, event_type::kCardRevoke, "JS-T1-1",
                json{{"serial", kHomeCard}, {"child_id", "JS-T1-1"}, {"reason", "遗失"}}.dump())});
  w.Wire("referral-create", away,
         {Event(kAway, 3, event_type::kReferralCreate, "GD-T9-1",
                json{{"referral_id", "GD-T9-R2"},
                     {"child_id", "GD-T9-1"},
                     {"service", "health"},
                     {"from_site", "GD"},
                     {"to_site", "JS"},
                     {"reason", "需要随访"}}
                    .dump())});
  w.Wire("referral-status", home,
         {Event(kHome, 2, event_type::kReferralStatus, "GD-T9-1",
                json{{"referral_id", "GD-T9-R1"}, {"status", "accepted"}, {"outcome", "已联系学校"}}
                    .dump())});
  w.Wire("identity-decision", home,
         {Event(kHome, 2, event_type::kIdentityDecision, "GD-T9-1",
                json{{"a", "GD-T9-1"}, {"b", "JS-T1-1"}, {"decision", "separate"}, {"by", "张主任"}}
                    .dump())});

  // Hostile pushes.
  json bad_date = MigrantRegistration("赵敏");
  bad_date["birth_date"] = "2019-02-30";
  json huge = MigrantRegistration(std::string(3000, 'A') + "王");
  json unknown = MigrantRegistration("孙悦");
  unknown["favourite_colour"] = "red";
  w.Wire("hostile-bad-date", away, {Upsert(kAway, 3, "GD-T9-2", bad_date)});
  w.Wire("hostile-huge-name", away, {Upsert(kAway, 3, "GD-T9-2", huge)});
  w.Wire("hostile-unknown-field", away,
         {Upsert(kAway, 3, "GD-T9-2", unknown),
          Event(kAway, 4, event_type::kChildUpsert, "GD-T9-3",
                json{{"child_id", "GD-T9-3"}, {"fields", MigrantRegistration("周杰")}, {"extra", 1}}
                    .dump())});
  w.Wire("hostile-hlc-2100", away,
         {Event(kAway, 3, event_type::kChildUpsert, "GD-T9-2",
                json{{"child_id", "GD-T9-2"}, {"fields", MigrantRegistration("吴昊")}}.dump(),
                uint64_t{4102444800000} << 16)});
  w.Wire("hostile-other-site-child", away,
         {Upsert(kAway, 3, "JS-T1-1", {{"residence_area", "440306"}}),
          Event(kAway, 4, event_type::kCardRevoke, "JS-T1-1",
                json{{"serial", kHomeCard}, {"child_id", "JS-T1-1"}, {"reason", "x"}}.dump())});
  w.Wire("hostile-foreign-and-range", away,
         {Upsert(kHome, 3, "JS-T1-1", {{"name", "假名"}}),
          Upsert(kAway, 0, "GD-T9-1", {{"name", "李四"}}),
          Upsert(kAway, uint64_t{1} << 63, "GD-T9-1", {{"name", "李四"}}),
          Event(kAway, 5, "child.delete", "GD-T9-1", "{}"),
          Event(kAway, 6, event_type::kChildUpsert, "GD-T9-1", "not json {")});
  wire::Event proof = Upsert(kAway, 3, "JS-T1-1", {{"name", "王芳芳"}});
  proof.mutable_card_proof()->set_serial(std::string("\x5A\x5A\x00\x00\x11\x11\x22\x22", 8));
  proof.mutable_card_proof()->set_sealed_record(std::string(200, '\x42'));
  w.Wire("hostile-forged-card-proof", away, {proof});
  w.Wire("version2-one-bad-event", away | kModeVersion2,
         {Upsert(kAway, 3, "GD-T9-2", MigrantRegistration("郑爽")),
          Upsert(kAway, 4, "GD-T9-2", {{"birth_date", "2030-01-01"}})});
  w.Wire("gap-then-fill", away,
         {Upsert(kAway, 5, "GD-T9-1", {{"residence_address", "宝安区"}}),
          Upsert(kAway, 3, "GD-T9-1", {{"name", "李明明"}})});

  WriteTypedHostileSeeds(w, away, home);

  // Structured mode: payloads from the bytes.
  const std::string registration = MigrantRegistration("黄磊").dump();
  w.Structured("structured-registration", away, {{0, 3, 30, 2, kPayloadFields, registration}});
  w.Structured(
      "structured-replay", away,
      {{0, 3, 30, 2, kPayloadFields, registration},
       {0xFF, 0, 0, 0, 0, ""},
       {0, 3, 30, 2, kPayloadFields, registration},
       {0, 4, 31, 2, kPayloadMembers,
        R"("fields":{"name":"黄小磊"},"base":{"name":[[)" + std::to_string(Stamp(30, 3)) +
            R"(,"GD-T9",3]]},"doses":{"add":[{"vaccine":"MMR","dose":1,"date":"2017-10-01"}]})"}});
  w.Structured(
      "structured-referral", away,
      {{2, 3, 40, 1, kPayloadMembers,
        R"("referral_id":"GD-T9-R2","service":"education","from_site":"GD","to_site":"JS","reason":"转学")"},
       {3, 4, 41, 1, kPayloadMembers,
        R"("referral_id":"GD-T9-R1","status":"closed_unreached","outcome":"")"}});
  w.Structured("structured-typed-registration", away | kModeTyped,
               {{0, 3, 30, 2, kPayloadFields, registration}});
  w.Structured("structured-revoke", home,
               {{1, 2, 50, 0, kPayloadMembers, R"("serial":"5A5A000011112222","reason":"损坏")"}});
  w.Structured("structured-hostile", away,
               {{0, 3, 0xFF, 2, kPayloadFields, registration},
                {0, 4, 0xFE, 2, kPayloadFields, registration},
                {0, 5, 1, 2, kPayloadFields, R"({"name":"X"})"},
                {5, 6, 20, 1, kPayloadRaw, "{}"},
                {0, 7, 20, 0, kPayloadForeign, R"({"child_id":"JS-T1-1","fields":{"name":"Y"}})"}});
  return 0;
}
