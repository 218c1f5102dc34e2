#include "onecard/protocol/child_state.h"

#include "onecard/protocol/i18n.h"

namespace onecard {

std::optional<Stamp> StampFromJson(const nlohmann::json& j) {
  auto non_negative = [](const nlohmann::json& v) {
    return v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0);
  };
  if (!j.is_array() || j.size() != 3 || !non_negative(j[0]) || !j[1].is_string() || !non_negative(j[2])) {
    return std::nullopt;
  }
  return Stamp{j[0].get<uint64_t>(), j[1].get<std::string>(), j[2].get<uint64_t>()};
}

nlohmann::json StampToJson(const Stamp& stamp) {
  return nlohmann::json::array({stamp.hlc, stamp.terminal_id, stamp.seq});
}

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
    fields[name] = {{"v", fv.value}, {"s", StampToJson(fv.stamp)}};
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
    std::optional<Stamp> stamp = StampFromJson(fv["s"]);
    if (!stamp) return bad(name);
    state.fields_[name] = FieldValue{fv["v"], *stamp};
  }
  return state;
}

}  // namespace onecard
