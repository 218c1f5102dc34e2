// The seam between OneCard's card logic and card readers: an abstract reader that exchanges raw
// APDUs with the card in it. Implementations: PC/SC (pcsc_reader.h), a scripted reader for unit
// tests and fuzzing (card_reader_script.h), and a fault-injecting wrapper that pulls the card after
// N exchanges (card_reader_fault.h).
//
// Not thread-safe: one reader object is used by one thread at a time.
#pragma once

#include <string>

#include "onecard/protocol/bytes.h"
#include "onecard/protocol/status.h"

namespace onecard::terminal {

class CardReader {
 public:
  virtual ~CardReader() = default;

  virtual const std::string& name() const = 0;
  // Answer to reset of the connected card.
  virtual const Bytes& atr() const = 0;
  // Sends one command APDU and returns the response APDU (data followed by SW1 SW2) as the card
  // gave it: no GET RESPONSE or Le retry here (see CardChannel). kCardRemoved when the card left
  // or was reset; kUnavailable when the reader or pcscd went away.
  virtual Result<Bytes> Exchange(ByteSpan command) = 0;
  // Exclusive access across several APDUs (SCardBeginTransaction); see CardTransaction.
  virtual Status BeginTransaction() = 0;
  virtual void EndTransaction() = 0;

  // After an exchange or transaction failed with kCardRemoved: true when the card did not leave but
  // was reset (by another program sharing the reader), so that it lost its selected file, not its
  // content, and may be used again after Reconnect(). Readers without resets say false.
  virtual bool WasReset() const { return false; }
  // Reconnects to the reset card (leaving it as it is) and forgets the reset.
  virtual Status Reconnect() {
    return Status(ErrorCode::kFailedPrecondition, "reader " + name() + " cannot reconnect");
  }
};

// Holds the reader's transaction for its lifetime. Move-only.
class CardTransaction {
 public:
  static Result<CardTransaction> Begin(CardReader& reader) {
    RETURN_IF_ERROR(reader.BeginTransaction());
    return CardTransaction(&reader);
  }
  CardTransaction(CardTransaction&& other) noexcept : reader_(other.reader_) {
    other.reader_ = nullptr;
  }
  CardTransaction& operator=(CardTransaction&&) = delete;
  CardTransaction(const CardTransaction&) = delete;
  ~CardTransaction() {
    if (reader_ != nullptr) reader_->EndTransaction();
  }

 private:
  explicit CardTransaction(CardReader* reader) : reader_(reader) {}
  CardReader* reader_;
};

}  // namespace onecard::terminal
