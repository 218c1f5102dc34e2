#include "onecard/terminal/card_atr.h"

#include "onecard/protocol/i18n.h"

namespace onecard::terminal {

Result<Bytes> AtrHistoricalBytes(ByteSpan atr) {
  auto bad = [] {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("卡的复位应答（ATR）无效", "the card's ATR is malformed"));
  };
  if (atr.size() < 2 || (atr[0] != 0x3B && atr[0] != 0x3F)) return bad();
  size_t pos = 1;
  uint8_t y = atr[pos] >> 4;
  size_t historical = atr[pos] & 0x0F;
  ++pos;
  for (int level = 0; level < 16; ++level) {
    size_t interface_bytes = ((y & 1) ? 1 : 0) + ((y & 2) ? 1 : 0) + ((y & 4) ? 1 : 0);
    if (pos + interface_bytes > atr.size()) return bad();
    pos += interface_bytes;
    if ((y & 8) == 0) break;  // no TDi
    if (pos >= atr.size()) return bad();
    y = atr[pos] >> 4;
    ++pos;
  }
  if (pos + historical > atr.size()) return bad();
  return Bytes(atr.begin() + static_cast<std::ptrdiff_t>(pos),
               atr.begin() + static_cast<std::ptrdiff_t>(pos + historical));
}

bool AtrDeclaresIso7816Card(ByteSpan atr) {
  auto historical = AtrHistoricalBytes(atr);
  return historical.ok() && !historical->empty() &&
         ((*historical)[0] == 0x00 || (*historical)[0] == 0x80);
}

}  // namespace onecard::terminal
