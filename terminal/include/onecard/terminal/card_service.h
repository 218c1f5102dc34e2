// OneCard card operations for the terminal's commands: list readers, issue, read and update a
// child's card. Card format and procedures: protocol/docs/card.md.
//
// Every operation connects to the reader, holds a PC/SC transaction for its whole APDU sequence
// (no other program interleaves commands) and disconnects. Errors name the reader and are in the
// user's language. Not thread-safe with respect to the same reader; distinct readers may be used
// from distinct threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/platform/clock.h"
#include "onecard/protocol/bytes.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/status.h"
#include "onecard/terminal/card_contents.h"
#include "onecard/terminal/card_reader.h"

namespace onecard::terminal {

struct ReaderStatus {
  std::string name;
  bool card_present = false;
};
// kUnavailable with a clear message when pcscd is not running; empty list when no reader.
Result<std::vector<ReaderStatus>> ListReaders();
// Waits until a card is in `reader` (or in any reader when empty) for at most `timeout`; returns
// the reader's name. kDeadlineExceeded when no card came; kUnavailable when pcscd is not running.
Result<std::string> WaitForCard(const std::string& reader, std::chrono::milliseconds timeout);

class CardService {
 public:
  // `reader`: a reader name, or empty for the first reader that holds a card.
  // Issue: personalizes a blank card (creates the application and files, assigns a new random
  // serial) or reuses a OneCard card with no record; writes `child` (with "card_serial" set to the
  // card's serial) signed and encrypted. Returns the serial. A card that already holds a record →
  // kAlreadyExists; a foreign card → kNotOneCard. `child` must hold a string "child_id"
  // (kInvalidArgument otherwise).
  static Result<std::string> Issue(const std::string& reader, const nlohmann::json& child,
                                   const CardCredentials& creds);
  // Reads and verifies: signer certificate chains to root_public, record signature verifies,
  // decrypts with the key version named on the card. Foreign card → kNotOneCard; blank/empty
  // OneCard → kFailedPrecondition; bad signature/MAC/certificate → kTampered; unknown key version →
  // kUnauthenticated. Never imports or writes anything.
  static Result<CardContents> Read(const std::string& reader, const CardCredentials& creds);
  // Writes a new version of `child` tear-safely (older slot first, verify, then it becomes
  // current). Refuses (kFailedPrecondition) when the card holds another child_id.
  static Status Update(const std::string& reader, const nlohmann::json& child,
                       const CardCredentials& creds);

  // Read and Update are repeated once, after reconnecting, when another program reset the card
  // in the middle (kCardRemoved with CardReader::WasReset()); a card taken out is not retried.
  //
  // The same operations on an already connected reader (PC/SC, scripted or fault-injecting).
  static Result<std::string> IssueOn(CardReader& reader, const nlohmann::json& child,
                                     const CardCredentials& creds);
  static Result<CardContents> ReadOn(CardReader& reader, const CardCredentials& creds);
  static Status UpdateOn(CardReader& reader, const nlohmann::json& child,
                         const CardCredentials& creds);
};

}  // namespace onecard::terminal
