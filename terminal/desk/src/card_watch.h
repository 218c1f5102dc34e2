// The card reader, live for the desk: a thread waits for a card to arrive in any reader (or the
// one named), reads it as the signed-in staff member (terminal card_reading.h: verified, a child
// not held here imported, a revoked card refused, the read audited), and publishes the outcome on
// the desk's event channel; then it waits for the card to leave. The page follows the channel
// (GET /api/events) and opens the child's page.
//
// Events (name, then data as JSON):
//   card          {"outcome": "read", "reader", "serial", "child_id", "signer_terminal_id",
//                  "imported", "closed_on"?}
//                 {"outcome": "locked", "reader"}            nobody is signed in: nothing was read
//                                                            (yet: it is read at the sign-in)
//                 {"outcome": "error", "reader", "code", "message"}   foreign, blank, revoked, ...
//   card.removed  {"reader"}
//   reader        {"available": false, "message"}           pcscd or the reader went away
//                 {"available": true}                        back again
// The reader's state is also kept (reader_availability.h) for pages that open later.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "onecard/http/event_channel.h"
#include "reader_availability.h"
#include "signed_in_store.h"

namespace onecard::desk {

class CardWatch {
 public:
  // How long one wait for a card lasts before the thread looks at its stop flag again, and how
  // often a present card is looked at to see it leave.
  static constexpr std::chrono::milliseconds kPoll{250};

  // `store`, `availability` and `events` must outlive the watch. `reader`: a reader name, or ""
  // for any.
  CardWatch(SignedInStore& store, ReaderAvailability& availability,
            std::shared_ptr<http::EventChannel> events, std::string reader);
  ~CardWatch();  // Stop()
  CardWatch(const CardWatch&) = delete;
  CardWatch& operator=(const CardWatch&) = delete;

  void Start();
  // Ends the thread within about kPoll (a card operation in progress finishes first).
  void Stop();

 private:
  void Run();
  // Reads the card in `reader` and publishes the outcome; false when the desk was locked (nothing
  // was read).
  bool ReadAndPublish(const std::string& reader);
  // Waits until `reader` holds no card (or the watch stops); with `read_at_sign_in`, reads the
  // card as soon as someone signs in.
  void AwaitRemoval(const std::string& reader, bool read_at_sign_in);
  void PublishReader(bool available, const std::string& message);

  SignedInStore& store_;
  ReaderAvailability& availability_;
  std::shared_ptr<http::EventChannel> events_;
  const std::string reader_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace onecard::desk
