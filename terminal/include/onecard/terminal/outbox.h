// The terminal's outbox (table `outbox`): the events waiting for the server, numbered by a rising
// sequence number and stamped by the hybrid logical clock (protocol/docs/sync.md, "Push"). A change
// appends its event inside its own transaction; sync reads the pending events, drops those the
// server acknowledged and sets aside those it refused (table `refused_events`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "onecard/protocol/stamp.h"
#include "onecard/protocol/status.h"
#include "onecard/terminal/unit_of_work.h"
#include "sync.pb.h"

namespace onecard::terminal {

class Outbox {
 public:
  explicit Outbox(UnitOfWork& unit) : unit_(unit) {}

  // Appends an event of `type` (event_types.h) about `child_id` with `payload`, inside the
  // caller's transaction. Returns its stamp: the clock reading, this terminal, its seq.
  Result<Stamp> Append(std::string_view type, const std::string& child_id,
                       const nlohmann::json& payload);
  // Up to `max` events with seq > `after_seq`, oldest first. Each child event (child.upsert,
  // card.revoke) carries the child's card as last read here, if any (sync.md, "Who may change a
  // child"): the server looks at it only for a child outside this site's scope.
  Result<std::vector<wire::Event>> Pending(size_t max, uint64_t after_seq = 0);
  // How many events wait for the server.
  Result<uint64_t> Count();
  // Drops the events with seq <= `acked_seq` (the server stored them).
  Status Acknowledge(uint64_t acked_seq);
  // Moves the refused events to refused_events with the server's reason, audited, in one
  // transaction.
  Status SetAsideRefused(const std::vector<wire::EventRefusal>& refused);

 private:
  UnitOfWork& unit_;
};

}  // namespace onecard::terminal
