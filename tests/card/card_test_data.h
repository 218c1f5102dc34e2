// Test data shared by the card tests (header-only: tests/card builds only *_test.cc).
#pragma once

#include <string>

#include "onecard/protocol/card_certificate.h"
#include "onecard/protocol/crypto.h"
#include "onecard/terminal/card_service.h"
#include "onecard/testing/typical_child.h"

namespace onecard::terminal {

using ::onecard::testing::TypicalChild;

// A terminal of a throw-away deployment: its own root (standing in for the server CA), card-data
// key version 1, and a card-signing key certified by the root.
struct TestCardTerminal {
  EcKey root = EcKey::Generate();
  CardCredentials creds;
  explicit TestCardTerminal(const std::string& terminal_id = "T-440306-01") {
    creds.terminal_id = terminal_id;
    creds.signing_key = EcKey::Generate();
    creds.signer_certificate = IssueCardSignerCertificate(
        root, creds.terminal_id, creds.signing_key.PublicPoint(), 4'000'000'000);
    creds.root_public = EcKey::FromPublicPoint(root.PublicPoint()).value();
    creds.data_keys.emplace(1, RandomSecret(kAeadKeySize));
    creds.current_data_key_version = 1;
  }
  // Another terminal of the same deployment: same root and card-data keys, its own signing key.
  CardCredentials Sibling(const std::string& id) const {
    CardCredentials c;
    c.terminal_id = id;
    c.signing_key = EcKey::Generate();
    c.signer_certificate =
        IssueCardSignerCertificate(root, id, c.signing_key.PublicPoint(), 4'000'000'000);
    c.root_public = EcKey::FromPublicPoint(root.PublicPoint()).value();
    for (const auto& [v, k] : creds.data_keys) c.data_keys.emplace(v, k.Copy());
    c.current_data_key_version = creds.current_data_key_version;
    return c;
  }
};

}  // namespace onecard::terminal
