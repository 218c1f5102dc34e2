// What the terminal's store and its card operations exchange: the keys and certificates a card
// operation needs (kept in the store) and what a verified card read yielded (recorded in the
// store). Plain data, so that the store knows nothing of readers and the card application
// (card_service.h) nothing of the store.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "onecard/platform/clock.h"
#include "onecard/protocol/bytes.h"
#include "onecard/protocol/crypto.h"

namespace onecard::terminal {

struct CardCredentials {
  std::string terminal_id;
  EcKey signing_key;         // this terminal's card-signing key (private)
  Bytes signer_certificate;  // its compact certificate, issued by the CA (card_certificate.h)
  EcKey root_public;         // the CA ("national root") public key
  std::map<uint32_t, SecretBytes> data_keys;  // card-data keys (AES-256) by version
  uint32_t current_data_key_version = 0;
  // The time written into a card record's header (written_unix). The store sets its own clock;
  // it must outlive the credentials.
  const platform::Clock* clock = &platform::SystemClock();
};

struct CardContents {
  nlohmann::json child;  // the canonical child record as written (includes child_id, card_serial)
  std::string serial;    // card serial (the only thing readable without keys)
  std::string signer_terminal_id;  // from the verified signer certificate
  uint64_t write_counter = 0;      // version counter of the slot read
  int64_t written_unix = 0;  // when the signer wrote it (Unix seconds, signed with the record)
  Bytes serial_bytes;        // the serial as on the card (kCardSerialSize bytes)
  Bytes sealed_record;       // the slot read, as sealed: shown to the server as proof (sync.md)
};

}  // namespace onecard::terminal
