// Where and as whom the terminal syncs: the server's address and the terminal's TLS identity, as
// the store keeps them from the enrolment bundle. Plain data shared by the store and the sync
// client (sync_client.h).
#pragma once

#include <cstdint>
#include <string>

namespace onecard::terminal {

struct SyncEndpoint {
  std::string host;  // DNS name or IP literal; checked against the server
                     // certificate's subjectAltName
  uint16_t port = 0;
  std::string ca_cert_pem;  // only this CA is trusted (not the system's)
  std::string cert_pem;     // the terminal's certificate (CN = terminal id)
  std::string key_pem;      // the terminal's private key: a secret; RunSync keeps
                            // no copy of it beyond the TLS context's parsed key
  std::string terminal_id;
};

}  // namespace onecard::terminal
