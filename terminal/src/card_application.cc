#include "onecard/terminal/card_application.h"

#include <algorithm>
#include <cstdio>

#include "onecard/protocol/card_record.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/tlv.h"
#include "onecard/terminal/card_atr.h"

namespace onecard::terminal {
namespace {

constexpr uint8_t kControlMagic[] = {'O', 'C', 0x01};
constexpr size_t kChunk = 255;  // largest Lc of a short APDU
constexpr size_t kMaxLe = 256;  // Le 00

uint8_t SlotSfi(uint8_t slot) { return slot == 1 ? kSlotASfi : kSlotBSfi; }

std::string SwText(uint16_t sw) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%04X", sw);
  return buf;
}

// Status words the OneCard application expects to meet, as Status (card.md, "Status words").
Status CardRefusal(uint16_t sw, const std::string& reader, const std::string& zh,
                   const std::string& en) {
  ErrorCode code = ErrorCode::kCorruption;
  switch (sw) {
    case 0x6A82:
    case 0x6A88:
      code = ErrorCode::kNotFound;
      break;
    case 0x6982:
    case 0x6985:
    case 0x6986:
      code = ErrorCode::kPermissionDenied;
      break;
    case 0x6A84:
    case 0x6581:
      code = ErrorCode::kResourceExhausted;
      break;
    case 0x6D00:
    case 0x6E00:
    case 0x6A81:
    case 0x6A86:
    case 0x6B00:
      code = ErrorCode::kNotOneCard;
      break;
    default:
      break;
  }
  return Status(
      code, Tr("读卡器 " + reader + " 中的卡拒绝了" + zh + "（SW " + SwText(sw) + "）",
               "the card in reader " + reader + " refused to " + en + " (SW " + SwText(sw) + ")"));
}

Bytes Fcp(std::initializer_list<std::pair<uint32_t, Bytes>> fields) {
  Bytes inner;
  for (const auto& [tag, value] : fields) AppendTlv(inner, tag, value);
  return EncodeTlv(0x62, inner);
}

Bytes U16(size_t v) { return {static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)}; }

}  // namespace

Bytes ChildTag(ByteSpan serial, const std::string& child_id) {
  std::string label = "OneCard child tag v1";
  Bytes input(label.begin(), label.end());
  input.push_back(0);
  input.insert(input.end(), serial.begin(), serial.end());
  input.insert(input.end(), child_id.begin(), child_id.end());
  Bytes digest = Sha256(input);
  digest.resize(kChildTagSize);
  return digest;
}

std::string CardSerialText(ByteSpan serial) {
  std::string hex = HexEncode(serial);
  std::transform(hex.begin(), hex.end(), hex.begin(),
                 [](char c) { return static_cast<char>(std::toupper(c)); });
  return hex;
}

Result<ResponseApdu> OneCardApplication::Send(const CommandApdu& command) {
  return channel_.Transmit(command);
}

Result<CardKind> OneCardApplication::Select() {
  CommandApdu select_aid{
      0x00, 0xA4, 0x04, 0x0C, Bytes(std::begin(kOneCardAid), std::end(kOneCardAid)), {}};
  ASSIGN_OR_RETURN(ResponseApdu r, Send(select_aid));
  if (r.ok()) return CardKind::kOneCard;
  if (r.sw != 0x6A82 || !AtrDeclaresIso7816Card(channel_.reader().atr())) return CardKind::kForeign;
  ASSIGN_OR_RETURN(r, Send({0x00, 0xA4, 0x00, 0x0C, {0x3F, 0x00}, {}}));
  if (!r.ok()) return CardKind::kForeign;
  ASSIGN_OR_RETURN(r, Send({0x00, 0xA4, 0x02, 0x0C, {0x2F, 0x00}, {}}));
  if (r.sw == 0x6A82) return CardKind::kBlank;
  return CardKind::kForeign;
}

Status OneCardApplication::Personalize(ByteSpan serial, ByteSpan child_tag) {
  ONECARD_CHECK(serial.size() == kCardSerialSize && child_tag.size() == kChildTagSize);
  const std::string& reader = channel_.reader().name();
  auto create = [&](const Bytes& fcp) -> Status {
    ASSIGN_OR_RETURN(ResponseApdu r, Send({0x00, 0xE0, 0x00, 0x00, fcp, {}}));
    if (r.ok()) return Status::Ok();
    Status s = CardRefusal(r.sw, reader, "建立文件", "create a file");
    return Status(ErrorCode::kNotOneCard, Tr("无法在这张卡上建立 OneCard 应用：",
                                             "cannot personalize this card for OneCard: ") +
                                              s.message());
  };
  Bytes aid(std::begin(kOneCardAid), std::end(kOneCardAid));
  RETURN_IF_ERROR(create(Fcp({{0x82, {0x38}}, {0x83, U16(kOneCardDfFid)}, {0x84, aid}})));
  ASSIGN_OR_RETURN(ResponseApdu r, Send({0x00, 0xA4, 0x04, 0x0C, aid, {}}));
  if (!r.ok())
    return CardRefusal(r.sw, reader, "选择刚建立的应用", "select the application just created");
  const std::pair<uint8_t, size_t> files[] = {
      {kControlSfi, kControlFileSize}, {kSlotASfi, kSlotFileSize}, {kSlotBSfi, kSlotFileSize}};
  for (const auto& [sfi, size] : files) {
    RETURN_IF_ERROR(create(Fcp({{0x80, U16(size)},
                                {0x82, {0x01}},
                                {0x83, U16(0x4F00 + sfi)},
                                {0x88, {static_cast<uint8_t>(sfi << 3)}}})));
  }
  Bytes control(std::begin(kControlMagic), std::end(kControlMagic));
  control.push_back(0);  // no active slot
  control.insert(control.end(), serial.begin(), serial.end());
  control.insert(control.end(), child_tag.begin(), child_tag.end());
  control.resize(kControlFileSize, 0);
  return UpdateBinary(kControlSfi, 0, control);
}

