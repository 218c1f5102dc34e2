#include "onecard/protocol/totp.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

#include "onecard/protocol/status.h"

namespace onecard {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// Base32 value of `c` (either case), or -1.
int Base32Value(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  auto pos = kBase32Alphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

// Percent-encodes everything but RFC 3986 unreserved characters (for the URI's label).
std::string UriComponent(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string Hotp(ByteSpan key, uint64_t counter, int digits) {
  ONECARD_CHECK(digits >= 6 && digits <= 8);
  std::array<uint8_t, 8> message{};
  for (int i = 7; i >= 0; --i, counter >>= 8) message[i] = static_cast<uint8_t>(counter & 0xff);
  std::array<uint8_t, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  ONECARD_CHECK(HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message.data(),
                     message.size(), mac.data(), &mac_size) != nullptr);
  ONECARD_CHECK(mac_size == 20);
  // Dynamic truncation (RFC 4226 section 5.3).
  const int offset = mac[19] & 0x0f;
  uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7f) << 24) |
                    (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                    (static_cast<uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  return std::string(static_cast<size_t>(digits) - code.size(), '0') + code;
}

uint64_t TotpStep(int64_t unix_seconds) {
  return unix_seconds < 0 ? 0 : static_cast<uint64_t>(unix_seconds) / kTotpStepSeconds;
}

std::string Totp(ByteSpan key, int64_t unix_seconds, int digits) {
  return Hotp(key, TotpStep(unix_seconds), digits);
}

std::optional<uint64_t> MatchTotp(ByteSpan key, std::string_view code, int64_t unix_seconds,
                                  int window) {
  if (code.size() != static_cast<size_t>(kTotpDigits)) return std::nullopt;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const uint64_t now = TotpStep(unix_seconds);
  std::optional<uint64_t> found;
  // Every candidate is computed and compared, so the time taken does not tell which matched.
  for (int delta = window; delta >= -window; --delta) {
    if (delta < 0 && now < static_cast<uint64_t>(-delta)) continue;
    const uint64_t step = now + static_cast<uint64_t>(static_cast<int64_t>(delta));
    const std::string expected = Hotp(key, step);
    if (CRYPTO_memcmp(expected.data(), code.data(), expected.size()) == 0 && !found) found = step;
  }
  return found;
}

std::string Base32Encode(ByteSpan data) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t byte : data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += kBase32Alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

std::optional<Bytes> Base32Decode(std::string_view text) {
  Bytes out;
  uint32_t buffer = 0;
  int bits = 0;
  size_t symbols = 0;
  for (char c : text) {
    if (c == ' ' || c == '=') continue;
    int value = Base32Value(c);
    if (value < 0) return std::nullopt;
    ++symbols;
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<uint8_t>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  // Lengths mod 8 of 1, 3 and 6 symbols are never produced by an encoder.
  const size_t tail = symbols % 8;
  if (tail == 1 || tail == 3 || tail == 6) return std::nullopt;
  return out;
}

std::string TotpUri(std::string_view account_name, ByteSpan key) {
  return "otpauth://totp/OneCard:" + UriComponent(account_name) + "?secret=" + Base32Encode(key) +
         "&issuer=OneCard&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpStepSeconds);
}

}  // namespace onecard
