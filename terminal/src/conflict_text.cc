#include "conflict_text.h"

#include "onecard/protocol/i18n.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

// `object[key]`, or null when `object` is not an object or has no `key` (never throws: the
// conflicts come from stored states, which may be old or damaged).
const json& MemberOrNull(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string TextOf(const json& v) {
  return v.is_string() ? v.get_ref<const std::string&>() : v.dump();
}

std::string Value(const json& v) {
  const json& value = MemberOrNull(v, "value");
  std::string text = value.is_null() ? Tr("（空）", "(empty)") : value.dump();
  const json& stamp = MemberOrNull(v, "stamp");
  std::string id =
      stamp.is_array() && stamp.size() == 3 ? TextOf(stamp[1]) + ":" + stamp[2].dump() : "?";
  const json& at_value = MemberOrNull(v, "at");
  const std::string at = at_value.is_null() ? "" : TextOf(at_value);
  return text + Tr("（" + id + "，" + at + "）", " (" + id + ", " + at + ")");
}

}  // namespace

std::string ConflictText(const json& conflicts) {
  std::string out;
  for (const json& c : conflicts) {
    const json& field = MemberOrNull(c, "field");
    out += Tr("冲突 ", "conflict on ") + (field.is_null() ? "?" : TextOf(field)) +
           Tr("：采用 ", ": showing ") + Value(MemberOrNull(c, "winner"));
    for (const json& other : MemberOrNull(c, "others"))
      out += Tr("；另有 ", "; also ") + Value(other);
    out += "\n";
  }
  return out;
}

}  // namespace onecard::terminal