Result<CardControl> OneCardApplication::ReadControl() {
  ASSIGN_OR_RETURN(
      ResponseApdu r,
      Send({0x00, 0xB0, static_cast<uint8_t>(0x80 | kControlSfi), 0x00, {}, kControlFileSize}));
  if (!r.ok() && r.sw != 0x6282) {
    return CardRefusal(r.sw, channel_.reader().name(), "读取控制文件", "read the control file");
  }
  if (r.data.size() < 28 ||
      !std::equal(std::begin(kControlMagic), std::end(kControlMagic), r.data.begin())) {
    return Status(ErrorCode::kCorruption, Tr("卡上 OneCard 应用的控制文件已损坏",
                                             "the OneCard control file on the card is damaged"));
  }
  CardControl c;
  c.active_slot = r.data[3];
  c.serial.assign(r.data.begin() + 4, r.data.begin() + 12);
  c.child_tag.assign(r.data.begin() + 12, r.data.begin() + 28);
  if (c.active_slot > 2) {
    return Status(ErrorCode::kCorruption, Tr("卡上 OneCard 应用的控制文件已损坏",
                                             "the OneCard control file on the card is damaged"));
  }
  return c;
}

Status OneCardApplication::UpdateBinary(uint8_t sfi, size_t offset, ByteSpan data) {
  // The first APDU addresses the EF by short identifier (which also selects it); later ones by
  // 15-bit offset in the selected EF.
  for (size_t done = 0; done < data.size();) {
    size_t n = std::min(kChunk, data.size() - done);
    size_t at = offset + done;
    CommandApdu update{0x00,
                       0xD6,
                       0,
                       0,
                       Bytes(data.begin() + static_cast<std::ptrdiff_t>(done),
                             data.begin() + static_cast<std::ptrdiff_t>(done + n)),
                       {}};
    if (done == 0 && at <= 0xFF) {
      update.p1 = static_cast<uint8_t>(0x80 | sfi);
      update.p2 = static_cast<uint8_t>(at);
    } else {
      ONECARD_CHECK(done > 0 && at <= 0x7FFF);
      update.p1 = static_cast<uint8_t>(at >> 8);
      update.p2 = static_cast<uint8_t>(at);
    }
    ASSIGN_OR_RETURN(ResponseApdu r, Send(update));
    if (!r.ok()) return CardRefusal(r.sw, channel_.reader().name(), "写入", "write");
    done += n;
  }
  return Status::Ok();
}

Status OneCardApplication::WriteChildTag(ByteSpan child_tag) {
  return UpdateBinary(kControlSfi, 12, child_tag);
}

Status OneCardApplication::SetActiveSlot(uint8_t slot) {
  ONECARD_CHECK(slot <= 2);
  return UpdateBinary(kControlSfi, 3, ByteSpan(&slot, 1));
}

Result<Bytes> OneCardApplication::ReadSlotPrefix(uint8_t slot) {
  ONECARD_CHECK(slot == 1 || slot == 2);
  ASSIGN_OR_RETURN(
      ResponseApdu r,
      Send({0x00, 0xB0, static_cast<uint8_t>(0x80 | SlotSfi(slot)), 0x00, {}, kMaxLe}));
  if (!r.ok() && r.sw != 0x6282)
    return CardRefusal(r.sw, channel_.reader().name(), "读取记录", "read the record");
  return std::move(r.data);
}

Result<Bytes> OneCardApplication::ReadSealedRecord(uint8_t slot) {
  ASSIGN_OR_RETURN(Bytes data, ReadSlotPrefix(slot));
  auto size = SealedCardRecordSize(data);
  if (!size.ok()) {
    return Status(
        ErrorCode::kCorruption,
        Tr("卡上当前记录槽里没有有效记录", "the card's current record slot holds no valid record"));
  }
  while (data.size() < *size) {
    size_t want = std::min(kMaxLe, *size - data.size());
    ASSIGN_OR_RETURN(ResponseApdu r, Send({0x00,
                                           0xB0,
                                           static_cast<uint8_t>(data.size() >> 8),
                                           static_cast<uint8_t>(data.size()),
                                           {},
                                           want}));
    if ((!r.ok() && r.sw != 0x6282) || r.data.empty()) {
      return CardRefusal(r.sw, channel_.reader().name(), "读取记录", "read the record");
    }
    data.insert(data.end(), r.data.begin(), r.data.end());
  }
  data.resize(*size);
  return data;
}

Status OneCardApplication::WriteSlot(uint8_t slot, ByteSpan bytes) {
  ONECARD_CHECK(slot == 1 || slot == 2);
  if (bytes.size() > kSlotFileSize) {
    return Status(ErrorCode::kResourceExhausted,
                  Tr("记录超出卡上记录槽的大小", "the record is larger than a card slot"));
  }
  return UpdateBinary(SlotSfi(slot), 0, bytes);
}

}  // namespace onecard::terminal
