#include "conflict_text.h"

#include "onecard/protocol/i18n.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

std::string Value(const json& v) {
  const json& value = v["value"];
  std::string text = value.is_null() ? Tr("（空）", "(empty)") : value.dump();
  const json& stamp = v["stamp"];
  std::string id = stamp.is_array() && stamp.size() == 3
                       ? stamp[1].get<std::string>() + ":" + stamp[2].dump()
                       : "?";
  return text + Tr("（" + id + "，" + v.value("at", "") + "）",
                   " (" + id + ", " + v.value("at", "") + ")");
}

}  // namespace

std::string ConflictText(const json& conflicts) {
  std::string out;
  for (const json& c : conflicts) {
    out += Tr("冲突 ", "conflict on ") + c.value("field", "") + Tr("：采用 ", ": showing ") +
           Value(c["winner"]);
    for (const json& other : c["others"]) out += Tr("；另有 ", "; also ") + Value(other);
    out += "\n";
  }
  return out;
}

}  // namespace onecard::terminal
