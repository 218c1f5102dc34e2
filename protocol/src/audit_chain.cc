#include "onecard/protocol/audit_chain.h"

#include <nlohmann/json.hpp>

#include "onecard/protocol/bytes.h"
#include "onecard/protocol/crypto.h"

namespace onecard {

std::string AuditEntryHash(const std::string& prev_hash, const AuditChainEntry& entry,
                           const char* subject_key) {
  const nlohmann::json canonical = {{"id", entry.id},
                                    {"at", entry.at},
                                    {"actor", entry.actor},
                                    {"action", entry.action},
                                    {subject_key, entry.subject},
                                    {"detail", entry.detail}};
  return HexEncode(Sha256(AsBytes(prev_hash + "\n" + canonical.dump())));
}

}  // namespace onecard
