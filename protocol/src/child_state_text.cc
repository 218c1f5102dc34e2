// ChildState::ToJsonText: the storage form as text, without an intermediate JSON tree.
#include "onecard/protocol/child_state.h"

#include <nlohmann/json.hpp>

namespace onecard {
namespace {

using nlohmann::json;

void AppendStamp(std::string& out, const Stamp& s) {
  out += '[';
  out += std::to_string(s.hlc);
  out += ',';
  out += json(s.terminal_id).dump();
  out += ',';
  out += std::to_string(s.seq);
  out += ']';
}

// {"s":[...],"v":...}
void AppendValue(std::string& out, const FieldValue& v) {
  out += R"({"s":)";
  AppendStamp(out, v.stamp);
  out += R"(,"v":)";
  out += v.value.dump();
  out += '}';
}

}  // namespace

std::string ChildState::ToJsonText() const {
  // Keys in the order nlohmann::json's objects (sorted maps) dump them: "child_id" < "doses" <
  // "fields"; the field names in the order of fields() (also a sorted map); "c" < "s" < "v" < "x".
  // The merge-only parts (other live values "c", superseded stamps "x", the dose set) are written
  // only when present (protocol/docs/merge.md, section 6); the dose set through its JSON tree,
  // which only children with doses pay for.
  std::string out = R"({"child_id":)" + json(child_id_).dump();
  if (!doses_.empty()) {
    out += R"(,"doses":)";
    out += doses_.ToJson().dump();
  }
  out += R"(,"fields":{)";
  bool first = true;
  for (const auto& [name, f] : fields_) {
    if (f.live.empty()) continue;  // as ToJson: only superseded stamps (cannot happen, see there)
    if (!first) out += ',';
    first = false;
    out += json(name).dump();
    out += ":{";
    if (f.live.size() > 1) {
      out += R"("c":[)";
      for (size_t i = 1; i < f.live.size(); ++i) {
        if (i > 1) out += ',';
        AppendValue(out, f.live[i]);
      }
      out += "],";
    }
    out += R"("s":)";
    AppendStamp(out, f.live[0].stamp);
    out += R"(,"v":)";
    out += f.live[0].value.dump();
    if (!f.superseded.empty()) {
      out += R"(,"x":[)";
      bool first_stamp = true;
      for (const Stamp& s : f.superseded) {
        if (!first_stamp) out += ',';
        first_stamp = false;
        AppendStamp(out, s);
      }
      out += ']';
    }
    out += '}';
  }
  out += "}}";
  return out;
}

}  // namespace onecard
