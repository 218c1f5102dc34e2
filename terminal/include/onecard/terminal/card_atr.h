// Answer-to-reset parsing (ISO/IEC 7816-3): pure, bytes in, result out.
#pragma once

#include "onecard/protocol/bytes.h"
#include "onecard/protocol/status.h"

namespace onecard::terminal {

// The historical bytes of `atr`. kInvalidArgument when the ATR is malformed (bad TS, interface
// bytes or historical bytes running past its end).
Result<Bytes> AtrHistoricalBytes(ByteSpan atr);

// True when the historical bytes start with a category indicator of ISO 7816-4 compact-TLV format
// (00 or 80): the only cards OneCard offers to personalize (card.md, "Blank cards").
bool AtrDeclaresIso7816Card(ByteSpan atr);

}  // namespace onecard::terminal
