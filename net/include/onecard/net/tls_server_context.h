// The sync server's TLS configuration: TLS 1.3 only, the server's certificate and key, and
// mandatory client certificates issued by the server's CA (the only trust anchor; the system store
// is not used). No session tickets: every connection presents and verifies its certificate again,
// so a revocation takes effect at the terminal's next connection: a client certificate whose
// subject CN `is_revoked` names fails verification with X509_V_ERR_CERT_REVOKED, and the handshake
// ends with the TLS alert certificate_revoked (protocol/docs/sync.md, "Authentication").
#pragma once

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "onecard/protocol/status.h"

namespace onecard::net {

// Whether the terminal with this id (a certificate's subject CN) is revoked. Called on I/O threads
// during handshakes, possibly several at once: it must be thread-safe, and whatever it refers to
// must outlive the context.
using IsRevokedTerminal = std::function<bool(std::string_view terminal_id)>;

// kInvalidArgument when a PEM does not parse or the key does not match the certificate.
// `key_pem` is a secret; the caller wipes it.
Result<std::unique_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const std::string& ca_cert_pem, const std::string& cert_pem, const std::string& key_pem,
    IsRevokedTerminal is_revoked);

// After a failed server handshake on `ssl`: the terminal id whose certificate was refused as
// revoked, or "" when the handshake failed for another reason.
std::string RevokedPeerTerminal(SSL* ssl);

}  // namespace onecard::net
