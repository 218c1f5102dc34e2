// The enrolment bundle a new terminal store is made from (docs/enrolment.md): its fields read and
// checked in full before anything is written, then the meta values and secrets it leaves in the
// store. Internal to TerminalStore::Initialize.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"

namespace onecard::terminal {

// The fields of an enrolment bundle a new store keeps. `site` points into the bundle read.
struct EnrolmentBundle {
  std::string terminal_id, server, ca_cert, tls_cert, tls_key, signing_key, signer_cert,
      root_public;
  const nlohmann::json* site = nullptr;
  std::string site_id, site_area, site_name;
};

// The bundle's format and text fields, in the order they are checked; kInvalidArgument naming the
// first missing or malformed one.
Result<EnrolmentBundle> ReadBundleFields(const nlohmann::json& bundle);
// Checks the keys and certificates of the bundle decode: the TLS and card signing private keys,
// the signer certificate, the card root public point, then the card data keys (a non-empty
// object of decimal versions to hex AEAD keys, with a positive current version).
Status CheckBundleKeys(const nlohmann::json& bundle, const EnrolmentBundle& b);
// The meta values of a new store, in the order they are written.
std::vector<std::pair<const char*, std::string>> InitialMeta(const nlohmann::json& bundle,
                                                             const EnrolmentBundle& b,
                                                             const platform::Clock& clock);
// Writes the TLS key, the card signing key and each card data key (the bundle was checked).
Status WriteBundleSecrets(schema::Database& db, const nlohmann::json& bundle,
                          const EnrolmentBundle& b);

}  // namespace onecard::terminal
