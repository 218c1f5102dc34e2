#include "onecard/protocol/child_state.h"

#include <algorithm>

#include "onecard/protocol/i18n.h"

namespace onecard {

using nlohmann::json;

namespace {

constexpr char kImmunizations[] = "immunizations";

// Adds `incoming` to the live values unless superseded or already held. Of two values with one
// stamp (only a hostile or broken peer sends that) the order of their JSON text decides.
bool AddLive(FieldState& f, FieldValue incoming) {
  if (f.superseded.contains(incoming.stamp)) return false;
  for (FieldValue& held : f.live) {
    if (held.stamp == incoming.stamp) {
      if (held.value == incoming.value || incoming.value.dump() < held.value.dump()) return false;
      held.value = std::move(incoming.value);
      return true;
    }
  }
  f.live.push_back(std::move(incoming));
  return true;
}

// Drops superseded live values and puts the greatest stamp first.
void Settle(FieldState& f) {
  std::erase_if(f.live, [&](const FieldValue& v) { return f.superseded.contains(v.stamp); });
  std::sort(f.live.begin(), f.live.end(),
            [](const FieldValue& a, const FieldValue& b) { return b.stamp < a.stamp; });
}

json ValueJson(const FieldValue& v) {
  return {{"value", v.value},
          {"stamp", StampToJson(v.stamp)},
          {"terminal_id", v.stamp.terminal_id},
          {"at", StampTimeIso8601(v.stamp)}};
}

}  // namespace

json FieldConflict::ToJson() const {
  json others = json::array();
  for (size_t i = 1; i < values.size(); ++i) others.push_back(ValueJson(values[i]));
  return {{"field", field}, {"winner", ValueJson(values.front())}, {"others", std::move(others)}};
}

const FieldValue* ChildState::Winner(const std::string& field) const {
  auto it = fields_.find(field);
  return it == fields_.end() ? nullptr : it->second.winner();
}

bool ChildState::ApplyChange(ChildChange change, const Stamp& stamp) {
  bool changed = false;
  for (auto& [name, value] : change.fields.items()) {
    if (name == "child_id") continue;
    FieldState& f = fields_[name];
    if (auto base = change.base.find(name); base != change.base.end()) {
      for (const Stamp& seen : base->second) changed |= f.superseded.insert(seen).second;
    }
    changed |= AddLive(f, FieldValue{std::move(value), stamp});
    Settle(f);
  }
  for (const DoseTag& tag : change.dose_remove) changed |= doses_.Remove(tag);
  for (const json& dose : change.dose_add) changed |= doses_.Add(dose, stamp);
  return changed;
}

bool ChildState::Apply(const json& fields, const Stamp& stamp) {
  return ApplyChange(ChildChange::WithoutBase(fields), stamp);
}

Result<bool> ChildState::ApplyPayload(json& payload, const Stamp& stamp) {
  ASSIGN_OR_RETURN(ChildChange change, ChildChange::ReadFrom(payload, stamp));
  return ApplyChange(std::move(change), stamp);
}

bool ChildState::Merge(const ChildState& other) {
  bool changed = false;
  for (const auto& [name, theirs] : other.fields_) {
    FieldState& f = fields_[name];
    for (const Stamp& seen : theirs.superseded) changed |= f.superseded.insert(seen).second;
    for (const FieldValue& v : theirs.live) changed |= AddLive(f, v);
    Settle(f);
  }
  changed |= doses_.Merge(other.doses_);
  return changed;
}

ChildChange ChildState::ChangeTo(const json& fields) const {
  ChildChange change;
  for (const auto& [name, value] : fields.items()) {
    if (name == "child_id") continue;
    if (name == kImmunizations) {
      doses_.ChangeTo(value, change.dose_add, change.dose_remove);
      continue;
    }
    change.fields[name] = value;
    if (auto it = fields_.find(name); it != fields_.end() && !it->second.live.empty()) {
      std::vector<Stamp>& seen = change.base[name];
      for (const FieldValue& v : it->second.live) seen.push_back(v.stamp);
    }
  }
  return change;
}

std::vector<FieldConflict> ChildState::Conflicts() const {
  std::vector<FieldConflict> out;
  for (const auto& [name, f] : fields_) {
    FieldConflict c{name, {}};
    for (const FieldValue& v : f.live) {
      bool seen = std::any_of(c.values.begin(), c.values.end(),
                              [&](const FieldValue& d) { return d.value == v.value; });
      if (!seen) c.values.push_back(v);
    }
    if (c.values.size() > 1) out.push_back(std::move(c));
  }
  for (auto& [key, entries] : doses_.Conflicts()) {
    FieldConflict c{std::string(kImmunizations) + "[" + key + "]", {}};
    for (const DoseEntry& e : entries) c.values.push_back(FieldValue{e.value, e.tag.stamp});
    out.push_back(std::move(c));
  }
  return out;
}

bool ChildState::HasConflicts() const {
  for (const auto& [name, f] : fields_) {
    for (size_t i = 1; i < f.live.size(); ++i) {
      if (f.live[i].value != f.live[0].value) return true;
    }
  }
  return !doses_.Conflicts().empty();
}

json ChildState::Record() const {
  json r = json::object();
  r["child_id"] = child_id_;
  for (const auto& [name, f] : fields_) {
    if (const FieldValue* w = f.winner(); w != nullptr && !w->value.is_null()) r[name] = w->value;
  }
  if (!doses_.empty()) r[kImmunizations] = doses_.List();
  return r;
}

Stamp ChildState::Latest() const {
  Stamp latest;
  for (const auto& [name, f] : fields_) {
    if (const FieldValue* w = f.winner(); w != nullptr && latest < w->stamp) latest = w->stamp;
  }
  for (const auto& [tag, dose] : doses_.live()) latest = std::max(latest, tag.stamp);
  for (const DoseTag& tag : doses_.removed()) latest = std::max(latest, tag.stamp);
  return latest;
}

json ChildState::ToJson() const {
  json fields = json::object();
  for (const auto& [name, f] : fields_) {
    if (f.live.empty())
      continue;  // only superseded stamps: cannot happen for stamps older than their change
    json entry = {{"v", f.live[0].value}, {"s", StampToJson(f.live[0].stamp)}};
    if (f.live.size() > 1) {
      json others = json::array();
      for (size_t i = 1; i < f.live.size(); ++i)
        others.push_back({{"v", f.live[i].value}, {"s", StampToJson(f.live[i].stamp)}});
      entry["c"] = std::move(others);
    }
    if (!f.superseded.empty()) {
      json x = json::array();
      for (const Stamp& s : f.superseded) x.push_back(StampToJson(s));
      entry["x"] = std::move(x);
    }
    fields[name] = std::move(entry);
  }
  json out = {{"child_id", child_id_}, {"fields", std::move(fields)}};
  if (!doses_.empty()) out["doses"] = doses_.ToJson();
  return out;
}

Result<ChildState> ChildState::FromJson(const json& j) {
  auto bad = [](const std::string& what) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("儿童状态格式错误：" + what, "malformed child state: " + what));
  };
  if (!j.is_object() || !j.contains("child_id") || !j["child_id"].is_string() ||
      j["child_id"].get<std::string>().empty()) {
    return bad("child_id");
  }
  ChildState state(j["child_id"].get<std::string>());
  if (!j.contains("fields") || !j["fields"].is_object()) return bad("fields");
  auto value_of = [](const json& e) -> std::optional<FieldValue> {
    if (!e.is_object() || !e.contains("v") || !e.contains("s")) return std::nullopt;
    std::optional<Stamp> stamp = StampFromJson(e["s"]);
    if (!stamp) return std::nullopt;
    return FieldValue{e["v"], *stamp};
  };
  for (const auto& [name, entry] : j["fields"].items()) {
    std::optional<FieldValue> winner = value_of(entry);
    if (!winner) return bad(name);
    if (name == kImmunizations) {  // a state from before merge.md: the list becomes additions
      if (winner->value.is_array()) {
        for (const json& dose : winner->value) state.doses_.Add(dose, winner->stamp);
      }
      continue;
    }
    FieldState& f = state.fields_[name];
    if (auto x = entry.find("x"); x != entry.end()) {
      if (!x->is_array()) return bad(name);
      for (const json& s : *x) {
        std::optional<Stamp> stamp = StampFromJson(s);
        if (!stamp) return bad(name);
        f.superseded.insert(*stamp);
      }
    }
    AddLive(f, *winner);
    if (auto c = entry.find("c"); c != entry.end()) {
      if (!c->is_array()) return bad(name);
      for (const json& other : *c) {
        std::optional<FieldValue> v = value_of(other);
        if (!v) return bad(name);
        AddLive(f, *v);
      }
    }
    Settle(f);
    if (f.live.empty()) return bad(name);
  }
  if (auto d = j.find("doses"); d != j.end()) {
    Result<DoseSet> doses = DoseSet::FromJson(*d);
    if (!doses.ok()) return doses.status();
    state.doses_.Merge(*doses);
  }
  return state;
}

}  // namespace onecard
