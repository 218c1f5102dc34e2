// The commands that set up and keep the terminal: init, readers, sync, audit verify, staff add,
// passwd.

#include <sstream>

#include "cli_context.h"
#include "onecard/platform/file_io.h"
#include "onecard/platform/secret_input.h"
#include "onecard/protocol/i18n.h"
#include "onecard/terminal/card_service.h"
#include "onecard/terminal/sync_client.h"
#include "onecard/terminal/terminal_sync_store.h"
#include "set_aside_text.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

// Creates the store from the enrolment bundle --bundle names, the acting staff member becoming
// its first supervisor with a new passphrase.
Result<cli::Reply> Init(CommandContext& ctx) {
  const std::string& path = ctx.Flag("--bundle");
  ASSIGN_OR_RETURN(std::string text, platform::ReadWholeFile(path));
  json bundle = json::parse(text, nullptr, false);
  WipeString(text);
  if (bundle.is_discarded()) {
    return Status(
        ErrorCode::kInvalidArgument,
        Tr("登记包不是有效的 JSON：" + path, "the enrolment bundle is not valid JSON: " + path));
  }
  const std::string user = ctx.ActingUser();
  ASSIGN_OR_RETURN(
      std::string passphrase,
      platform::ReadSecret("ONECARD_PASSPHRASE",
                           Tr("为 " + user + " 设置口令：", "New passphrase for " + user + ": "),
                           true));
  const std::string dir = ctx.DataDir();
  Status s = TerminalStore::Initialize(dir, bundle, user, passphrase, ctx.clock());
  WipeString(passphrase);
  RETURN_IF_ERROR(s);
  return cli::Reply::Text(Tr("终端已初始化：", "terminal initialised: ") +
                          bundle.value("terminal_id", "") + " (" + dir + ")\n");
}

Result<cli::Reply> Readers(CommandContext&) {
  ASSIGN_OR_RETURN(std::vector<ReaderStatus> readers, ListReaders());
  json out = json::array();
  std::string text;
  for (const ReaderStatus& r : readers) {
    out.push_back({{"name", r.name}, {"card_present", r.card_present}});
    text +=
        r.name + "\t" + (r.card_present ? Tr("有卡", "card present") : Tr("无卡", "empty")) + "\n";
  }
  if (readers.empty()) text = Tr("没有读卡器", "no card readers") + "\n";
  return cli::Reply::Both(std::move(text), out.dump(2));
}

// What a sync did, for the person at the desk: the counts, then what the server refused and what
// this terminal set aside of what it pulled, each for a supervisor to act on.
std::string SyncText(const SyncReport& report) {
  std::ostringstream text;
  text << Tr("同步完成：上传 ", "sync done: pushed ") << report.pushed
       << Tr(" 条变更，收到 ", " changes, received ") << report.pulled
       << Tr(" 名儿童的记录", " child records") << "\n";
  if (!report.refused.empty()) {
    const std::string n = std::to_string(report.refused.size());
    text << Tr("服务器拒绝了 " + n + " 条变更，已从发件箱移出另存，请主管处理：",
               "the server refused " + n +
                   " changes; they left the outbox and are kept aside for a supervisor:")
         << "\n";
    for (const wire::EventRefusal& r : report.refused) text << "  " << r.message() << "\n";
  }
  if (!report.set_aside.empty()) {
    const std::string n = std::to_string(report.set_aside.size());
    text << Tr("服务器发来的 " + n +
                   " 项数据未通过检查，没有采用，已另存，请主管报告服务器管理员：",
               n + " items from the server failed the checks and were not applied; they are "
                   "kept aside for a supervisor to report to the server's operator:")
         << "\n";
    for (const PullSetAside& item : report.set_aside) text << "  " << SetAsideLine(item) << "\n";
  }
  return text.str();
}

Result<cli::Reply> Sync(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  ASSIGN_OR_RETURN(SyncEndpoint endpoint,
                   store->enrolment().LoadSyncEndpoint(ctx.Flag("--server")));
  TerminalSyncStore local(*store);
  auto report = RunSync(endpoint, local);
  WipeString(endpoint.key_pem);
  if (!report.ok()) return report.status();
  RETURN_IF_ERROR(store->audit().RecordSync(report->pushed, report->pulled));
  return cli::Reply::Text(SyncText(*report));
}

Result<cli::Reply> AuditVerify(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  ASSIGN_OR_RETURN(auto report, store->audit().Verify());
  if (!report.intact)
    return cli::Reply::Problem(Tr("审计日志已损坏：", "audit log broken: ") + report.problem);
  return cli::Reply::Text(Tr("审计日志完好，共 ", "audit log intact, ") +
                          std::to_string(report.entries) + Tr(" 条记录", " entries") + "\n");
}

