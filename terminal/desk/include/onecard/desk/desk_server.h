// The desk (`onecard-terminal desk`, docs/desk.md): the registrars' web application, served over
// plain HTTP on a loopback address to the browser on the same machine. It holds the terminal store
// for the staff member signed in at the screen, watches the card reader, and pushes what happens
// (a card read, the desk locked) to the page as server-sent events.
//
// Thread-safety: Start and Stop from one thread; the server runs on its own threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"

namespace onecard::desk {

struct DeskOptions {
  std::string data_dir;
  std::string listen_address = "127.0.0.1";  // loopback only (127.0.0.0/8 or ::1)
  uint16_t port = 0;                         // 0: any free port
  std::string reader;                        // "" for any reader
  std::chrono::milliseconds idle_limit = std::chrono::minutes(10);  // then the desk locks
  bool watch_cards = true;
  // The automatic sync's period while someone is signed in; zero: only when the page asks.
  std::chrono::seconds sync_every = std::chrono::minutes(5);
};

class DeskServer {
 public:
  // `clock` must outlive the server.
  DeskServer(DeskOptions options, const platform::Clock& clock);
  ~DeskServer();  // Stop()
  DeskServer(const DeskServer&) = delete;
  DeskServer& operator=(const DeskServer&) = delete;

  // Binds, starts serving and watching the card reader. kInvalidArgument for an address that is
  // not loopback; kUnavailable when it cannot be bound.
  Status Start();
  // Locks the store, ends the event streams and the server, joins the threads. Idempotent.
  void Stop();

  uint16_t port() const;
  // The one-time address to open in the browser: http://HOST:PORT/open?secret=S.
  std::string LaunchUrl() const;

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace onecard::desk
