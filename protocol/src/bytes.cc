#include "onecard/protocol/bytes.h"

#include <openssl/evp.h>

#include "onecard/protocol/i18n.h"

namespace onecard {

std::string HexEncode(ByteSpan data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (uint8_t b : data) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

Result<Bytes> HexDecode(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("十六进制串长度为奇数", "hex string has odd length"));
  }
  Bytes out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = nibble(hex[2 * i]);
    int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return Status(ErrorCode::kInvalidArgument,
                    Tr("十六进制串含非法字符", "hex string has a non-hex character"));
    }
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string Base64Encode(ByteSpan data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(),
                          static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<Bytes> Base64Decode(std::string_view text) {
  auto bad = [] {
    return Status(ErrorCode::kInvalidArgument, Tr("Base64 编码无效", "invalid base64 text"));
  };
  if (text.size() % 4 != 0) return bad();
  Bytes out(text.size() / 4 * 3);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return bad();
  size_t len = static_cast<size_t>(n);
  // EVP_DecodeBlock counts padding as zero bytes; remove them.
  if (!text.empty() && text.back() == '=') --len;
  if (text.size() >= 2 && text[text.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

void AppendU16(Bytes& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}
void AppendU32(Bytes& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(v >> s));
}
void AppendU64(Bytes& out, uint64_t v) {
  for (int s = 56; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(v >> s));
}
uint16_t ReadU16(ByteSpan in) { return static_cast<uint16_t>(in[0] << 8 | in[1]); }
uint32_t ReadU32(ByteSpan in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = v << 8 | in[static_cast<size_t>(i)];
  return v;
}
uint64_t ReadU64(ByteSpan in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | in[static_cast<size_t>(i)];
  return v;
}

}  // namespace onecard
