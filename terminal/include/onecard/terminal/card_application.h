// The OneCard application on the card, at the level of its files and APDUs (card.md): selecting
// it, telling blank and foreign cards apart, personalizing a blank card, and reading and writing
// the control file and the two record slots. Knows nothing of keys or records' meaning: that is
// CardService's job. Every method reports card refusals as Status values naming the reader.
#pragma once

#include <cstdint>
#include <string>

#include "onecard/terminal/card_channel.h"

namespace onecard::terminal {

// Application identifier: proprietary (category F) "F0" + "ONECARD".
inline constexpr uint8_t kOneCardAid[] = {0xF0, 0x4F, 0x4E, 0x45, 0x43, 0x41, 0x52, 0x44};
inline constexpr uint16_t kOneCardDfFid = 0x4F43;
inline constexpr uint8_t kControlSfi = 1;  // EF.CTRL, FID 4F01
inline constexpr uint8_t kSlotASfi = 2;    // EF.SLOT_A, FID 4F02
inline constexpr uint8_t kSlotBSfi = 3;    // EF.SLOT_B, FID 4F03
inline constexpr size_t kControlFileSize = 32;
inline constexpr size_t kSlotFileSize = 2048;
inline constexpr size_t kChildTagSize = 16;

enum class CardKind { kOneCard, kBlank, kForeign };

// Content of EF.CTRL.
struct CardControl {
  Bytes serial;             // 8 bytes
  uint8_t active_slot = 0;  // 0: no record yet; 1: slot A; 2: slot B
  Bytes child_tag;          // kChildTagSize bytes, all zero when no record was ever written
};

// SHA-256("OneCard child tag v1" 00 || serial || child_id), first 16 bytes: lets Update check whose
// card it is without decrypting, and reveals nothing to someone who does not know the child_id.
Bytes ChildTag(ByteSpan serial, const std::string& child_id);
// Card serial as printed: 16 upper-case hex digits.
std::string CardSerialText(ByteSpan serial);

class OneCardApplication {
 public:
  explicit OneCardApplication(CardChannel& channel) : channel_(channel) {}

  // SELECT by AID. When the application is absent: kBlank if the ATR declares an ISO 7816-4 card,
  // the MF can be selected and there is no EF.DIR (2F00); otherwise kForeign.
  Result<CardKind> Select();
  // Creates the DF and its three EFs and writes EF.CTRL (no active slot). Precondition: Select()
  // returned kBlank. kNotOneCard when the card refuses to create files.
  Status Personalize(ByteSpan serial, ByteSpan child_tag);

  // kCorruption when EF.CTRL does not hold a valid control block.
  Result<CardControl> ReadControl();
  Status WriteChildTag(ByteSpan child_tag);
  // The commit point of every write: a single-byte UPDATE BINARY.
  Status SetActiveSlot(uint8_t slot);

  // The first bytes of slot 1 or 2 (one READ BINARY).
  Result<Bytes> ReadSlotPrefix(uint8_t slot);
  // The whole sealed record in a slot, reading only as many bytes as its length says.
  // kCorruption when the slot is empty or does not start with a sealed record.
  Result<Bytes> ReadSealedRecord(uint8_t slot);
  // Writes `bytes` at the start of the slot in UPDATE BINARY chunks of 255 bytes.
  Status WriteSlot(uint8_t slot, ByteSpan bytes);

 private:
  Result<ResponseApdu> Send(const CommandApdu& command);
  Status UpdateBinary(uint8_t sfi, size_t offset, ByteSpan data);

  CardChannel& channel_;
};

}  // namespace onecard::terminal
