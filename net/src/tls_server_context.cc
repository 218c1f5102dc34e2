#include "onecard/net/tls_server_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/verify_context.hpp>
#include <utility>

#include "onecard/net/asio_status.h"
#include "onecard/protocol/i18n.h"
#include "tls_identity.h"

namespace onecard::net {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;

namespace {

void FreeRefusedTerminal(void* /*parent*/, void* ptr, CRYPTO_EX_DATA* /*ad*/, int /*idx*/,
                         long /*argl*/, void* /*argp*/) {
  delete static_cast<std::string*>(ptr);
}

// An SSL ex_data slot holding the refused terminal id (a std::string the SSL object owns).
// Asio keeps its own data in the SSL object's app data, so a slot of our own is used.
int RefusedTerminalIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, &FreeRefusedTerminal);
  ONECARD_CHECK(index >= 0);
  return index;
}

// The subject CN of `cert` ("" when it has none or it is not UTF-8 text).
std::string SubjectCommonName(X509* cert) {
  X509_NAME* name = X509_get_subject_name(cert);
  int at = name == nullptr ? -1 : X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (at < 0) return "";
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at));
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, data);
  if (n < 0) return "";
  std::string cn(reinterpret_cast<const char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return cn;
}

// Runs for each certificate of the client's chain after OpenSSL checked it against the CA. The
// terminal's own certificate (depth 0) is refused when its terminal is revoked.
bool VerifyNotRevoked(const IsRevokedTerminal& is_revoked, bool preverified,
                      ssl::verify_context& verify) {
  X509_STORE_CTX* store_ctx = verify.native_handle();
  if (!preverified || X509_STORE_CTX_get_error_depth(store_ctx) != 0) return preverified;
  X509* cert = X509_STORE_CTX_get_current_cert(store_ctx);
  if (cert == nullptr) return false;
  std::string cn = SubjectCommonName(cert);
  if (!is_revoked(cn)) return true;
  X509_STORE_CTX_set_error(store_ctx,
                           X509_V_ERR_CERT_REVOKED);  // sent as the alert certificate_revoked
  auto* tls = static_cast<SSL*>(
      X509_STORE_CTX_get_ex_data(store_ctx, SSL_get_ex_data_X509_STORE_CTX_idx()));
  if (tls != nullptr) {
    auto* old = static_cast<std::string*>(SSL_get_ex_data(tls, RefusedTerminalIndex()));
    delete old;
    SSL_set_ex_data(tls, RefusedTerminalIndex(), new std::string(std::move(cn)));
  }
  return false;
}

}  // namespace

std::string RevokedPeerTerminal(SSL* tls) {
  auto* id = static_cast<std::string*>(SSL_get_ex_data(tls, RefusedTerminalIndex()));
  return id == nullptr ? std::string() : *id;
}

Result<std::unique_ptr<ssl::context>> MakeServerTlsContext(const std::string& ca_cert_pem,
                                                           const std::string& cert_pem,
                                                           const std::string& key_pem,
                                                           IsRevokedTerminal is_revoked) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  ONECARD_CHECK(SSL_CTX_set_min_proto_version(native, TLS1_3_VERSION) == 1);
  ONECARD_CHECK(SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) == 1);
  SSL_CTX_set_options(native, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
  ONECARD_CHECK(SSL_CTX_set_num_tickets(native, 0) == 1);
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);

  boost::system::error_code ec;
  ctx->add_certificate_authority(asio::buffer(ca_cert_pem), ec);
  if (ec) {
    ERR_clear_error();
    return Status(ErrorCode::kInvalidArgument,
                  Tr("服务器 CA 证书无效", "invalid server CA certificate") + " (" +
                      DescribeAsioError(ec) + ")");
  }
  RETURN_IF_ERROR(UseCertificateAndKey(*ctx, cert_pem, key_pem, "服务器", "server"));
  ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert, ec);
  ONECARD_CHECK(!ec);
  ctx->set_verify_callback(
      [is_revoked = std::move(is_revoked)](bool preverified, ssl::verify_context& verify) {
        return VerifyNotRevoked(is_revoked, preverified, verify);
      },
      ec);
  ONECARD_CHECK(!ec);
  return ctx;
}

}  // namespace onecard::net
