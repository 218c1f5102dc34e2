// Referrals made here or concerning this site (PRODUCT.md section 10; sync.md "Referral events").
// A person's change is checked against the status machine (referral.h), recorded as an event for
// the server and applied locally in one transaction; pulled versions merge by (rank, stamp) like
// the server's, so this terminal ends with the same status as every other replica.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "onecard/protocol/hybrid_clock.h"
#include "onecard/protocol/referral.h"
#include "onecard/protocol/status.h"
#include "onecard/terminal/unit_of_work.h"
#include "sync.pb.h"

namespace onecard::terminal {

// Ok when `code` is a decline reason code (kDeclineReasons); else kInvalidArgument naming --reason
// and listing the codes with their labels. Move checks it; the command line checks it first, before
// asking for a passphrase.
Status CheckDeclineReasonGiven(const std::string& code);

class ReferralRepository {
 public:
  explicit ReferralRepository(UnitOfWork& unit) : unit_(unit) {}

  // Refers a known child to `service` at site `to_site` (a site this terminal knows from sync):
  // a referral.create event, the referral and an audit entry in one transaction. Returns the
  // referral id. kInvalidArgument names a bad service or reason; kNotFound an unknown child or
  // site.
  Result<std::string> Refer(const std::string& child_id, const std::string& service,
                            const std::string& to_site, const std::string& reason);
  // Moves a referral on from this site (the status machine and who may, referral.h): a
  // referral.status event, the new status and an audit entry. kNotFound for an unknown referral,
  // kPermissionDenied when it is not addressed to this site, kFailedPrecondition when not allowed
  // from its status. A decline needs `decline_reason`, a kDeclineReasons code (kInvalidArgument
  // naming --reason and listing the codes otherwise); other moves ignore it. Returns the referral
  // as it now is.
  Result<Referral> Move(const std::string& referral_id, ReferralStatus to,
                        const std::string& outcome, const std::string& decline_reason = "");
  // The referrals held here (of one child when `child_id` is not empty), newest first. Audited.
  Result<std::vector<Referral>> List(const std::string& child_id);
  // The same without an audit entry or a transaction of its own, for a caller that audits the
  // read inside its own transaction (the guardian's copy, child_export.h).
  Result<std::vector<Referral>> Of(const std::string& child_id);
  // Inside the pull's transaction: merges the page's referral snapshots (checked, pull_checks.h);
  // `clock` observes their stamps, bounded by `now_ms`.
  Status ApplyPulled(const wire::PullPage& page, HybridClock& clock, uint64_t now_ms);

 private:
  Result<std::optional<Referral>> Load(const std::string& referral_id);
  Status Save(const Referral& r);

  UnitOfWork& unit_;
};

}  // namespace onecard::terminal
