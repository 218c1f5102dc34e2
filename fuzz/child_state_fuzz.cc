// libFuzzer target: the child-state decoder and merge (protocol/docs/merge.md) on arbitrary bytes,
// as a broken server page or a hostile event could carry them. The input is up to three JSON texts
// separated by a 0x00 byte: a stored state, a second state, an event payload. Checks, whatever was
// accepted:
//   - ToJson of a decoded state decodes again to the same state;
//   - merging a state into itself changes nothing; merging A and B gives the same as B and A;
//   - a payload applied twice changes nothing the second time, and a refused payload changed
//   nothing;
//   - Record and Conflicts never fail, and a state with conflicts has a conflicted field.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/protocol/child_state.h"

namespace {

using nlohmann::json;

void Check(bool ok) {
  if (!ok) std::abort();
}

std::vector<std::string> Split(const uint8_t* data, size_t size) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0 && parts.size() < 3) {
      parts.emplace_back();
    } else {
      parts.back().push_back(static_cast<char>(data[i]));
    }
  }
  parts.resize(3);
  return parts;
}

std::optional<onecard::ChildState> Decode(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  onecard::Result<onecard::ChildState> s = onecard::ChildState::FromJson(j);
  if (!s.ok()) return std::nullopt;
  onecard::Result<onecard::ChildState> again = onecard::ChildState::FromJson(s->ToJson());
  Check(again.ok() && again->ToJson() == s->ToJson());
  return std::move(s).value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace onecard;
  std::vector<std::string> parts = Split(data, size);
  std::optional<ChildState> a = Decode(parts[0]);
  std::optional<ChildState> b = Decode(parts[1]);
  if (a) {
    ChildState self = *a;
    Check(!self.Merge(*a) && self.ToJson() == a->ToJson());
    (void)a->Record();
    Check(a->HasConflicts() == !a->Conflicts().empty());
  }
  if (a && b) {
    ChildState ab = *a, ba = *b;
    ab.Merge(*b);
    ba.Merge(*a);
    // States of different children never meet in the program; the id is the receiver's.
    json l = ab.ToJson(), r = ba.ToJson();
    l.erase("child_id");
    r.erase("child_id");
    Check(l == r);
  }
  json payload = json::parse(parts[2], nullptr, false);
  if (!payload.is_discarded() && payload.is_object()) {
    ChildState target = a ? *a : ChildState("c");
    json before = target.ToJson();
    const Stamp stamp{uint64_t{1} << 40, "FUZZ", 1};
    json first = payload;
    Result<bool> applied = target.ApplyPayload(first, stamp);
    if (!applied.ok()) {
      Check(target.ToJson() == before);
    } else {
      json second = payload;
      Result<bool> again = target.ApplyPayload(second, stamp);
      Check(again.ok() && !*again);
      Check(ChildState::FromJson(target.ToJson()).ok());
    }
  }
  return 0;
}
