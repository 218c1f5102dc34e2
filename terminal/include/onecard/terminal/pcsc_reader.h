// PC/SC (pcsc-lite) access: the resource-manager context, reader discovery, and a CardReader over a
// connected card. Every PC/SC return code becomes a Status in PcscStatus (pcsc_status.cc) and
// nowhere else. Move-only RAII owners: the context is released, the card disconnected and an open
// transaction ended when their owners go away.
//
// Not thread-safe: use a context and its readers from one thread.
#pragma once

#include <winscard.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "onecard/terminal/card_reader.h"

namespace onecard::terminal {

// Translates a PC/SC return code (with the reader it concerns, may be empty) into a Status with
// a message for a person: pcscd not running → kUnavailable; no card → kNotFound; card removed or
// reset → kCardRemoved; unknown reader → kNotFound; and so on.
Status PcscStatus(LONG rv, const std::string& reader);

struct PcscReaderState {
  std::string name;
  bool card_present = false;
};

class PcscContext {
 public:
  // kUnavailable with a clear message when pcscd is not running.
  static Result<PcscContext> Establish();
  PcscContext(PcscContext&& other) noexcept : context_(other.context_) { other.context_ = 0; }
  PcscContext& operator=(PcscContext&&) = delete;
  PcscContext(const PcscContext&) = delete;
  ~PcscContext();

  // All readers with whether each holds a card (SCardGetStatusChange, no waiting). Empty when
  // there is no reader.
  Result<std::vector<PcscReaderState>> Readers() const;
  // Waits (SCardGetStatusChange) until a card is present in `reader`, or in any reader when
  // `reader` is empty (readers plugged in while waiting count too), for at most `timeout`.
  // Returns the name of the reader holding the card; a card already present returns at once.
  // kDeadlineExceeded when none came in time; kNotFound for an unknown named reader;
  // kUnavailable when pcscd stops meanwhile.
  Result<std::string> WaitForCard(const std::string& reader,
                                  std::chrono::milliseconds timeout) const;
  SCARDCONTEXT get() const { return context_; }

 private:
  explicit PcscContext(SCARDCONTEXT context) : context_(context) {}
  SCARDCONTEXT context_ = 0;
};

class PcscCardReader : public CardReader {
 public:
  // Connects (shared, T=0 or T=1) to the card in `reader`; or, when `reader` is empty, to the
  // first reader that holds a card. kNotFound names the reader (or says no reader holds a card).
  static Result<std::unique_ptr<PcscCardReader>> Connect(const std::string& reader);
  ~PcscCardReader() override;

  const std::string& name() const override { return name_; }
  const Bytes& atr() const override { return atr_; }
  Result<Bytes> Exchange(ByteSpan command) override;
  Status BeginTransaction() override;
  void EndTransaction() override;
  bool WasReset() const override { return reset_; }
  // SCardReconnect (shared, T=0 or T=1, SCARD_LEAVE_CARD); reads the ATR again.
  Status Reconnect() override;

 private:
  // PcscStatus(rv), noting a reset of the card by another program.
  Status Failed(LONG rv);
  Status ReadAtr();

  PcscCardReader(PcscContext context, std::string name)
      : context_(std::move(context)), name_(std::move(name)) {}

  PcscContext context_;
  std::string name_;
  SCARDHANDLE handle_ = 0;
  DWORD protocol_ = 0;
  Bytes atr_;
  bool in_transaction_ = false;
  bool reset_ = false;
};

}  // namespace onecard::terminal
