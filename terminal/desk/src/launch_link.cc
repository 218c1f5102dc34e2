#include "launch_link.h"

#include "onecard/protocol/bytes.h"
#include "onecard/protocol/crypto.h"

namespace onecard::desk {

LaunchLink::LaunchLink() : secret_(HexEncode(RandomBytes(32))) {}

bool LaunchLink::Redeem(std::string_view presented) {
  std::lock_guard lock(mu_);
  if (redeemed_ || !SecretsEqual(presented, secret_)) return false;
  redeemed_ = true;
  return true;
}

}  // namespace onecard::desk
