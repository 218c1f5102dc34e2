#include <cstdlib>

#include "onecard/cli/command.h"

namespace onecard::cli {
namespace {

Arg Named(std::string name, std::string zh, std::string en, Arg::Kind kind = Arg::Kind::kText) {
  Arg a;
  a.name = std::move(name);
  a.zh = std::move(zh);
  a.en = std::move(en);
  a.kind = kind;
  return a;
}

}  // namespace

Arg Required(std::string name, std::string zh, std::string en) {
  Arg a = Named(std::move(name), std::move(zh), std::move(en));
  a.required = true;
  return a;
}

Arg Optional(std::string name, std::string zh, std::string en, std::string default_value) {
  Arg a = Named(std::move(name), std::move(zh), std::move(en));
  a.default_value = std::move(default_value);
  return a;
}

Arg Switch(std::string name, std::string zh, std::string en) {
  return Named(std::move(name), std::move(zh), std::move(en), Arg::Kind::kSwitch);
}

Arg Number(std::string name, std::string zh, std::string en, long min, long max) {
  Arg a = Named(std::move(name), std::move(zh), std::move(en), Arg::Kind::kNumber);
  a.min = min;
  a.max = max;
  return a;
}

Arg List(std::string name, std::string zh, std::string en, int count, bool required) {
  Arg a = Named(std::move(name), std::move(zh), std::move(en), Arg::Kind::kList);
  a.count = count;
  a.required = required;
  return a;
}

const std::string& Args::Text(const std::string& name) const {
  auto it = texts_.find(name);
  return it == texts_.end() ? GlobalText(name) : it->second;
}

const std::string& Args::GlobalText(const std::string& name) const {
  static const std::string kNone;
  auto it = global_texts_.find(name);
  return it == global_texts_.end() ? kNone : it->second;
}

const std::vector<std::string>& Args::Values(const std::string& name) const {
  static const std::vector<std::string> kNone;
  auto it = lists_.find(name);
  return it == lists_.end() ? kNone : it->second;
}

bool Args::On(const std::string& name) const {
  auto it = switches_.find(name);
  return it != switches_.end() && it->second;
}

long Args::NumberOf(const std::string& name) const {
  const std::string& text = Text(name);
  return text.empty() ? 0 : std::strtol(text.c_str(), nullptr, 10);
}

void Args::SetGlobals(const Args& globals) {
  global_texts_ = globals.texts_;
  for (const auto& [name, values] : globals.lists_) lists_.try_emplace(name, values);
  for (const auto& [name, on] : globals.switches_) switches_[name] = switches_[name] || on;
}

}  // namespace onecard::cli
