// Cryptographic primitives OneCard uses, over OpenSSL 3. OpenSSL errors are translated to Status
// here and nowhere else in this module.
//
// Choices: AES-256-GCM for data at rest outside SQLCipher and on cards (authenticated, so a changed
// byte is detected), ECDSA P-256 with SHA-256 for signatures (64-byte raw r||s form, compact for
// cards), PBKDF2-HMAC-SHA512 for passphrases. How cards use them: protocol/docs/card.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "onecard/platform/secret_wipe.h"
#include "onecard/protocol/bytes.h"
#include "onecard/protocol/status.h"

typedef struct evp_pkey_st EVP_PKEY;
typedef struct evp_mac_ctx_st EVP_MAC_CTX;

namespace onecard {

// A byte buffer for keys and passphrases; wiped (OPENSSL_cleanse) when destroyed. Move-only.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t n) : data_(n) {}
  explicit SecretBytes(Bytes data) : data_(std::move(data)) {}
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& other) noexcept : data_(std::move(other.data_)) { other.data_.clear(); }
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  ~SecretBytes();

  uint8_t* data() { return data_.data(); }
  const uint8_t* data() const { return data_.data(); }
  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  ByteSpan span() const { return ByteSpan(data_); }
  SecretBytes Copy() const { return SecretBytes(Bytes(data_)); }

 private:
  Bytes data_;
};

// Wipes a std::string that held a secret (onecard/platform/secret_wipe.h).
using platform::WipeString;

// Cryptographically secure random bytes. Aborts if the system RNG fails (no safe fallback).
Bytes RandomBytes(size_t n);
SecretBytes RandomSecret(size_t n);

// Whether two secrets (tokens, codes) are equal, in time that does not depend on where they differ
// (their lengths are not secret).
bool SecretsEqual(std::string_view a, std::string_view b);

Bytes Sha256(ByteSpan data);
// HMAC-SHA256 of `data` under `key` (32 bytes).
Bytes HmacSha256(const SecretBytes& key, ByteSpan data);

// HMAC-SHA256 under one key, for many messages: OpenSSL's algorithm lookups and the key schedule
// are done once, each Mac copies the prepared state (HmacSha256 pays both on every call; measured
// as 7% of the server's locked ingest work when each stored child paid them). Move-only; Mac may be
// called from several threads at once.
class HmacSha256Key {
 public:
  explicit HmacSha256Key(const SecretBytes& key);
  HmacSha256Key(HmacSha256Key&&) noexcept = default;
  HmacSha256Key& operator=(HmacSha256Key&&) noexcept = default;

  Bytes Mac(ByteSpan data) const;  // 32 bytes

 private:
  struct Free {
    void operator()(EVP_MAC_CTX* p) const;
  };
  std::unique_ptr<EVP_MAC_CTX, Free> keyed_;  // initialised with the key, never updated
};

inline constexpr size_t kAeadKeySize = 32;
inline constexpr size_t kAeadNonceSize = 12;
inline constexpr size_t kAeadTagSize = 16;
inline constexpr size_t kAeadOverhead = kAeadNonceSize + kAeadTagSize;

// AES-256-GCM with a random nonce. Output: nonce(12) || ciphertext || tag(16).
Result<Bytes> AeadSeal(const SecretBytes& key, ByteSpan aad, ByteSpan plaintext);
// Inverse of AeadSeal; kTampered when the tag does not verify (wrong key, altered data or aad).
Result<SecretBytes> AeadOpen(const SecretBytes& key, ByteSpan aad, ByteSpan sealed);

// PBKDF2-HMAC-SHA512. `iterations` >= 1; OneCard uses kPassphraseIterations for passphrases.
inline constexpr uint32_t kPassphraseIterations = 310'000;
SecretBytes DerivePassphraseKey(std::string_view passphrase, ByteSpan salt, uint32_t iterations,
                                size_t key_size = kAeadKeySize);

// An ECDSA P-256 key (private, or public only). Move-only owner of an EVP_PKEY.
class EcKey {
 public:
  EcKey() = default;
  explicit EcKey(EVP_PKEY* pkey) : pkey_(pkey) {}  // takes ownership
  EcKey(EcKey&&) noexcept = default;
  EcKey& operator=(EcKey&&) noexcept = default;

  static EcKey Generate();
  // PKCS#8 PEM private key.
  static Result<EcKey> FromPrivatePem(std::string_view pem);
  // SubjectPublicKeyInfo PEM.
  static Result<EcKey> FromPublicPem(std::string_view pem);
  // Uncompressed SEC1 point (65 bytes, 0x04 || X || Y).
  static Result<EcKey> FromPublicPoint(ByteSpan point);

  bool valid() const { return pkey_ != nullptr; }
  bool has_private() const;
  // The private key as PKCS#8 PEM; precondition: has_private(). The string holds a secret.
  std::string PrivatePem() const;
  std::string PublicPem() const;
  Bytes PublicPoint() const;

  // ECDSA over SHA-256(data), 64-byte r||s. Precondition: has_private().
  Bytes Sign(ByteSpan data) const;
  // True when `signature` (64-byte r||s) is a valid signature of data by this key.
  bool Verify(ByteSpan data, ByteSpan signature) const;

  EVP_PKEY* get() const { return pkey_.get(); }

 private:
  struct Free {
    void operator()(EVP_PKEY* p) const;
  };
  std::unique_ptr<EVP_PKEY, Free> pkey_;
};

// The text of the most recent OpenSSL error on this thread (and clears the queue).
std::string OpenSslErrorText();

}  // namespace onecard
