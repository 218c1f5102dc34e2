#include "onecard/server/cli.h"

#include "cli_console.h"
#include "onecard/cli/command_runner.h"
#include "onecard/platform/process_hardening.h"

namespace onecard::server {
namespace {

// Every command of onecard-server, in the order the help lists them.
std::vector<ServerCommand> Commands() {
  return cli::JoinCommands({SetupCommands(), UserCommands(), ReportCommands(), CoverageCommands(),
                            IdentityCommands(), ErasureCommands(), AuditCommands()});
}

cli::ProgramSpec Program() {
  return {"onecard-server",
          "OneCard 同步服务器",
          "OneCard sync server",
          {cli::Optional("--data", "状态目录", "state directory"),
           cli::Switch("--json", "输出 JSON", "print JSON")},
          {{{"site"}, "站点", "sites"},
           {{"user"},
            "官员和管理员的 HTTPS 接口账户",
            "accounts for the HTTPS API (officials, admins)"},
           {{"referrals"}, "转介", "referrals"},
           {{"coverage"}, "覆盖率（已登记 ÷ 估计）", "coverage (registered ÷ estimate)"},
           {{"review"}, "重复登记审核", "review of possible duplicate registrations"},
           {{"audit"}, "审计日志", "audit logs"}}};
}

// Runs the command; one that succeeded and is audited is recorded in the server's audit chain
// before its answer is shown (a read whose audit fails shows nothing).
Result<cli::Reply> RunAudited(const ServerCommand& command, Console& console) {
  ASSIGN_OR_RETURN(cli::Reply reply, command.run(console));
  const bool audited = command.audited == Audited::kYes ||
                       (command.audited == Audited::kWhenExact && console.args().On("--exact"));
  if (audited) RETURN_IF_ERROR(console.Audit(command.spec));
  return reply;
}

}  // namespace

int RunCli(int argc, char** argv, const platform::Clock& clock) {
  platform::HardenProcess();
  return cli::Run(Program(), Commands(), argc, argv,
                  [&clock](const ServerCommand& command, const cli::Args& args) {
                    Console console(args, clock);
                    return RunAudited(command, console);
                  });
}

}  // namespace onecard::server
