// Groups children's records into persons from the resolver's result (identity_resolver.h) and the
// supervisors' decisions. Internal to the server library; pure and deterministic: the grouping
// depends only on its inputs' contents, not on their order.
//
// Rules (docs/identity-server.md):
//  - A pair whose latest decision is `merge` is linked first (in pair order).
//  - Then the resolver's links: same ID number or card serial first, then automatic links by
//    decreasing score (ties by pair).
//  - No link may put into one person two records whose latest decision is `separate` or `unmerge`;
//    such a link is skipped. A skipped link goes to the review queue unless its own pair was
//    decided `separate` (an `unmerge` returns the pair to review: it is undecided again).
//  - The review queue: the resolver's doubtful pairs and the skipped links, less pairs that ended
//    in one person or were decided `separate`.
//  - Each person of two or more records is named by its smallest child_id; its current record is
//    the one changed most recently (greatest recency, ties by the greater child_id).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "onecard/protocol/identity_resolver.h"

namespace onecard::server {

enum class IdentityDecisionKind { kMerge, kSeparate, kUnmerge };

// Latest decision per pair (a < b).
using IdentityDecisions = std::map<std::pair<std::string, std::string>, IdentityDecisionKind>;

struct GroupedRecord {
  std::string child_id;
  std::uint64_t recency = 0;  // e.g. the HLC of the record's latest change
};

struct GroupedLink {
  std::string a, b;     // a < b
  bool merged = false;  // by a supervisor's decision (else the resolver's)
  double score = 0;
  std::uint32_t reasons = 0;
};

struct Person {
  std::string person_id;             // smallest child_id
  std::vector<std::string> members;  // sorted
  std::string current;               // the most recent record
};

struct IdentityGrouping {
  std::vector<Person> persons;       // persons of two or more records, sorted by person_id
  std::vector<GroupedLink> links;    // links in force (both ends in one person), sorted by pair
  std::vector<IdentityPair> review;  // by decreasing score, then pair
};

IdentityGrouping GroupIdentities(const std::vector<GroupedRecord>& records,
                                 const IdentityResolution& resolution,
                                 const IdentityDecisions& decisions);

}  // namespace onecard::server
