// Byte strings and their text forms.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "onecard/protocol/status.h"

namespace onecard {

using Bytes = std::vector<uint8_t>;
using ByteSpan = std::span<const uint8_t>;

inline ByteSpan AsBytes(std::string_view s) {
  return ByteSpan(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
inline std::string ToString(ByteSpan b) { return std::string(b.begin(), b.end()); }

std::string HexEncode(ByteSpan data);           // lower case, no separators
Result<Bytes> HexDecode(std::string_view hex);  // accepts upper and lower case, no separators

std::string Base64Encode(ByteSpan data);
Result<Bytes> Base64Decode(std::string_view text);

// Big-endian fixed-width integers.
void AppendU16(Bytes& out, uint16_t v);
void AppendU32(Bytes& out, uint32_t v);
void AppendU64(Bytes& out, uint64_t v);
uint16_t ReadU16(ByteSpan in);  // precondition: in.size() >= 2
uint32_t ReadU32(ByteSpan in);  // precondition: in.size() >= 4
uint64_t ReadU64(ByteSpan in);  // precondition: in.size() >= 8

}  // namespace onecard
