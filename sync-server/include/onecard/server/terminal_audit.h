// Terminals' audit chains at the server (sync.md, "Audit chain"): what the server found in each
// terminal's pushed chain, as `onecard-server audit verify` reports it and serve logs it. The
// check itself: sync-server/src/terminal_audit_check.h; the storage: terminal_audit_store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace onecard::server {

enum class AuditProblemKind {
  kNone,
  kGap,         // entries id..to never arrived (the terminal skipped or deleted them)
  kAltered,     // the entry does not match its hash (changed after it was hashed)
  kBrokenLink,  // the entry does not follow the entry before it as the server holds it (the
                // terminal's chain was rewritten before it, hashes and all)
  kRewritten,   // the entry was resent differing from the copy the server held
};

struct AuditProblem {
  AuditProblemKind kind = AuditProblemKind::kNone;
  int64_t id = 0;  // the entry (for a gap: the first one missing)
  int64_t to = 0;  // a gap's last missing entry; else = id
};

// The stable code of a kind as stored and printed in JSON ("gap", "altered", "broken_link",
// "rewritten"; "" for kNone), and back (nullopt for an unknown code).
std::string_view AuditProblemCode(AuditProblemKind kind);
std::optional<AuditProblemKind> ParseAuditProblemCode(std::string_view code);
// One sentence naming the terminal and the entry, in the user's language ("" for kNone).
std::string AuditProblemText(const std::string& terminal_id, const AuditProblem& problem);

// What the server holds of one enrolled terminal's chain.
struct TerminalAuditState {
  std::string terminal_id;
  bool revoked = false;
  int64_t entries = 0;   // distinct entry ids held
  int64_t last_id = 0;   // 0: nothing pushed yet
  AuditProblem problem;  // the first problem found; kNone while intact
};

// The answer to one AuditPush: the highest entry id held for the terminal afterwards, and the
// first problem this push revealed (kNone when none, or when one was recorded before).
struct AuditReceipt {
  uint64_t held_id = 0;
  AuditProblem new_problem;
};

}  // namespace onecard::server
