// `onecard-server audit verify`: checks the server's own audit chain (server_audit.cc; who read
// personal data or changed who may read it, at the server). Exit status 0 only when it is
// intact. The terminals' pushed chains are to be checked here too (issue 16 item 4; not built).

#include <nlohmann/json.hpp>

#include "cli_console.h"
#include "onecard/protocol/i18n.h"

namespace onecard::server {
namespace {

Result<cli::Reply> Verify(Console& console) {
  ASSIGN_OR_RETURN(AdminStore * store, console.Admin());
  ASSIGN_OR_RETURN(schema::AuditChainReport report, store->VerifyServerAudit());
  const std::string count = std::to_string(report.entries);
  if (!report.intact) {
    return Status(ErrorCode::kCorruption, Tr("服务器审计日志不完整（已核对 " + count + " 条）：",
                                             "the server's audit log is "
                                             "not intact (" +
                                                 count + " entries checked): ") +
                                              report.problem);
  }
  return cli::Reply::Both(
      Tr("服务器审计日志完整：" + count + " 条记录\n",
         "the server's audit log is intact: " + count + " entries\n"),
      nlohmann::json{{"server", {{"entries", report.entries}, {"intact", true}}}}.dump());
}

}  // namespace

std::vector<ServerCommand> AuditCommands() {
  return {
      {{{"audit", "verify"},
        "核对审计日志（服务器自身的审计链）",
        "check the audit log (the server's own chain)",
        {}},
       Verify},
  };
}

}  // namespace onecard::server
