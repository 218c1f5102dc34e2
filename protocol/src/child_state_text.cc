// ChildState::ToJsonText: the storage form as text, without an intermediate JSON tree.
#include <nlohmann/json.hpp>

#include "onecard/protocol/child_state.h"

namespace onecard {
namespace {

using nlohmann::json;

// `text` as a JSON string, escaped exactly as nlohmann::json::dump() escapes it (ensure_ascii
// off: UTF-8 bytes as they are; quote, backslash and the control characters escaped, the ones
// without a short form as \u00xx in lower case). `text` is valid UTF-8: it came from parsed JSON
// or from a terminal id checked at enrolment.
void AppendString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[(c >> 4) & 0xF];
          out += kHex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void AppendJson(std::string& out, const json& value) {
  if (value.is_string()) {
    AppendString(out, value.get_ref<const std::string&>());
  } else {
    out += value.dump();
  }
}

void AppendStamp(std::string& out, const Stamp& s) {
  out += '[';
  out += std::to_string(s.hlc);
  out += ',';
  AppendString(out, s.terminal_id);
  out += ',';
  out += std::to_string(s.seq);
  out += ']';
}

// {"s":[...],"v":...}
void AppendValue(std::string& out, const FieldValue& v) {
  out += R"({"s":)";
  AppendStamp(out, v.stamp);
  out += R"(,"v":)";
  AppendJson(out, v.value);
  out += '}';
}

}  // namespace

std::string ChildState::ToJsonText() const {
  // Keys in the order nlohmann::json's objects (sorted maps) dump them: "child_id" < "doses" <
  // "fields"; the field names in the order of fields() (also a sorted map); "c" < "s" < "v" < "x".
  // The merge-only parts (other live values "c", superseded stamps "x", the dose set) are written
  // only when present (protocol/docs/merge.md, section 6); the dose set through its JSON tree,
  // which only children with doses pay for.
  std::string out;
  out.reserve(1024);
  out += R"({"child_id":)";
  AppendString(out, child_id_);
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
    AppendString(out, name);
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
    AppendJson(out, f.live[0].value);
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
