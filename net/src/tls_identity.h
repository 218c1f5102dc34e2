// Loading a TLS endpoint's own certificate chain and private key into a context: shared by the
// sync server's context and the HTTPS context, so both refuse bad PEM text with the same messages.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <string>

#include "onecard/protocol/status.h"

namespace onecard::net {

// Installs `cert_chain_pem` (leaf first) and `key_pem` and checks that they belong together.
// kInvalidArgument naming `what` (e.g. Tr("HTTPS", "HTTPS")) and the library's reason when a PEM
// does not parse or the key does not match the certificate. Does not keep `key_pem`.
Status UseCertificateAndKey(boost::asio::ssl::context& ctx, const std::string& cert_chain_pem,
                            const std::string& key_pem, const std::string& what_zh,
                            const std::string& what_en);

}  // namespace onecard::net
