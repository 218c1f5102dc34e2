// ISO 7816-4 command/response handling over a CardReader: builds short APDUs, follows SW 61xx
// (GET RESPONSE) and 6Cxx (resend with the exact Le), and counts every exchange (the card budget in
// card.md is in APDUs, because the emulator is too slow to time).
#pragma once

#include <cstdint>
#include <optional>

#include "onecard/terminal/card_reader.h"

namespace onecard::terminal {

struct CommandApdu {
  uint8_t cla = 0x00;
  uint8_t ins = 0;
  uint8_t p1 = 0;
  uint8_t p2 = 0;
  Bytes data;                // at most 255 bytes (short APDU)
  std::optional<size_t> le;  // expected response length, 1..256 (256 is encoded as 00)

  Bytes Encode() const;  // precondition (checked): data.size() <= 255, le in 1..256
};

struct ResponseApdu {
  Bytes data;
  uint16_t sw = 0;
  bool ok() const { return sw == 0x9000; }
};

class CardChannel {
 public:
  explicit CardChannel(CardReader& reader) : reader_(reader) {}

  // Exchanges `command`, completing 61xx/6Cxx. Errors are the reader's; any final SW is returned
  // for the caller to judge. kCorruption when the card answers with fewer than 2 bytes or loops.
  Result<ResponseApdu> Transmit(const CommandApdu& command);

  // Number of APDUs exchanged so far (including GET RESPONSE and 6Cxx retries).
  size_t apdu_count() const { return apdu_count_; }
  CardReader& reader() { return reader_; }

 private:
  Result<ResponseApdu> ExchangeOnce(const Bytes& command);

  CardReader& reader_;
  size_t apdu_count_ = 0;
};

}  // namespace onecard::terminal
