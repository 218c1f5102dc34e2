// What the desk's routes share: the store as the signed-in member holds it, the browsers let in,
// the launch link, the guard, the card reader (its name and state), the event channel the page
// follows and the sync. Owned by the desk's server (desk_server.h).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "browser_sessions.h"
#include "desk_guard.h"
#include "desk_sync.h"
#include "launch_link.h"
#include "onecard/http/event_channel.h"
#include "onecard/platform/clock.h"
#include "reader_availability.h"
#include "signed_in_store.h"

namespace onecard::desk {

struct DeskState {
  // `card_reader`: the reader cards are written in, or "" for the first one holding a card.
  DeskState(std::string data_dir, const platform::Clock& c, std::chrono::milliseconds idle_limit,
            std::string card_reader, std::chrono::seconds sync_every)
      : clock(c),
        store(std::move(data_dir), c, idle_limit),
        guard(sessions),
        reader_name(std::move(card_reader)),
        events(std::make_shared<http::EventChannel>()),
        sync(store, events, c, sync_every) {}

  const platform::Clock& clock;
  SignedInStore store;
  BrowserSessions sessions;
  LaunchLink link;
  DeskGuard guard;
  const std::string reader_name;
  ReaderAvailability reader;
  std::shared_ptr<http::EventChannel> events;
  DeskSync sync;
};

}  // namespace onecard::desk
