// The terminal's TLS configuration and the translation of Asio/OpenSSL errors into Status (the one
// place in the terminal library where that happens). Internal to the terminal library.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <memory>
#include <string>

#include "onecard/protocol/status.h"
#include "onecard/terminal/sync_client.h"

namespace onecard::terminal {

// TLS 1.3 only; trusts only endpoint.ca_cert_pem; presents endpoint.cert_pem/key_pem when given
// (a client without a certificate is useful only to test that the server refuses it).
// kInvalidArgument when a PEM does not parse or the key does not match the certificate.
Result<std::unique_ptr<boost::asio::ssl::context>> MakeClientTlsContext(const SyncEndpoint& endpoint);

// `what` names the operation. TLS protocol and certificate failures are kUnauthenticated,
// connection loss and refusal kUnavailable, `deadline_expired` kDeadlineExceeded, other OS
// errors kIoError.
Status StatusFromAsio(const boost::system::error_code& ec, const std::string& what, bool deadline_expired = false);

}  // namespace onecard::terminal
