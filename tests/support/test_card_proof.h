// A card proof as a terminal attaches it to a change (sync.md, "Who may change a child"), made for
// tests from an enrolment bundle (docs/enrolment.md): the child's record sealed for its card with
// the bundle's card-signing key and card-data key 1. Header-only; used by the server's unit tests
// and the integration tests.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "onecard/protocol/bytes.h"
#include "onecard/protocol/card_record.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/status.h"
#include "sync.pb.h"

namespace onecard::testing {

// `child` names its child_id and card_serial (16 hex digits), as records on cards do.
inline wire::CardProof SealedCardProof(const nlohmann::json& bundle, const nlohmann::json& child,
                                       int64_t written_unix) {
  CardRecordHeader header;
  header.serial = HexDecode(child.at("card_serial").get<std::string>()).value();
  header.write_counter = 1;
  header.key_version = 1;
  header.written_unix = written_unix;
  EcKey signing = EcKey::FromPrivatePem(bundle.at("card_signing_key").get<std::string>()).value();
  Bytes signer = Base64Decode(bundle.at("card_signer_certificate").get<std::string>()).value();
  SecretBytes data_key(HexDecode(bundle.at("card_data_keys").at("1").get<std::string>()).value());
  Bytes sealed = SealCardRecord(child, header, signing, signer, data_key).value();
  wire::CardProof proof;
  proof.set_serial(std::string(header.serial.begin(), header.serial.end()));
  proof.set_sealed_record(std::string(sealed.begin(), sealed.end()));
  return proof;
}

}  // namespace onecard::testing
