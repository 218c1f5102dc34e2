#include "terminal_audit_check.h"

namespace onecard::server {
namespace {

// Every field, the hashes included: a resend must be the very entry.
bool Same(const wire::AuditEntry& a, const wire::AuditEntry& b) {
  return a.id() == b.id() && a.at() == b.at() && a.actor() == b.actor() &&
         a.action() == b.action() && a.child_id() == b.child_id() && a.detail() == b.detail() &&
         a.prev_hash() == b.prev_hash() && a.hash() == b.hash();
}

bool MatchesOwnHash(const wire::AuditEntry& entry, const std::string& prev_hash) {
  return AuditEntryHash(prev_hash, ChainEntryOf(entry)) == entry.hash();
}

AuditProblem At(AuditProblemKind kind, int64_t id) { return {kind, id, id}; }

// An entry after the head: the next one, following the head and matching its hash.
AuditProblem CheckNext(const AuditChainHead& head, const wire::AuditEntry& entry) {
  const auto id = static_cast<int64_t>(entry.id());
  if (id > head.last_id + 1) return {AuditProblemKind::kGap, head.last_id + 1, id - 1};
  if (MatchesOwnHash(entry, head.last_hash)) return {};
  if (entry.prev_hash() != head.last_hash) return At(AuditProblemKind::kBrokenLink, id);
  return At(AuditProblemKind::kAltered, id);
}

}  // namespace

AuditChainEntry ChainEntryOf(const wire::AuditEntry& entry) {
  return {static_cast<int64_t>(entry.id()),
          entry.at(),
          entry.actor(),
          entry.action(),
          entry.child_id(),
          entry.detail()};
}

AuditEntryVerdict CheckAuditEntry(AuditChainHead& head, const wire::AuditEntry& entry,
                                  const std::vector<wire::AuditEntry>& held) {
  AuditEntryVerdict verdict;
  for (const wire::AuditEntry& copy : held) {
    if (Same(copy, entry)) verdict.store = false;
  }
  const auto id = static_cast<int64_t>(entry.id());
  if (id < 1) {
    verdict.problem = At(AuditProblemKind::kAltered, 0);  // no chain has an entry 0
  } else if (id <= head.last_id) {
    if (!held.empty() && !Same(held.front(), entry)) {
      verdict.problem = At(AuditProblemKind::kRewritten, id);
    } else if (held.empty() && !MatchesOwnHash(entry, entry.prev_hash())) {
      verdict.problem = At(AuditProblemKind::kAltered, id);
    }
  } else {
    verdict.problem = CheckNext(head, entry);
    head.last_id = id;
    head.last_hash = entry.hash();
  }
  return verdict;
}

}  // namespace onecard::server
