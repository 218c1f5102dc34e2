#include "onecard/protocol/crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "onecard/protocol/i18n.h"
#include "openssl_owned.h"

namespace onecard {
namespace {

Status CryptoError(const std::string& what) {
  return Status(ErrorCode::kInternal, what + ": " + OpenSslErrorText());
}

// Reads an EC key from `pem` with `read` (PEM_read_bio_PrivateKey or PEM_read_bio_PUBKEY); anything
// else is kInvalidArgument with the message `zh` / `en`. The caller owns the key returned.
Result<EVP_PKEY*> ReadEcPem(std::string_view pem,
                            EVP_PKEY* (*read)(BIO*, EVP_PKEY**, pem_password_cb*, void*),
                            const char* zh, const char* en) {
  Owned<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* pkey = read(bio.get(), nullptr, nullptr, nullptr);
  if (pkey == nullptr || EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC) {
    EVP_PKEY_free(pkey);
    ERR_clear_error();
    return Status(ErrorCode::kInvalidArgument, Tr(zh, en));
  }
  return pkey;
}

std::string BioToString(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

}  // namespace

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    if (!data_.empty()) OPENSSL_cleanse(data_.data(), data_.size());
    data_ = std::move(other.data_);
    other.data_.clear();
  }
  return *this;
}

SecretBytes::~SecretBytes() {
  if (!data_.empty()) OPENSSL_cleanse(data_.data(), data_.size());
}

std::string OpenSslErrorText() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof(buf));
  return buf;
}

Bytes RandomBytes(size_t n) {
  Bytes out(n);
  ONECARD_CHECK(RAND_bytes(out.data(), static_cast<int>(n)) == 1);
  return out;
}

bool SecretsEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

SecretBytes RandomSecret(size_t n) {
  SecretBytes out(n);
  ONECARD_CHECK(RAND_bytes(out.data(), static_cast<int>(n)) == 1);
  return out;
}

Bytes Sha256(ByteSpan data) {
  Bytes out(32);
  unsigned int len = 0;
  ONECARD_CHECK(EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) == 1);
  return out;
}

Bytes HmacSha256(const SecretBytes& key, ByteSpan data) { return HmacSha256Key(key).Mac(data); }

void HmacSha256Key::Free::operator()(EVP_MAC_CTX* p) const { EVP_MAC_CTX_free(p); }

HmacSha256Key::HmacSha256Key(const SecretBytes& key) {
  EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  ONECARD_CHECK(hmac != nullptr);
  keyed_.reset(EVP_MAC_CTX_new(hmac));  // holds its own reference to the algorithm
  EVP_MAC_free(hmac);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  ONECARD_CHECK(keyed_ != nullptr &&
                EVP_MAC_init(keyed_.get(), key.data(), key.size(), params) == 1);
}

Bytes HmacSha256Key::Mac(ByteSpan data) const {
  std::unique_ptr<EVP_MAC_CTX, Free> ctx(EVP_MAC_CTX_dup(keyed_.get()));
  Bytes out(32);
  size_t len = 0;
  ONECARD_CHECK(ctx != nullptr && EVP_MAC_update(ctx.get(), data.data(), data.size()) == 1 &&
                EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) == 1 && len == out.size());
  return out;
}

Result<Bytes> AeadSeal(const SecretBytes& key, ByteSpan aad, ByteSpan plaintext) {
  ONECARD_CHECK(key.size() == kAeadKeySize);
  Bytes out = RandomBytes(kAeadNonceSize);
  out.resize(kAeadNonceSize + plaintext.size() + kAeadTagSize);
  Owned<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), out.data()) != 1 ||
      (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(),
                                         static_cast<int>(aad.size())) != 1) ||
      EVP_EncryptUpdate(ctx.get(), out.data() + kAeadNonceSize, &len, plaintext.data(),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + kAeadNonceSize + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kAeadTagSize,
                          out.data() + kAeadNonceSize + plaintext.size()) != 1) {
    return CryptoError("AES-GCM encrypt");
  }
  return out;
}

Result<SecretBytes> AeadOpen(const SecretBytes& key, ByteSpan aad, ByteSpan sealed) {
  ONECARD_CHECK(key.size() == kAeadKeySize);
  if (sealed.size() < kAeadOverhead) {
    return Status(ErrorCode::kTampered, Tr("密文过短", "ciphertext too short"));
  }
  size_t n = sealed.size() - kAeadOverhead;
  SecretBytes out(n);
  Owned<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  Bytes tag(sealed.end() - kAeadTagSize, sealed.end());
  if (!ctx ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), sealed.data()) != 1 ||
      (!aad.empty() && EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(),
                                         static_cast<int>(aad.size())) != 1) ||
      EVP_DecryptUpdate(ctx.get(), out.data(), &len, sealed.data() + kAeadNonceSize,
                        static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kAeadTagSize, tag.data()) != 1) {
    return CryptoError("AES-GCM decrypt");
  }
  if (EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &len) != 1) {
    ERR_clear_error();
    return Status(ErrorCode::kTampered, Tr("数据认证失败（密钥错误或数据被篡改）",
                                           "authentication failed (wrong key or altered data)"));
  }
  return out;
}

