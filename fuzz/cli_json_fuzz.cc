// libFuzzer target: the terminal CLI's record input (`onecard register --record FILE` and
// `onecard update CHILD --record FILE`, terminal/src/cli.cc): the file's text through ParseJson and
// then ValidateNewChild or ValidateChildPatch (protocol child_record.h), called directly.
// Byte 0 selects the command (even: register, odd: update of a fixed valid record); the rest is
// the file. Whatever the text, nothing throws and the answer is either a kInvalidArgument whose
// message is non-empty UTF-8 text, or a record, and then:
//   - the record dumps to JSON text that parses and validates again to the same record (the
//     normalised form is a fixed point: what the terminal stores reads back unchanged);
//   - register: no system field (child_id, card_serial) and every required field is in it; the
//     server's check of a received registration (ValidateReceivedFields, complete, with the age
//     rule) accepts it: what the terminal validated, the server does not refuse;
//   - update: the same check accepts the fields to set, and the record with them applied is a
//     valid registration, unchanged by ValidateNewChild.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "onecard/protocol/child_record.h"
#include "onecard/protocol/utf8.h"

namespace {

using namespace onecard;
using nlohmann::json;

void Check(bool ok, const char* what, const std::string& detail = "") {
  if (ok) return;
  std::fprintf(stderr, "cli_json_fuzz: invariant broken: %s %s\n", what, detail.c_str());
  std::abort();
}

constexpr CivilDate kToday{2026, 12, 1};

// A refusal as the CLI prints it: invalid argument, a message a person can read.
void CheckRefusal(const Status& s) {
  if (std::getenv("ONECARD_FUZZ_VERBOSE") != nullptr)
    std::fprintf(stderr, "refused: %s\n", s.message().c_str());
  Check(s.code() == ErrorCode::kInvalidArgument, "refused as invalid argument", s.message());
  Check(!s.message().empty(), "a refusal says why");
  Check(DecodeUtf8Strict(s.message()).has_value(), "a refusal's message is UTF-8 text",
        s.message());
}

// The stored record an update applies to (normalised by ValidateNewChild once).
const json& Current() {
  static const json current = [] {
    json input = {
        {"name", "王芳"},
        {"sex", "F"},
        {"birth_date", "2017-06-18"},
        {"id_number", "32132420170618002X"},
        {"hukou_area", "321324"},
        {"residence_area", "440306"},
        {"residence_address", "宝安区西乡街道"},
        {"guardians",
         json::array({{{"name", "王建国"}, {"relation", "father"}, {"phone", "13800138000"}}})},
        {"school", {{"name", "西乡小学"}, {"status", "enrolled"}, {"grade", 3}}},
        {"immunizations", json::array({{{"vaccine", "MMR"}, {"dose", 1}, {"date", "2018-06-20"}}})},
        {"consent", {{"by", "王建国"}, {"relation", "father"}, {"date", "2026-03-01"}}}};
    Result<json> valid = ValidateNewChild(input, kToday);
    if (!valid.ok()) {
      // The fixture's record itself is refused: fall back to the required fields only.
      input.erase("id_number");
      input.erase("school");
      input.erase("immunizations");
      valid = ValidateNewChild(input, kToday);
    }
    Check(valid.ok(), "the update's current record is valid",
          valid.ok() ? "" : valid.status().message());
    return *valid;
  }();
  return current;
}

// ParseJson of the text; the CLI's first step.
std::optional<json> Parse(std::string_view text) {
  Result<json> parsed = ParseJson(text, "child.json");
  if (!parsed.ok()) {
    CheckRefusal(parsed.status());
    return std::nullopt;
  }
  return std::move(parsed).value();
}

// The dumped text of a result, parsed again (round trip through a file).
json Reparsed(const json& value) {
  std::string text =
      value.dump();  // throws on a string that is not UTF-8: a bug, the fuzzer reports it
  Result<json> again = ParseJson(text, "child.json");
  Check(again.ok(), "a validated record's text parses", again.ok() ? "" : again.status().message());
  return *again;
}

void Register(const json& input) {
  Result<json> record = ValidateNewChild(input, kToday);
  if (!record.ok()) {
    CheckRefusal(record.status());
    return;
  }
  Check(record->is_object(), "a record is an object");
  Check(!record->contains("child_id") && !record->contains("card_serial"),
        "no system field in a new record");
  for (std::string_view field : RequiredChildRecordFields()) {
    Check(record->contains(field), "a new record has every required field", std::string(field));
  }
  Result<json> again = ValidateNewChild(Reparsed(*record), kToday);
  Check(again.ok(), "a validated record validates again",
        again.ok() ? "" : again.status().message());
  Check(*again == *record, "a validated record is its own normal form",
        record->dump() + " vs " + again->dump());
  if (std::getenv("ONECARD_FUZZ_VERBOSE") != nullptr)
    std::fprintf(stderr, "registered: %s\n", record->dump().c_str());
  Status received = ValidateReceivedFields(*record, ReceivedFieldRules{kToday, true, true});
  Check(received.ok(), "the server accepts a registration the terminal validated",
        received.message() + " in " + record->dump());
}

void Update(const json& patch) {
  const json& current = Current();
  Result<json> fields = ValidateChildPatch(current, patch, kToday);
  if (!fields.ok()) {
    CheckRefusal(fields.status());
    return;
  }
  Check(fields->is_object(), "an update's fields are an object");
  if (std::getenv("ONECARD_FUZZ_VERBOSE") != nullptr)
    std::fprintf(stderr, "update: %s\n", fields->dump().c_str());
  Result<json> again = ValidateChildPatch(current, Reparsed(*fields), kToday);
  Check(again.ok(), "validated fields validate again", again.ok() ? "" : again.status().message());
  Check(*again == *fields, "validated fields are their own normal form",
        fields->dump() + " vs " + again->dump());
  Status received = ValidateReceivedFields(
      *fields, ReceivedFieldRules{kToday, fields->contains("birth_date"), false});
  Check(received.ok(), "the server accepts an update the terminal validated",
        received.message() + " in " + fields->dump());
  json updated = current;
  for (const auto& [key, value] : fields->items()) {
    if (value.is_null()) {
      updated.erase(key);
    } else {
      updated[key] = value;
    }
  }
  Result<json> whole = ValidateNewChild(updated, kToday);
  Check(whole.ok(), "the updated record is a valid record",
        whole.ok() ? "" : whole.status().message());
  Check(*whole == updated, "the updated record is in normal form",
        updated.dump() + " vs " + whole->dump());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool update = (data[0] & 1) != 0;
  std::optional<json> input =
      Parse(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  if (!input) return 0;
  if (update) {
    Update(*input);
  } else {
    Register(*input);
  }
  return 0;
}
