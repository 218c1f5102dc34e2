#include "onecard/protocol/child_state.h"

#include "onecard/protocol/i18n.h"

namespace onecard {

bool ChildState::Apply(const nlohmann::json& fields, const Stamp& stamp) {
  bool changed = false;
  for (const auto& [name, value] : fields.items()) {
    if (name == "child_id") continue;
    auto it = fields_.find(name);
    if (it == fields_.end() || it->second.stamp < stamp) {
      fields_[name] = FieldValue{value, stamp};
      changed = true;
    }
  }
  return changed;
}

bool ChildState::Merge(const ChildState& other) {
  bool changed = false;
  for (const auto& [name, fv] : other.fields_) {
    auto it = fields_.find(name);
    if (it == fields_.end() || it->second.stamp < fv.stamp) {
      fields_[name] = fv;
      changed = true;
    }
  }
  return changed;
}

nlohmann::json ChildState::Record() const {
  nlohmann::json r = nlohmann::json::object();
  r["child_id"] = child_id_;
  for (const auto& [name, fv] : fields_) {
    if (!fv.value.is_null()) r[name] = fv.value;
  }
  return r;
}

Stamp ChildState::Latest() const {
  Stamp latest;
  for (const auto& [name, fv] : fields_) {
    if (latest < fv.stamp) latest = fv.stamp;
  }
  return latest;
}

nlohmann::json ChildState::ToJson() const {
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [name, fv] : fields_) {
    fields[name] = {{"v", fv.value}, {"s", nlohmann::json::array({fv.stamp.hlc, fv.stamp.terminal_id, fv.stamp.seq})}};
  }
  return {{"child_id", child_id_}, {"fields", fields}};
}

Result<ChildState> ChildState::FromJson(const nlohmann::json& j) {
  auto bad = [](const std::string& what) {
    return Status(ErrorCode::kInvalidArgument, Tr("儿童状态格式错误：" + what, "malformed child state: " + what));
  };
  if (!j.is_object() || !j.contains("child_id") || !j["child_id"].is_string() || j["child_id"].get<std::string>().empty()) {
    return bad("child_id");
  }
  ChildState state(j["child_id"].get<std::string>());
  if (!j.contains("fields") || !j["fields"].is_object()) return bad("fields");
  for (const auto& [name, fv] : j["fields"].items()) {
    if (!fv.is_object() || !fv.contains("v") || !fv.contains("s")) return bad(name);
    const auto& s = fv["s"];
    if (!s.is_array() || s.size() != 3 || !s[0].is_number_unsigned() || !s[1].is_string() ||
        !s[2].is_number_unsigned()) {
      return bad(name);
    }
    state.fields_[name] = FieldValue{fv["v"], Stamp{s[0].get<uint64_t>(), s[1].get<std::string>(), s[2].get<uint64_t>()}};
  }
  return state;
}

}  // namespace onecard
