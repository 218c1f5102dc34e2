// BER-TLV as used by ISO/IEC 7816-4 (and OneCard's card formats): a strict, pure codec.
//
// Tags are 1 to 3 bytes (a first byte whose low five bits are all ones announces more bytes; each
// further byte with bit 8 set announces another), kept as the big-endian number of their bytes
// (0x5F37, 0x7F21). Lengths are definite: short form (0..127), 0x81 nn, or 0x82 nnnn. Rejected as
// malformed: first tag byte 0x00 or 0xFF (padding), tags longer than 3 bytes, indefinite (0x80) or
// longer length forms, and any value that runs past the end of the input. Parsing never allocates
// more than the number of TLVs actually present and never copies values (they point into the
// input).
#pragma once

#include <cstdint>
#include <vector>

#include "onecard/protocol/bytes.h"
#include "onecard/protocol/status.h"

namespace onecard {

struct Tlv {
  uint32_t tag = 0;
  ByteSpan value;  // points into the parsed input
  // Bit 6 of the first tag byte: the value is itself a sequence of TLVs.
  bool constructed() const;
};

// True when bit 6 of the first byte of `tag` is set.
bool TlvTagIsConstructed(uint32_t tag);

// Appends tag, length and value. Precondition: `tag` is a valid 1–3 byte tag and
// value.size() <= 0xFFFF (checked; a violation is a bug and aborts).
void AppendTlv(Bytes& out, uint32_t tag, ByteSpan value);
Bytes EncodeTlv(uint32_t tag, ByteSpan value);

// Parses the TLV at the start of `in`; `*consumed` receives the bytes it occupies.
// kInvalidArgument (with a message naming the problem) when malformed or truncated.
Result<Tlv> ParseTlv(ByteSpan in, size_t* consumed);

// Parses a sequence of TLVs that exactly fills `in` (empty input → empty sequence).
Result<std::vector<Tlv>> ParseTlvSequence(ByteSpan in);

// Size of the whole TLV whose first bytes are `prefix` (tag + length fields), or kInvalidArgument
// when the prefix is malformed, or kFailedPrecondition when it is too short to tell.
Result<size_t> TlvTotalSize(ByteSpan prefix);

}  // namespace onecard
