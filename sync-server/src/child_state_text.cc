#include "child_state_text.h"

#include <nlohmann/json.hpp>

namespace onecard::server {

std::string ChildStateJsonText(const ChildState& state) {
  using nlohmann::json;
  // Keys in the order nlohmann::json's objects (sorted maps) dump them: "child_id" < "fields",
  // the field names in the order of fields() (also a sorted map), "s" < "v".
  std::string out = R"({"child_id":)" + json(state.child_id()).dump() + R"(,"fields":{)";
  bool first = true;
  for (const auto& [name, fv] : state.fields()) {
    if (!first) out += ',';
    first = false;
    out += json(name).dump();
    out += R"(:{"s":[)";
    out += std::to_string(fv.stamp.hlc);
    out += ',';
    out += json(fv.stamp.terminal_id).dump();
    out += ',';
    out += std::to_string(fv.stamp.seq);
    out += R"(],"v":)";
    out += fv.value.dump();
    out += '}';
  }
  out += "}}";
  return out;
}

}  // namespace onecard::server
