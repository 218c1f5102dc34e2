// The steps of IdentityResolver (identity_resolver.h), for a resolver that keeps its work between
// runs and redoes only what a changed record touches (the server's incremental identity index,
// sync-server/src/identity_index.h). IdentityResolver::Resolve() is exactly these steps over all
// records: a caller that gives them the same records and pairs gets the same result.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "onecard/protocol/identity_record.h"
#include "onecard/protocol/identity_resolver.h"

namespace onecard {

// Step 2: the blocking keys of `r`. Two records are a candidate pair when they share a key whose
// block (the records with that key) holds at most thresholds.max_block records. A key may repeat.
std::vector<std::uint64_t> IdentityBlockingKeys(const IdentityRecord& r);

// Step 1: keys of r's citizen ID number and card serial (none for an empty one). Records with the
// same value share the key; a shared key (a hash) is only a lead: the values themselves decide.
std::vector<std::uint64_t> IdentityExactKeys(const IdentityRecord& r);

// Blocking keys (of either sex) whose blocks together hold every record that shares a family with
// `r` in the one-character rule's sense (a guardian's ID number, a father's or mother's name):
// where to look for the records whose presence decides IdentityAnotherCloseChild for r's pairs.
std::vector<std::uint64_t> IdentityFamilyLookupKeys(const IdentityRecord& r);

// Step 3 for one candidate pair (`a`'s record_id before `b`'s): none when it scores below
// thresholds.review. `automatic`: it may be linked by its score; `one_character`: it may be linked
// by the one-character rule (identity_family.h), if IdentityAnotherCloseChild says no.
struct IdentityCandidate {
  double score = 0;
  std::uint32_t reasons = 0;
  bool automatic = false;
  bool one_character = false;
};
std::optional<IdentityCandidate> ScoreIdentityCandidate(const IdentityRecord& a,
                                                        const IdentityRecord& b,
                                                        const IdentityThresholds& thresholds);

// Step 4's family check for the pair (records[a], records[b]): true when another record of either
// one's family is close enough to be the partner. `records` must hold every record sharing a
// family key with either (e.g. the blocks of their IdentityFamilyLookupKeys); more do no harm.
bool IdentityAnotherCloseChild(const std::vector<const IdentityRecord*>& records, std::uint32_t a,
                               std::uint32_t b);

// A scored pair of ranks (a < b) into the records given to ClusterIdentities, as the steps above
// left it: `automatic` final (the one-character rule already applied, its reason bit set).
struct IdentityScoredPair {
  std::uint32_t a = 0, b = 0;
  double score = 0;
  std::uint32_t reasons = 0;
  bool automatic = false;
};

// Steps 1 and 3's linking over `records` (sorted by record_id: a record's rank is its index) and
// their scored pairs: exact keys joined, automatic pairs linked by decreasing score unless two ID
// numbers would meet, the rest listed for review while apart. candidate_pairs and skipped_blocks
// are left 0. The result for a set of records closed under links (every exact-key partner and
// automatic pair inside) is the same as that set's part of Resolve() over a larger population.
IdentityResolution ClusterIdentities(const std::vector<const IdentityRecord*>& records,
                                     std::vector<IdentityScoredPair> pairs);

}  // namespace onecard
