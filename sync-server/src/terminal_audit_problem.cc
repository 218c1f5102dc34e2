#include "onecard/protocol/i18n.h"
#include "onecard/server/terminal_audit.h"

namespace onecard::server {

std::string_view AuditProblemCode(AuditProblemKind kind) {
  switch (kind) {
    case AuditProblemKind::kNone:
      return "";
    case AuditProblemKind::kGap:
      return "gap";
    case AuditProblemKind::kAltered:
      return "altered";
    case AuditProblemKind::kBrokenLink:
      return "broken_link";
    case AuditProblemKind::kRewritten:
      return "rewritten";
  }
  return "";
}

std::optional<AuditProblemKind> ParseAuditProblemCode(std::string_view code) {
  for (AuditProblemKind kind : {AuditProblemKind::kGap, AuditProblemKind::kAltered,
                                AuditProblemKind::kBrokenLink, AuditProblemKind::kRewritten}) {
    if (AuditProblemCode(kind) == code) return kind;
  }
  return std::nullopt;
}

std::string AuditProblemText(const std::string& terminal_id, const AuditProblem& problem) {
  const std::string id = std::to_string(problem.id);
  const std::string before = std::to_string(problem.id - 1);
  switch (problem.kind) {
    case AuditProblemKind::kNone:
      return "";
    case AuditProblemKind::kGap: {
      const std::string to = std::to_string(problem.to);
      return problem.to == problem.id
                 ? Tr("终端 " + terminal_id + " 的审计链缺少记录 " + id,
                      "terminal " + terminal_id + "'s audit chain is missing entry " + id)
                 : Tr("终端 " + terminal_id + " 的审计链缺少记录 " + id + " 至 " + to,
                      "terminal " + terminal_id + "'s audit chain is missing entries " + id +
                          " to " + to);
    }
    case AuditProblemKind::kAltered:
      return Tr("终端 " + terminal_id + " 的审计记录 " + id + " 与其哈希不符（记录已被修改）",
                "terminal " + terminal_id + "'s audit entry " + id +
                    " does not match its hash (the entry was altered)");
    case AuditProblemKind::kBrokenLink:
      return Tr("终端 " + terminal_id + " 的审计记录 " + id + " 与服务器保存的记录 " + before +
                    " 不衔接（之前的记录已被改写）",
                "terminal " + terminal_id + "'s audit entry " + id + " does not follow entry " +
                    before + " as the server holds it (earlier entries were rewritten)");
    case AuditProblemKind::kRewritten:
      return Tr("终端 " + terminal_id + " 重新发送的审计记录 " + id +
                    " 与服务器先前收到的不同（记录已被改写）",
                "terminal " + terminal_id + " resent audit entry " + id +
                    " differing from the copy the server received before (the entry was "
                    "rewritten)");
  }
  return "";
}

}  // namespace onecard::server
