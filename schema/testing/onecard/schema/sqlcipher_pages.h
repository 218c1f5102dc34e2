// Test-only: what someone holding a store's key can read from its files. Every page of a SQLCipher
// 4 database file and every frame of its WAL is decrypted with the raw 32-byte key the stores use
// (schema/src/database.cc: PRAGMA key = "x'<hex>'", no KDF), whatever the page holds: live rows,
// deleted cells, free pages. Erasure tests search the result for an erased child's data
// (PRODUCT.md section 13: nothing recoverable from the files).
//
// SQLCipher 4 defaults: 4096-byte pages, each ending in 80 reserved bytes (a 16-byte IV, then a
// 64-byte HMAC-SHA512); AES-256-CBC over the rest; page 1 begins with the file's 16-byte salt in
// clear, and its encrypted part starts after it. A WAL is a 32-byte header, then frames of a
// 24-byte header (the page number first, big-endian) and one page encrypted as in the file.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace onecard::schema::testing {

inline constexpr size_t kCipherPageSize = 4096;
inline constexpr size_t kCipherReserve = 80;
inline constexpr size_t kCipherSaltSize = 16;

// The plaintext of one encrypted page image (`page`: kCipherPageSize bytes); `first` for page 1.
// Empty when the decryption fails.
inline std::string DecryptCipherPage(std::span<const uint8_t> key, std::string_view page,
                                     bool first) {
  if (key.size() != 32 || page.size() != kCipherPageSize) return {};
  const size_t begin = first ? kCipherSaltSize : 0;
  const size_t end = kCipherPageSize - kCipherReserve;
  const auto* iv = reinterpret_cast<const unsigned char*>(page.data() + end);
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      &EVP_CIPHER_CTX_free);
  std::string out(end - begin, '\0');
  int written = 0, last = 0;
  auto* out_bytes = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key.data(), iv) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_DecryptUpdate(ctx.get(), out_bytes, &written,
                        reinterpret_cast<const unsigned char*>(page.data() + begin),
                        static_cast<int>(end - begin)) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), out_bytes + written, &last) != 1) {
    return {};
  }
  return out;
}

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every page of the database file at `path` and of `path`-wal, decrypted and concatenated.
inline std::string DecryptedStoreFiles(const std::string& path, std::span<const uint8_t> key) {
  std::string plain;
  const std::string file = ReadWholeFile(path);
  for (size_t at = 0; at + kCipherPageSize <= file.size(); at += kCipherPageSize) {
    plain += DecryptCipherPage(key, std::string_view(file).substr(at, kCipherPageSize), at == 0);
  }
  const std::string wal = ReadWholeFile(path + "-wal");
  constexpr size_t kWalHeader = 32, kFrameHeader = 24;
  for (size_t at = kWalHeader; at + kFrameHeader + kCipherPageSize <= wal.size();
       at += kFrameHeader + kCipherPageSize) {
    const auto* h = reinterpret_cast<const uint8_t*>(wal.data() + at);
    const uint32_t page_number =
        uint32_t{h[0]} << 24 | uint32_t{h[1]} << 16 | uint32_t{h[2]} << 8 | uint32_t{h[3]};
    plain += DecryptCipherPage(
        key, std::string_view(wal).substr(at + kFrameHeader, kCipherPageSize), page_number == 1);
  }
  return plain;
}

// The page size and reserved bytes page 1's header gives once decrypted (bytes 16-17 and 20 of
// the plain header, here at 0-1 and 4): 4096 and 80 when `key` opens the file as assumed above.
inline std::pair<uint32_t, uint32_t> DecryptedHeaderLayout(const std::string& path,
                                                           std::span<const uint8_t> key) {
  const std::string file = ReadWholeFile(path);
  if (file.size() < kCipherPageSize) return {0, 0};
  const std::string first =
      DecryptCipherPage(key, std::string_view(file).substr(0, kCipherPageSize), true);
  if (first.size() < 5) return {0, 0};
  return {
      static_cast<uint32_t>(static_cast<uint8_t>(first[0])) << 8 | static_cast<uint8_t>(first[1]),
      static_cast<uint8_t>(first[4])};
}

}  // namespace onecard::schema::testing
