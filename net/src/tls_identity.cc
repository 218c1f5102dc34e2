#include "tls_identity.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/buffer.hpp>

#include "onecard/net/asio_status.h"
#include "onecard/protocol/i18n.h"

namespace onecard::net {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;

Status UseCertificateAndKey(ssl::context& ctx, const std::string& cert_chain_pem,
                            const std::string& key_pem, const std::string& what_zh,
                            const std::string& what_en) {
  auto bad = [](const std::string& zh, const std::string& en, const boost::system::error_code& ec) {
    ERR_clear_error();
    return Status(ErrorCode::kInvalidArgument, Tr(zh, en) + " (" + DescribeAsioError(ec) + ")");
  };
  boost::system::error_code ec;
  ctx.use_certificate_chain(asio::buffer(cert_chain_pem), ec);
  if (ec) return bad(what_zh + "证书无效", "invalid " + what_en + " certificate", ec);
  ctx.use_private_key(asio::buffer(key_pem), ssl::context::pem, ec);
  if (ec) return bad(what_zh + "私钥无效", "invalid " + what_en + " private key", ec);
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1) {
    ERR_clear_error();
    return Status(
        ErrorCode::kInvalidArgument,
        Tr(what_zh + "私钥与证书不匹配", "the " + what_en + " key does not match its certificate"));
  }
  return Status::Ok();
}

}  // namespace onecard::net
