#include "onecard/terminal/cli.h"

#include "cli_context.h"
#include "onecard/cli/command_runner.h"
#include "onecard/platform/process_hardening.h"
#include "onecard/protocol/i18n.h"

namespace onecard::terminal {
namespace {

// Every command of onecard-terminal, in the order the help lists them.
std::vector<TerminalCommand> Commands(const std::vector<TerminalCommand>& more) {
  return cli::JoinCommands({SetupCommands(), RecordCommands(), CardCommands(), ReferralCommands(),
                            UpkeepCommands(), ReviewCommands(), more});
}

cli::ProgramSpec Program() {
  return {"onecard-terminal",
          "OneCard 登记终端",
          "OneCard registration terminal",
          {cli::Optional("--data", "状态目录", "state directory"),
           cli::Optional("--user", "操作的工作人员", "acting staff member"),
           cli::Switch("--json", "输出规范 JSON", "print canonical JSON"),
           cli::Optional("--reader", "读卡器名称", "reader name")},
          {{{"card"}, "一卡通操作", "card operations"},
           {{"referral"}, "转介", "referrals"},
           {{"audit"}, "审计日志", "audit log"},
           {{"staff"}, "工作人员", "staff members"},
           {{"conflicts"}, "字段冲突（主管）", "field conflicts (supervisor)"},
           {{"review"},
            "身份审核：可能是同一儿童的登记（主管）",
            "identity review: registrations that may be one child (supervisor)"}}};
}

}  // namespace

int RunCli(int argc, char** argv, const platform::Clock& clock,
           const std::vector<TerminalCommand>& more) {
  platform::HardenProcess();
  return cli::Run(Program(), Commands(more), argc, argv,
                  [&clock](const TerminalCommand& command, const cli::Args& args) {
                    CommandContext ctx(args, command.action, clock);
                    return command.run(ctx);
                  });
}

}  // namespace onecard::terminal
