// The server's TLS configuration: TLS 1.3 only, the server's certificate and key, and mandatory
// client certificates issued by the server's CA (the only trust anchor; the system store is not
// used). No session tickets: every connection presents and verifies its certificate again, so a
// revocation takes effect at the terminal's next connection.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "onecard/protocol/status.h"

namespace onecard::server {

// kInvalidArgument when a PEM does not parse or the key does not match the certificate.
// `key_pem` is a secret; the caller wipes it.
Result<std::unique_ptr<boost::asio::ssl::context>> MakeServerTlsContext(const std::string& ca_cert_pem,
                                                                        const std::string& cert_pem,
                                                                        const std::string& key_pem);

}  // namespace onecard::server
