// The terminal's TLS configuration for sync (protocol/docs/sync.md, "Authentication").
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "onecard/protocol/status.h"

namespace onecard::net {

// TLS 1.3 only, no session tickets or resumption; trusts only `ca_cert_pem` (the sync server's
// CA; the system store is not used); presents `cert_pem`/`key_pem` when `cert_pem` is not empty (a
// client without a certificate is useful only to test that the server refuses it).
// kInvalidArgument when the CA is missing, a PEM does not parse or the key does not match the
// certificate. `key_pem` is a secret; the caller wipes it.
Result<std::unique_ptr<boost::asio::ssl::context>> MakeClientTlsContext(
    const std::string& ca_cert_pem, const std::string& cert_pem, const std::string& key_pem);

}  // namespace onecard::net
