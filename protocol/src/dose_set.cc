#include "onecard/protocol/dose_set.h"

#include <algorithm>

#include "onecard/protocol/i18n.h"

namespace onecard {

using nlohmann::json;

std::string DoseKey(const json& dose) {
  if (dose.is_object()) {
    auto vaccine = dose.find("vaccine");
    auto number = dose.find("dose");
    if (vaccine != dose.end() && vaccine->is_string() && number != dose.end() &&
        number->is_number_integer()) {
      return vaccine->get<std::string>() + "#" + std::to_string(number->get<int64_t>());
    }
  }
  return "?" + dose.dump();
}

bool DoseSet::Add(const json& dose, const Stamp& stamp) {
  DoseTag tag{stamp, DoseKey(dose)};
  if (removed_.contains(tag)) return false;
  auto [it, inserted] = live_.try_emplace(tag, dose);
  if (inserted) return true;
  // One change adds one dose per identity; should two values ever share a tag, the order of
  // their JSON text decides, so that every replica keeps the same one.
  if (it->second.dump() < dose.dump()) {
    it->second = dose;
    return true;
  }
  return false;
}

bool DoseSet::Remove(const DoseTag& tag) {
  bool erased = live_.erase(tag) > 0;
  bool recorded = removed_.insert(tag).second;
  return erased || recorded;
}

bool DoseSet::Merge(const DoseSet& other) {
  bool changed = false;
  for (const DoseTag& tag : other.removed_) changed |= Remove(tag);
  for (const auto& [tag, dose] : other.live_) changed |= Add(dose, tag.stamp);
  return changed;
}

json DoseSet::List() const {
  std::map<std::string, const std::pair<const DoseTag, json>*> newest;
  for (const auto& entry : live_) {
    auto& slot = newest[entry.first.key];
    if (slot == nullptr || slot->first.stamp < entry.first.stamp) slot = &entry;
  }
  std::vector<const json*> doses;
  for (const auto& [key, entry] : newest) doses.push_back(&entry->second);
  auto sort_key = [](const json* d) {
    std::string date = d->is_object() && d->contains("date") && (*d)["date"].is_string()
                           ? (*d)["date"].get<std::string>()
                           : "";
    return std::make_pair(date, DoseKey(*d));
  };
  std::stable_sort(doses.begin(), doses.end(),
                   [&](const json* a, const json* b) { return sort_key(a) < sort_key(b); });
  json out = json::array();
  for (const json* d : doses) out.push_back(*d);
  return out;
}

std::vector<std::pair<std::string, std::vector<DoseEntry>>> DoseSet::Conflicts() const {
  std::map<std::string, std::vector<DoseEntry>> by_key;
  for (const auto& [tag, dose] : live_) by_key[tag.key].push_back(DoseEntry{dose, tag});
  std::vector<std::pair<std::string, std::vector<DoseEntry>>> out;
  for (auto& [key, entries] : by_key) {
    std::sort(entries.begin(), entries.end(),
              [](const DoseEntry& a, const DoseEntry& b) { return b.tag < a.tag; });
    std::vector<DoseEntry> distinct;
    for (const DoseEntry& e : entries) {
      bool seen = std::any_of(distinct.begin(), distinct.end(),
                              [&](const DoseEntry& d) { return d.value == e.value; });
      if (!seen) distinct.push_back(e);
    }
    if (distinct.size() > 1) out.emplace_back(key, std::move(distinct));
  }
  return out;
}

void DoseSet::ChangeTo(const json& wanted, std::vector<json>& add,
                       std::vector<DoseTag>& remove) const {
  std::map<std::string, json> want;
  if (wanted.is_array()) {
    for (const json& d : wanted) want[DoseKey(d)] = d;
  }
  std::set<std::string> held;  // keys already held live with the wanted value
  for (const auto& [tag, dose] : live_) {
    auto it = want.find(tag.key);
    if (it != want.end() && it->second == dose) {
      held.insert(tag.key);
    } else {
      remove.push_back(tag);
    }
  }
  for (const auto& [key, dose] : want) {
    if (!held.contains(key)) add.push_back(dose);
  }
}

std::optional<DoseTag> DoseTagFromJson(const json& j) {
  if (!j.is_object() || !j.contains("k") || !j["k"].is_string() || !j.contains("s"))
    return std::nullopt;
  std::optional<Stamp> stamp = StampFromJson(j["s"]);
  if (!stamp) return std::nullopt;
  return DoseTag{*stamp, j["k"].get<std::string>()};
}

json DoseTagToJson(const DoseTag& tag) { return {{"k", tag.key}, {"s", StampToJson(tag.stamp)}}; }

json DoseSet::ToJson() const {
  json live = json::array();
  for (const auto& [tag, dose] : live_)
    live.push_back({{"v", dose}, {"s", StampToJson(tag.stamp)}});
  json removed = json::array();
  for (const DoseTag& tag : removed_) removed.push_back(DoseTagToJson(tag));
  return {{"live", live}, {"removed", removed}};
}

Result<DoseSet> DoseSet::FromJson(const json& j) {
  auto bad = [](const std::string& what) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("接种剂次集合格式错误：" + what, "malformed dose set: " + what));
  };
  if (!j.is_object() || !j.contains("live") || !j["live"].is_array() || !j.contains("removed") ||
      !j["removed"].is_array()) {
    return bad("live/removed");
  }
  DoseSet set;
  for (const json& t : j["removed"]) {
    std::optional<DoseTag> tag = DoseTagFromJson(t);
    if (!tag) return bad("removed");
    set.removed_.insert(*tag);
  }
  for (const json& e : j["live"]) {
    std::optional<Stamp> stamp =
        e.is_object() && e.contains("v") ? StampFromJson(e.value("s", json())) : std::nullopt;
    if (!stamp) return bad("live");
    set.Add(e["v"], *stamp);
  }
  return set;
}

}  // namespace onecard
