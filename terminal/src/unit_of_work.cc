#include "onecard/terminal/unit_of_work.h"

#include <charconv>

#include "onecard/protocol/hybrid_clock.h"
#include "onecard/protocol/i18n.h"
#include "onecard/schema/meta_table.h"
#include "onecard/terminal/audit_log.h"

namespace onecard::terminal {

using schema::Statement;
using schema::Transaction;

Result<std::string> UnitOfWork::Meta(const std::string& key) {
  return schema::ReadSetMeta(db_, key);
}

Status UnitOfWork::SetMeta(const std::string& key, const std::string& value) {
  return schema::WriteMeta(db_, key, value);
}

Result<uint64_t> UnitOfWork::MetaNumber(const std::string& key) {
  ASSIGN_OR_RETURN(std::string text, Meta(key));
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || ptr != end) {
    return Status(ErrorCode::kCorruption,
                  Tr("终端数据中的 " + key + " 不是一个数：" + text,
                     "the terminal store's " + key + " is not a number: " + text));
  }
  return value;
}

Result<uint64_t> UnitOfWork::NextHlc() {
  ASSIGN_OR_RETURN(uint64_t last, MetaNumber("hlc"));
  HybridClock clock(last);
  uint64_t now = clock.Now(HybridClock::PhysicalNowMs(*clock_));
  RETURN_IF_ERROR(SetMeta("hlc", std::to_string(now)));
  return now;
}

Status UnitOfWork::Audit(const std::string& action, const std::string& child_id,
                         const nlohmann::json& detail) {
  return AppendAudit(db_, *clock_, actor_.user, action, child_id, detail);
}

Status UnitOfWork::AuditAlone(const std::string& action, const std::string& child_id,
                              const nlohmann::json& detail) {
  ASSIGN_OR_RETURN(Transaction tx, Begin());
  RETURN_IF_ERROR(Audit(action, child_id, detail));
  return tx.Commit();
}

}  // namespace onecard::terminal
