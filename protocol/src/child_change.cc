#include "onecard/protocol/child_change.h"

#include "onecard/protocol/i18n.h"

namespace onecard {

using nlohmann::json;

namespace {

constexpr char kImmunizations[] = "immunizations";

Status Malformed(const std::string& part) {
  return Status(ErrorCode::kInvalidArgument,
                Tr("变更的 " + part + " 格式错误", "the change's " + part + " is malformed"));
}

}  // namespace

ChildChange ChildChange::WithoutBase(json fields) {
  ChildChange change;
  if (auto it = fields.find(kImmunizations); it != fields.end()) {
    if (it->is_array()) {
      for (const json& dose : *it) change.dose_add.push_back(dose);
    }
    fields.erase(it);
  }
  change.fields = std::move(fields);
  return change;
}

void ChildChange::WriteTo(json& payload) const {
  payload["fields"] = fields;
  if (!base.empty()) payload["base"] = BaseJson();
  if (!dose_add.empty() || !dose_remove.empty()) {
    payload["doses"] = {{"add", dose_add}, {"remove", DoseRemovalsJson()}};
  }
}

json ChildChange::BaseJson() const {
  json b = json::object();
  for (const auto& [name, stamps] : base) {
    json list = json::array();
    for (const Stamp& s : stamps) list.push_back(StampToJson(s));
    b[name] = std::move(list);
  }
  return b;
}

json ChildChange::DoseRemovalsJson() const {
  json remove = json::array();
  for (const DoseTag& tag : dose_remove) remove.push_back(DoseTagToJson(tag));
  return remove;
}

Result<ChildChange> ChildChange::ReadFrom(json& payload, const Stamp& stamp) {
  auto fields = payload.find("fields");
  if (fields == payload.end() || !fields->is_object()) return Malformed("fields");
  if (auto imm = fields->find(kImmunizations);
      imm != fields->end() && !imm->is_array() && !imm->is_null()) {
    return Malformed("fields.immunizations");
  }
  ChildChange change = WithoutBase(std::move(*fields));
  if (auto base = payload.find("base"); base != payload.end()) {
    if (!base->is_object()) return Malformed("base");
    for (const auto& [name, stamps] : base->items()) {
      if (!stamps.is_array() || !change.fields.contains(name)) return Malformed("base." + name);
      std::vector<Stamp>& seen = change.base[name];
      for (const json& s : stamps) {
        std::optional<Stamp> parsed = StampFromJson(s);
        if (!parsed || !(*parsed < stamp)) return Malformed("base." + name);
        seen.push_back(std::move(*parsed));
      }
    }
  }
  if (auto doses = payload.find("doses"); doses != payload.end()) {
    if (!doses->is_object()) return Malformed("doses");
    if (auto add = doses->find("add"); add != doses->end()) {
      if (!add->is_array()) return Malformed("doses.add");
      for (const json& dose : *add) {
        if (!dose.is_object()) return Malformed("doses.add");
        change.dose_add.push_back(dose);
      }
    }
    if (auto remove = doses->find("remove"); remove != doses->end()) {
      if (!remove->is_array()) return Malformed("doses.remove");
      for (const json& t : *remove) {
        std::optional<DoseTag> tag = DoseTagFromJson(t);
        if (!tag || !(tag->stamp < stamp)) return Malformed("doses.remove");
        change.dose_remove.push_back(std::move(*tag));
      }
    }
  }
  return change;
}

}  // namespace onecard
