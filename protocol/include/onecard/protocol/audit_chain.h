// The hash chain of a terminal's audit log (terminal audit_log.h), shared by the terminal that
// writes it and the server that checks the copy the terminal pushes (sync.md, "Audit chain").
// Entry n's hash is SHA-256 over entry n-1's hash, a newline and the entry's canonical JSON
// {"action", "actor", "at", "child_id", "detail", "id"} (keys sorted, as nlohmann::json dumps
// them); entry 1 chains to kAuditGenesisHash. Nothing in it is secret: the chain shows alteration
// only to someone who kept an earlier copy of it (the server).
#pragma once

#include <cstdint>
#include <string>

namespace onecard {

// The "previous hash" of entry 1: 64 zeros.
inline constexpr char kAuditGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// One entry as the chain hashes it. `detail` is the canonical JSON text as stored, never
// re-serialised (re-serialising could change the bytes hashed).
struct AuditChainEntry {
  int64_t id = 0;
  std::string at;  // ISO 8601 UTC
  std::string actor;
  std::string action;
  std::string child_id;  // "" when none
  std::string detail;
};

// Lower-case hex SHA-256 of `entry` chained to `prev_hash`.
std::string AuditEntryHash(const std::string& prev_hash, const AuditChainEntry& entry);

}  // namespace onecard
