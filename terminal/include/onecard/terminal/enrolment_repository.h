// What the terminal's enrolment bundle left in its store (docs/enrolment.md): the keys and
// certificates of card operations and of sync, handed out as plain data (card_contents.h,
// sync_endpoint.h) to the code that uses them.
#pragma once

#include <string>

#include "onecard/protocol/status.h"
#include "onecard/terminal/card_contents.h"
#include "onecard/terminal/sync_endpoint.h"
#include "onecard/terminal/unit_of_work.h"

namespace onecard::terminal {

class EnrolmentRepository {
 public:
  explicit EnrolmentRepository(UnitOfWork& unit) : unit_(unit) {}

  // The card signing key, data keys and certificates, with the unit's clock.
  Result<CardCredentials> LoadCardCredentials();
  // The sync endpoint from the bundle; `server_override` ("host:port") replaces the address.
  // kInvalidArgument for an address that is not host:port.
  Result<SyncEndpoint> LoadSyncEndpoint(const std::string& server_override);

 private:
  UnitOfWork& unit_;
};

}  // namespace onecard::terminal
