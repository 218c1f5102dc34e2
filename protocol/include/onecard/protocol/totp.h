// One-time passwords for the second factor of the officials' accounts: HOTP (RFC 4226) and TOTP
// (RFC 6238) with HMAC-SHA1, 30-second steps and 6 digits, as every authenticator application
// (Google Authenticator, Microsoft Authenticator, FreeOTP, 腾讯身份验证器) computes them; Base32
// (RFC 4648) for the secret people type or scan, and the otpauth:// URI of the QR code.
//
// Pure functions over OpenSSL's HMAC; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "onecard/protocol/bytes.h"
#include "onecard/protocol/crypto.h"

namespace onecard {

inline constexpr int kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;
inline constexpr size_t kTotpSecretBytes = 20;  // 160 bits, RFC 4226's recommendation

// HOTP(key, counter) truncated to `digits` decimal digits (6–8), zero-padded.
std::string Hotp(ByteSpan key, uint64_t counter, int digits = kTotpDigits);

// The RFC 6238 time step of `unix_seconds` (floor(t / 30)); negative times give step 0.
uint64_t TotpStep(int64_t unix_seconds);

// TOTP at `unix_seconds`: Hotp(key, TotpStep(unix_seconds), digits).
std::string Totp(ByteSpan key, int64_t unix_seconds, int digits = kTotpDigits);

// The step whose code equals `code`, among the step of `unix_seconds` and the `window` steps
// either side of it (clocks of phones drift), newest first; nullopt when none matches or `code`
// is not `kTotpDigits` ASCII digits. Codes are compared in constant time.
std::optional<uint64_t> MatchTotp(ByteSpan key, std::string_view code, int64_t unix_seconds,
                                  int window = 1);

// RFC 4648 Base32, upper case, without padding ("JBSWY3DPEHPK3PXP").
std::string Base32Encode(ByteSpan data);
// Accepts upper or lower case, spaces and '=' padding (as people type it); nullopt on any other
// character or a length no encoding produces.
std::optional<Bytes> Base32Decode(std::string_view text);

// "otpauth://totp/OneCard:NAME?secret=BASE32&issuer=OneCard&algorithm=SHA1&digits=6&period=30".
std::string TotpUri(std::string_view account_name, ByteSpan key);

}  // namespace onecard
