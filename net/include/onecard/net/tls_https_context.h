// The TLS server context for HTTPS (net/http): TLS 1.2 and 1.3 only, forward-secret AEAD cipher
// suites only for TLS 1.2, no compression, no renegotiation, no session tickets (nothing secret
// outlives a connection). Browsers authenticate the server; clients are not asked for certificates.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "onecard/protocol/status.h"

namespace onecard::net {

// From PEM text: the server's certificate chain (leaf first) and its private key, which is wiped
// after use. kInvalidArgument when either does not parse or the key does not match the certificate.
Result<std::unique_ptr<boost::asio::ssl::context>> MakeHttpsContextFromPem(
    const std::string& cert_chain_pem, std::string key_pem);

// As MakeHttpsContextFromPem, reading the two PEM files. kNotFound / kIoError naming the file
// when one cannot be read. The key's text is wiped from memory after use.
Result<std::unique_ptr<boost::asio::ssl::context>> MakeHttpsContext(
    const std::string& cert_chain_file, const std::string& key_file);

}  // namespace onecard::net
