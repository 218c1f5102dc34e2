// The hash of an entry in an append-only audit chain: the terminal's `audit` (terminal
// audit_log.h), which the terminal writes and the server checks in the copy the terminal pushes
// (sync.md, "Audit chain"), and the server's own `server_audit` (schema audit_chain.h).
// Entry n's hash is SHA-256 over entry n-1's hash, a newline and the entry's canonical JSON
// {"action", "actor", "at", <subject key>, "detail", "id"} (keys sorted, as nlohmann::json dumps
// them); entry 1 chains to kAuditGenesisHash. The subject key is "child_id" in the terminal's
// chain and "subject" in the server's. Nothing in it is secret: the chain shows alteration only to
// someone who kept an earlier copy of it (the server, for a terminal's chain).
#pragma once

#include <cstdint>
#include <string>

namespace onecard {

// The "previous hash" of entry 1: 64 zeros.
inline constexpr char kAuditGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The subject's JSON key in a terminal's chain (a child id).
inline constexpr char kTerminalAuditSubjectKey[] = "child_id";

// One entry as the chain hashes it. `detail` is the canonical JSON text as stored, never
// re-serialised (re-serialising could change the bytes hashed).
struct AuditChainEntry {
  int64_t id = 0;
  std::string at;  // ISO 8601 UTC
  std::string actor;
  std::string action;
  std::string subject;  // "" when none
  std::string detail;
};

// Lower-case hex SHA-256 of `entry` chained to `prev_hash`, its subject under `subject_key`.
std::string AuditEntryHash(const std::string& prev_hash, const AuditChainEntry& entry,
                           const char* subject_key = kTerminalAuditSubjectKey);

}  // namespace onecard