SecretBytes DerivePassphraseKey(std::string_view passphrase, ByteSpan salt, uint32_t iterations,
                                size_t key_size) {
  SecretBytes out(key_size);
  ONECARD_CHECK(PKCS5_PBKDF2_HMAC(passphrase.data(), static_cast<int>(passphrase.size()),
                                  salt.data(), static_cast<int>(salt.size()),
                                  static_cast<int>(iterations), EVP_sha512(),
                                  static_cast<int>(key_size), out.data()) == 1);
  return out;
}

void EcKey::Free::operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }

EcKey EcKey::Generate() {
  EVP_PKEY* pkey = EVP_EC_gen("P-256");
  ONECARD_CHECK(pkey != nullptr);
  return EcKey(pkey);
}

Result<EcKey> EcKey::FromPrivatePem(std::string_view pem) {
  ASSIGN_OR_RETURN(auto pkey,
                   ReadEcPem(pem, PEM_read_bio_PrivateKey, "私钥格式无效", "invalid private key"));
  return EcKey(pkey);
}

Result<EcKey> EcKey::FromPublicPem(std::string_view pem) {
  ASSIGN_OR_RETURN(auto pkey,
                   ReadEcPem(pem, PEM_read_bio_PUBKEY, "公钥格式无效", "invalid public key"));
  return EcKey(pkey);
}

Result<EcKey> EcKey::FromPublicPoint(ByteSpan point) {
  auto bad = [] {
    return Status(ErrorCode::kInvalidArgument, Tr("公钥点无效", "invalid public key point"));
  };
  if (point.size() != 65 || point[0] != 0x04) return bad();
  Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>("prime256v1"),
                                       0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<uint8_t*>(point.data()),
                                        point.size()),
      OSSL_PARAM_construct_end()};
  EVP_PKEY* pkey = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    ERR_clear_error();
    return bad();
  }
  // fromdata does not check that the point is on the curve.
  Owned<EVP_PKEY_CTX> check(EVP_PKEY_CTX_new(pkey, nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    EVP_PKEY_free(pkey);
    ERR_clear_error();
    return bad();
  }
  return EcKey(pkey);
}

bool EcKey::has_private() const {
  BIGNUM* priv = nullptr;
  if (!pkey_ || EVP_PKEY_get_bn_param(pkey_.get(), OSSL_PKEY_PARAM_PRIV_KEY, &priv) != 1) {
    ERR_clear_error();
    return false;
  }
  BN_clear_free(priv);
  return true;
}

std::string EcKey::PrivatePem() const {
  Owned<BIO> bio(BIO_new(BIO_s_mem()));
  ONECARD_CHECK(
      PEM_write_bio_PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1);
  return BioToString(bio.get());
}

std::string EcKey::PublicPem() const {
  Owned<BIO> bio(BIO_new(BIO_s_mem()));
  ONECARD_CHECK(PEM_write_bio_PUBKEY(bio.get(), pkey_.get()) == 1);
  return BioToString(bio.get());
}

Bytes EcKey::PublicPoint() const {
  Bytes out(65);
  size_t len = 0;
  ONECARD_CHECK(EVP_PKEY_get_octet_string_param(pkey_.get(), OSSL_PKEY_PARAM_PUB_KEY, out.data(),
                                                out.size(), &len) == 1);
  out.resize(len);
  return out;
}

Bytes EcKey::Sign(ByteSpan data) const {
  Owned<EVP_MD_CTX> md(EVP_MD_CTX_new());
  size_t der_len = 0;
  ONECARD_CHECK(md &&
                EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, pkey_.get()) == 1);
  ONECARD_CHECK(EVP_DigestSign(md.get(), nullptr, &der_len, data.data(), data.size()) == 1);
  Bytes der(der_len);
  ONECARD_CHECK(EVP_DigestSign(md.get(), der.data(), &der_len, data.data(), data.size()) == 1);
  const unsigned char* p = der.data();
  Owned<ECDSA_SIG> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len)));
  ONECARD_CHECK(sig != nullptr);
  Bytes raw(64);
  ONECARD_CHECK(BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw.data(), 32) == 32);
  ONECARD_CHECK(BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw.data() + 32, 32) == 32);
  return raw;
}

bool EcKey::Verify(ByteSpan data, ByteSpan signature) const {
  if (signature.size() != 64 || !pkey_) return false;
  Owned<ECDSA_SIG> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(signature.data(), 32, nullptr);
  BIGNUM* s = BN_bin2bn(signature.data() + 32, 32, nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ERR_clear_error();
    return false;
  }
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(sig.get(), &der);
  if (der_len <= 0) {
    ERR_clear_error();
    return false;
  }
  Owned<EVP_MD_CTX> md(EVP_MD_CTX_new());
  bool ok =
      md && EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, pkey_.get()) == 1 &&
      EVP_DigestVerify(md.get(), der, static_cast<size_t>(der_len), data.data(), data.size()) == 1;
  OPENSSL_free(der);
  ERR_clear_error();
  return ok;
}

}  // namespace onecard
