#include "onecard/protocol/pki.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <memory>

#include "onecard/protocol/i18n.h"
#include "openssl_owned.h"

namespace onecard {
namespace {

// Longest CN X.509 allows (ub-common-name).
constexpr size_t kMaxCommonName = 64;

Status BadInput(const std::string& zh, const std::string& en) {
  ERR_clear_error();
  return Status(ErrorCode::kInvalidArgument, Tr(zh, en));
}

Result<Owned<X509>> ParseCertificate(std::string_view pem) {
  Owned<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  ONECARD_CHECK(bio != nullptr);
  X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (cert == nullptr) return BadInput("证书格式无效", "invalid certificate");
  return Owned<X509>(cert);
}

std::string CertificateToPem(X509* cert) {
  Owned<BIO> bio(BIO_new(BIO_s_mem()));
  ONECARD_CHECK(bio != nullptr && PEM_write_bio_X509(bio.get(), cert) == 1);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

// Version 3, random positive 128-bit serial, validity from one hour ago for `valid_days`,
// subject CN, public key of `key`.
Owned<X509> NewCertificate(const EcKey& key, const std::string& common_name, int valid_days) {
  Owned<X509> cert(X509_new());
  ONECARD_CHECK(cert != nullptr);
  ONECARD_CHECK(X509_set_version(cert.get(), X509_VERSION_3) == 1);
  Owned<BIGNUM> serial(BN_new());
  ONECARD_CHECK(serial != nullptr);
  ONECARD_CHECK(BN_rand(serial.get(), 128, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1);
  BN_set_negative(serial.get(), 0);
  ONECARD_CHECK(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr);
  ONECARD_CHECK(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr);
  ONECARD_CHECK(X509_time_adj_ex(X509_getm_notAfter(cert.get()), valid_days, 0, nullptr) !=
                nullptr);
  X509_NAME* name = X509_get_subject_name(cert.get());
  ONECARD_CHECK(
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) == 1);
  ONECARD_CHECK(X509_set_pubkey(cert.get(), key.get()) == 1);
  return cert;
}

// Adds an extension given in OpenSSL's configuration syntax. `value` is always a constant of
// this file (never outside text), so a failure is a bug.
void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  Owned<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  ONECARD_CHECK(ext != nullptr);
  ONECARD_CHECK(X509_add_ext(cert, ext.get(), -1) == 1);
}

// subjectAltName built as GENERAL_NAMES (not as configuration text) so that no name can inject
// further entries.
Status AddSubjectAltNames(X509* cert, const CertificateProfile& profile) {
  if (profile.dns_names.empty() && profile.ip_addresses.empty()) return Status::Ok();
  Owned<GENERAL_NAMES> names(sk_GENERAL_NAME_new_null());
  ONECARD_CHECK(names != nullptr);
  for (const std::string& dns : profile.dns_names) {
    if (dns.empty() || dns.size() > 253 || dns.find('\0') != std::string::npos) {
      return BadInput("证书域名无效：" + dns, "invalid certificate DNS name: " + dns);
    }
    ASN1_IA5STRING* text = ASN1_IA5STRING_new();
    ONECARD_CHECK(text != nullptr &&
                  ASN1_STRING_set(text, dns.data(), static_cast<int>(dns.size())) == 1);
    GENERAL_NAME* name = GENERAL_NAME_new();
    ONECARD_CHECK(name != nullptr);
    GENERAL_NAME_set0_value(name, GEN_DNS, text);
    ONECARD_CHECK(sk_GENERAL_NAME_push(names.get(), name) > 0);
  }
  for (const std::string& ip : profile.ip_addresses) {
    ASN1_OCTET_STRING* address = a2i_IPADDRESS(ip.c_str());
    if (address == nullptr || ip.find('\0') != std::string::npos) {
      ASN1_OCTET_STRING_free(address);
      return BadInput("证书 IP 地址无效：" + ip, "invalid certificate IP address: " + ip);
    }
    GENERAL_NAME* name = GENERAL_NAME_new();
    ONECARD_CHECK(name != nullptr);
    GENERAL_NAME_set0_value(name, GEN_IPADD, address);
    ONECARD_CHECK(sk_GENERAL_NAME_push(names.get(), name) > 0);
  }
  ONECARD_CHECK(X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) ==
                1);
  return Status::Ok();
}

}  // namespace