Result<cli::Reply> StaffAdd(CommandContext& ctx) {
  std::optional<StaffRole> role = ParseStaffRole(ctx.Flag("--role"));
  if (!role) {
    return Status(ErrorCode::kInvalidArgument, Tr("--role 应为 registrar 或 supervisor",
                                                  "--role must be registrar or supervisor"));
  }
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  const std::string& new_user = ctx.Flag("--user");  // the command's own --user: the new member
  ASSIGN_OR_RETURN(
      std::string passphrase,
      platform::ReadSecret(
          "ONECARD_NEW_PASSPHRASE",
          Tr("为 " + new_user + " 设置口令：", "New passphrase for " + new_user + ": "), true));
  Status s = store->staff().Add(new_user, *role, passphrase);
  WipeString(passphrase);
  RETURN_IF_ERROR(s);
  return cli::Reply::Text(Tr("已添加工作人员 ", "staff member added: ") + new_user + " (" +
                          std::string(StaffRoleName(*role)) + ")\n");
}

Result<cli::Reply> Passwd(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  ASSIGN_OR_RETURN(
      std::string passphrase,
      platform::ReadSecret("ONECARD_NEW_PASSPHRASE", Tr("新口令：", "New passphrase: "), true));
  Status s = store->staff().ChangePassphrase(passphrase);
  WipeString(passphrase);
  RETURN_IF_ERROR(s);
  return cli::Reply::Text(Tr("口令已更改：", "passphrase changed for ") + store->user() + "\n");
}

Result<cli::Reply> StaffList(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  ASSIGN_OR_RETURN(std::vector<StaffMember> staff, store->staff().List());
  std::string text;
  nlohmann::json out = nlohmann::json::array();
  for (const StaffMember& m : staff) {
    const std::string role(StaffRoleName(m.role));
    text += m.name + "  " + role + "  " + Tr("添加于 ", "added ") + m.created_at;
    if (!m.disabled_at.empty()) text += Tr("  已停用 ", "  disabled ") + m.disabled_at;
    text += "\n";
    out.push_back({{"name", m.name},
                   {"role", role},
                   {"created_at", m.created_at},
                   {"disabled_at", m.disabled_at}});
  }
  return cli::Reply::Both(text, out.dump(2));
}

Result<cli::Reply> StaffDisable(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  RETURN_IF_ERROR(store->staff().Disable(ctx.Flag("--name")));
  return cli::Reply::Text(Tr("已停用工作人员 ", "staff member disabled: ") + ctx.Flag("--name") +
                          "\n");
}

Result<cli::Reply> StaffReset(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  const std::string& name = ctx.Flag("--name");
  ASSIGN_OR_RETURN(
      std::string passphrase,
      platform::ReadSecret("ONECARD_NEW_PASSPHRASE",
                           Tr("为 " + name + " 设置新口令：", "New passphrase for " + name + ": "),
                           true));
  Status s = store->staff().ResetPassphrase(name, passphrase);
  WipeString(passphrase);
  RETURN_IF_ERROR(s);
  return cli::Reply::Text(Tr(
      "已重设 " + name + " 的口令，请其登录后用 passwd 更改\n",
      "passphrase reset for " + name + "; they should change it with passwd after signing in\n"));
}

}  // namespace

std::vector<TerminalCommand> SetupCommands() {
  return {
      {{{"init"},
        "用登记包初始化终端",
        "set up the terminal from an enrolment bundle",
        {cli::Required("--bundle")}},
       std::nullopt,
       Init},
      {{{"readers"}, "列出读卡器", "list card readers", {}}, std::nullopt, Readers},
  };
}

std::vector<TerminalCommand> UpkeepCommands() {
  return {
      {{{"sync"}, "与服务器同步", "sync with the server", {cli::Optional("--server", "HOST:PORT")}},
       StaffAction::kSync,
       Sync},
      {{{"audit", "verify"}, "检查审计链", "check the audit chain", {}},
       StaffAction::kAuditVerify,
       AuditVerify},
      {{{"staff", "add"},
        "添加工作人员（主管）",
        "add a staff member (supervisor)",
        {cli::Required("--user", "新工作人员的用户名", "the new staff member's user name"),
         cli::Required("--role", "registrar|supervisor")}},
       StaffAction::kStaffAdd,
       StaffAdd},
      {{{"passwd"}, "更改自己的口令", "change your own passphrase", {}},
       StaffAction::kChangeOwnPassphrase,
       Passwd},
      {{{"staff", "list"}, "列出工作人员（主管）", "list the staff members (supervisor)", {}},
       StaffAction::kStaffManage,
       StaffList},
      {{{"staff", "disable"},
        "停用工作人员（主管），其口令不再能打开本终端",
        "disable a staff member (supervisor): their passphrase opens nothing here any more",
        {cli::Required("--name", "工作人员用户名", "the staff member's user name")}},
       StaffAction::kStaffManage,
       StaffDisable},
      {{{"staff", "reset"},
        "为忘记口令的工作人员重设口令（主管）",
        "give a staff member who forgot theirs a new passphrase (supervisor)",
        {cli::Required("--name", "工作人员用户名", "the staff member's user name")}},
       StaffAction::kStaffManage,
       StaffReset},
  };
}

}  // namespace onecard::terminal
