// Translation of Asio and OpenSSL (TLS) error codes into Status: the one place in OneCard where
// that happens, for the terminal and the sync server alike.
#pragma once

#include <boost/system/error_code.hpp>
#include <string>

#include "onecard/protocol/status.h"

namespace onecard::net {

// Which end of a sync connection reports the error. The terminal tells its user about "the sync
// server"; the server's log speaks of "the connection". Only the wording differs, and a refused
// (revoked) certificate is reported as such only to the terminal, whose certificate it is.
enum class Side { kTerminal, kServer };

// `what` names the operation ("TLS handshake", "read", Tr("接收", "receiving")). When
// `deadline_expired`, the operation was cut short by its deadline: kDeadlineExceeded whatever `ec`
// says. Otherwise OK for no error; TLS protocol and certificate failures kUnauthenticated (on the
// terminal, the alert certificate_revoked kPermissionDenied); connection loss, refusal and
// unreachable hosts kUnavailable; the OS refusing access kPermissionDenied; anything else kIoError.
// Messages are bilingual (i18n.h) and end with `what` and the library's reason.
Status StatusFromAsio(const boost::system::error_code& ec, const std::string& what, Side side,
                      bool deadline_expired = false);

// The reason text of an OpenSSL error queue entry or of an Asio error, for logs and messages.
std::string DescribeAsioError(const boost::system::error_code& ec);

}  // namespace onecard::net
