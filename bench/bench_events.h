// Events the benchmarks feed a server store, as an enrolled terminal would send them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "onecard/platform/clock.h"
#include "onecard/protocol/event_types.h"
#include "onecard/protocol/sync_event.h"

// A registration by `terminal` of `record` as a new child, "<terminal>-<seq>": in the terminal's
// own namespace, as the server requires of a child it did not know (sync.md, "Who may change a
// child"), so the population may span any areas. Stamped now, as a terminal registering the child
// would: the server checks the record's dates against the stamp, and refuses stamps ahead of its
// clock.
inline onecard::wire::Event ChildRegistration(const std::string& terminal, uint64_t seq,
                                              const nlohmann::json& record) {
  const std::string child_id = terminal + "-" + std::to_string(seq);
  onecard::wire::Event e;
  e.set_terminal_id(terminal);
  e.set_seq(seq);
  e.set_hlc(static_cast<uint64_t>(onecard::platform::SystemClock().WallMs()) << 16);
  e.set_type(std::string(onecard::event_type::kChildUpsert));
  e.set_child_id(child_id);
  nlohmann::json fields = record;
  fields.erase("child_id");
  e.set_payload(nlohmann::json{{"child_id", child_id}, {"fields", fields}}.dump());
  return e;
}