std::string CreateCaCertificate(const EcKey& ca_key, const std::string& common_name,
                                int valid_days) {
  ONECARD_CHECK(ca_key.has_private() && valid_days > 0);
  Owned<X509> cert = NewCertificate(ca_key, common_name, valid_days);
  ONECARD_CHECK(X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) == 1);
  AddExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  AddExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  ONECARD_CHECK(X509_sign(cert.get(), ca_key.get(), EVP_sha256()) > 0);
  return CertificateToPem(cert.get());
}

Result<std::string> IssueCertificate(const EcKey& ca_key, std::string_view ca_cert_pem,
                                     const EcKey& subject_key, const CertificateProfile& profile) {
  ONECARD_CHECK(ca_key.has_private() && subject_key.valid());
  ASSIGN_OR_RETURN(Owned<X509> ca_cert, ParseCertificate(ca_cert_pem));
  if (X509_check_private_key(ca_cert.get(), ca_key.get()) != 1) {
    return BadInput("CA 私钥与 CA 证书不匹配", "the CA key does not match the CA certificate");
  }
  if (profile.common_name.empty() || profile.common_name.size() > kMaxCommonName) {
    return BadInput("证书名称（CN）须为 1 至 64 字节",
                    "certificate common name must be 1 to 64 bytes");
  }
  if (profile.valid_days <= 0) {
    return BadInput("证书有效天数须为正数",
                    "certificate validity must be a positive number of days");
  }
  Owned<X509> cert = NewCertificate(subject_key, profile.common_name, profile.valid_days);
  ONECARD_CHECK(X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get())) == 1);
  AddExtension(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature");
  if (profile.for_server && profile.for_client) {
    AddExtension(cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth,clientAuth");
  } else if (profile.for_server) {
    AddExtension(cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth");
  } else if (profile.for_client) {
    AddExtension(cert.get(), ca_cert.get(), NID_ext_key_usage, "clientAuth");
  }
  RETURN_IF_ERROR(AddSubjectAltNames(cert.get(), profile));
  AddExtension(cert.get(), ca_cert.get(), NID_subject_key_identifier, "hash");
  AddExtension(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always");
  ONECARD_CHECK(X509_sign(cert.get(), ca_key.get(), EVP_sha256()) > 0);
  return CertificateToPem(cert.get());
}

Result<std::string> CertificateCommonName(std::string_view cert_pem) {
  ASSIGN_OR_RETURN(Owned<X509> cert, ParseCertificate(cert_pem));
  X509_NAME* subject = X509_get_subject_name(cert.get());
  int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index < 0) return BadInput("证书没有名称（CN）", "the certificate has no common name");
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, data);
  if (n < 0)
    return BadInput("证书名称（CN）编码无效", "the certificate common name is badly encoded");
  std::string name(reinterpret_cast<const char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return name;
}

Result<EcKey> CertificatePublicKey(std::string_view cert_pem) {
  ASSIGN_OR_RETURN(Owned<X509> cert, ParseCertificate(cert_pem));
  EVP_PKEY* pkey = X509_get_pubkey(cert.get());  // a new reference
  if (pkey == nullptr || EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC) {
    EVP_PKEY_free(pkey);
    return BadInput("证书公钥不是 EC 密钥", "the certificate's public key is not an EC key");
  }
  return EcKey(pkey);
}

Status VerifyCertificate(std::string_view ca_cert_pem, std::string_view cert_pem,
                         CertificatePurpose purpose) {
  ASSIGN_OR_RETURN(Owned<X509> ca_cert, ParseCertificate(ca_cert_pem));
  ASSIGN_OR_RETURN(Owned<X509> cert, ParseCertificate(cert_pem));
  Owned<X509_STORE> store(X509_STORE_new());
  Owned<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  ONECARD_CHECK(store != nullptr && ctx != nullptr);
  ONECARD_CHECK(X509_STORE_add_cert(store.get(), ca_cert.get()) == 1);
  ONECARD_CHECK(X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr) == 1);
  if (purpose != CertificatePurpose::kAny) {
    int id =
        purpose == CertificatePurpose::kServer ? X509_PURPOSE_SSL_SERVER : X509_PURPOSE_SSL_CLIENT;
    ONECARD_CHECK(X509_STORE_CTX_set_purpose(ctx.get(), id) == 1);
  }
  if (X509_verify_cert(ctx.get()) != 1) {
    std::string reason = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
    ERR_clear_error();
    return Status(ErrorCode::kUnauthenticated,
                  Tr("证书验证失败：" + reason, "certificate verification failed: " + reason));
  }
  return Status::Ok();
}

}  // namespace onecard
