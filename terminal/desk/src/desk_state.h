// What the desk's routes share: the store as the signed-in member holds it, the browsers let in,
// the launch link, the guard and the card reader's state. Owned by the desk's server
// (desk_server.h).
#pragma once

#include <chrono>
#include <string>

#include "browser_sessions.h"
#include "desk_guard.h"
#include "launch_link.h"
#include "onecard/platform/clock.h"
#include "reader_availability.h"
#include "signed_in_store.h"

namespace onecard::desk {

struct DeskState {
  DeskState(std::string data_dir, const platform::Clock& c, std::chrono::milliseconds idle_limit)
      : clock(c), store(std::move(data_dir), c, idle_limit), guard(sessions) {}

  const platform::Clock& clock;
  SignedInStore store;
  BrowserSessions sessions;
  LaunchLink link;
  DeskGuard guard;
  ReaderAvailability reader;
};

}  // namespace onecard::desk
