// A CardReader wrapper that counts exchanges and can "pull the card" after a given number of them:
// from then on every exchange fails with kCardRemoved without reaching the card, the way a card
// torn out of the reader between two APDUs looks to the terminal. Used to test tear safety at every
// APDU position and to assert APDU budgets.
#pragma once

#include <limits>

#include "onecard/terminal/card_reader.h"

namespace onecard::terminal {

class FaultInjectingCardReader : public CardReader {
 public:
  // `inner` must outlive this object.
  explicit FaultInjectingCardReader(CardReader& inner) : inner_(inner) {}

  // The next `n` exchanges reach the card; every later one fails.
  void PullCardAfter(size_t n) { remaining_ = n; }
  // Number of exchanges that reached the card so far.
  size_t exchanges() const { return exchanges_; }
  void ResetCount() { exchanges_ = 0; }

  const std::string& name() const override { return inner_.name(); }
  const Bytes& atr() const override { return inner_.atr(); }
  Result<Bytes> Exchange(ByteSpan command) override;
  Status BeginTransaction() override { return inner_.BeginTransaction(); }
  void EndTransaction() override { inner_.EndTransaction(); }
  bool WasReset() const override { return inner_.WasReset(); }
  Status Reconnect() override { return inner_.Reconnect(); }

 private:
  CardReader& inner_;
  size_t remaining_ = std::numeric_limits<size_t>::max();
  size_t exchanges_ = 0;
};

}  // namespace onecard::terminal
