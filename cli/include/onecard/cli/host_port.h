// HOST:PORT as command-line flags give it (--http, --listen): an IPv4 address or name, or an IPv6
// address in brackets ("[::1]:8443"), a colon and a port 0-65535.
#pragma once

#include <cstdint>
#include <string>

#include "onecard/protocol/status.h"

namespace onecard::cli {

struct HostPort {
  std::string host;  // without brackets
  uint16_t port = 0;
};

// kInvalidArgument naming `flag` and the text when it is not HOST:PORT.
Result<HostPort> ParseHostPort(const std::string& text, const std::string& flag);

}  // namespace onecard::cli
