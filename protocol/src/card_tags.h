// The TLV tags of the card formats, as card.md lays them out: the sealed record of a slot and the
// signer certificate it embeds (the record carries the certificate whole, 7F21 and all; both are
// signed under 5F37).
#pragma once

#include <cstdint>

namespace onecard::card_tags {

// Sealed record (card.md, "Sealed record"), in this order.
inline constexpr uint32_t kRecord = 0x70;
inline constexpr uint32_t kFormatVersion = 0x80;
inline constexpr uint32_t kSerial = 0x81;
inline constexpr uint32_t kWriteCounter = 0x82;
inline constexpr uint32_t kKeyVersion = 0x83;
inline constexpr uint32_t kWrittenAt = 0x84;
// ... then the signer certificate (kCertificate), then:
inline constexpr uint32_t kCiphertext = 0x85;

// Signer certificate (card.md, "Signer certificate"), in this order; kSignature ends both.
inline constexpr uint32_t kCertificate = 0x7F21;
inline constexpr uint32_t kCertificateBody = 0x7F4E;
inline constexpr uint32_t kProfile = 0x5F29;  // its profile version
inline constexpr uint32_t kHolder = 0x5F20;
inline constexpr uint32_t kPublicPoint = 0x86;
inline constexpr uint32_t kNotAfter = 0x5F24;
inline constexpr uint32_t kSignature = 0x5F37;

}  // namespace onecard::card_tags
