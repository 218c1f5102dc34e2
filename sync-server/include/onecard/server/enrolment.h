// The server's certificate authority and the enrolment of terminals.
//
// `init` makes the CA (the "national root" of the pilot: it certifies both the TLS certificates
// and the card-signing keys), the server's TLS certificate and the first card-data key. `enroll`
// issues a terminal's credential bundle (format: docs/enrolment.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"
#include "onecard/server/admin_store.h"

namespace onecard::server {

inline constexpr char kBundleFormat[] = "onecard-enrolment/1";
inline constexpr int kDefaultSyncPort = 7443;

// Creates the store in `data_dir` and the CA, the server certificate (for `hosts` plus localhost
// and 127.0.0.1) and card-data key 1.
Status InitializeServer(const std::string& data_dir, const std::vector<std::string>& hosts,
                        const platform::Clock& clock = platform::SystemClock());

// Registers terminal `terminal_id` at `site_id` and returns its bundle (holds private keys: the
// caller writes it with mode 0600). `server_address` ("host:port") overrides the address recorded
// at init. kAlreadyExists for a terminal id used before; kNotFound for an unknown site.
Result<nlohmann::json> EnrollTerminal(AdminStore& store, const std::string& site_id,
                                      const std::string& terminal_id,
                                      const std::string& server_address);

// Loads the sync service's TLS material from the store: {ca_cert_pem, cert_pem, key_pem}.
struct ServerTlsMaterial {
  std::string ca_cert_pem;
  std::string cert_pem;
  std::string key_pem;  // secret: wipe after use
};
Result<ServerTlsMaterial> LoadServerTls(AdminStore& store);

// Terminal and site ids: 1–32 characters from [A-Za-z0-9_.-].
bool IsValidIdentifier(const std::string& id);

}  // namespace onecard::server
