// The accounts of the officials' HTTPS API and dashboard (CLI.md `user ...`, accounts.h):
// user add, list, disable, passwd, totp. Passwords come from ONECARD_PASSWORD or a prompt,
// never from the command line; a TOTP key is shown once, when it is made.

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_console.h"
#include "onecard/platform/secret_input.h"
#include "onecard/platform/secret_wipe.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/totp.h"
#include "onecard/server/accounts.h"

namespace onecard::server {
namespace {

constexpr char kPasswordVariable[] = "ONECARD_PASSWORD";

// The new password of `user`: ONECARD_PASSWORD, else asked twice on the terminal.
Result<std::string> ReadNewPassword(const std::string& user) {
  return platform::ReadSecret(kPasswordVariable,
                              Tr("账户 " + user + " 的新口令（至少 12 个字符）：",
                                 "new password for " + user + " (at least 12 characters): "),
                              /*confirm=*/true);
}

// What the holder of a new TOTP key needs to set up an authenticator application.
std::string TotpSetupText(const std::string& user, const SecretBytes& key) {
  if (key.empty()) return "";
  return Tr("动态验证码密钥（仅显示这一次，请在验证器应用中添加）：",
            "one-time code key (shown this once: add it to an authenticator app): ") +
         Base32Encode(key.span()) + "\n" + TotpUri(user, key.span()) + "\n";
}

nlohmann::ordered_json TotpJson(const std::string& user, const SecretBytes& key) {
  if (key.empty()) return nullptr;
  return {{"secret", Base32Encode(key.span())}, {"uri", TotpUri(user, key.span())}};
}

Result<cli::Reply> UserAdd(Console& console) {
  NewAccount account{console.Flag("--user"), console.Flag("--role"), console.Flag("--area"),
                     console.args().On("--totp")};
  // Every field is checked before the password is asked for.
  RETURN_IF_ERROR(ValidateAccountName(account.user_name));
  RETURN_IF_ERROR(ValidateRole(account.role));
  RETURN_IF_ERROR(ValidateAreaPrefix(account.area_prefix));
  ASSIGN_OR_RETURN(AccountStore * store, console.Accounts());
  ASSIGN_OR_RETURN(std::string password, ReadNewPassword(account.user_name));
  Result<SecretBytes> key = AddAccount(*store, account, password);
  platform::WipeString(password);
  RETURN_IF_ERROR(key.status());
  std::string text = Tr("账户已创建：", "account created: ") + account.user_name + " " +
                     account.role + " " + account.area_prefix + "\n" +
                     TotpSetupText(account.user_name, *key);
  nlohmann::ordered_json json = {{"user", account.user_name},
                                 {"role", account.role},
                                 {"area", account.area_prefix},
                                 {"totp", TotpJson(account.user_name, *key)}};
  return cli::Reply::Both(std::move(text), json.dump());
}

Result<cli::Reply> UserList(Console& console) {
  ASSIGN_OR_RETURN(AccountStore * store, console.Accounts());
  ASSIGN_OR_RETURN(std::vector<Account> accounts, store->ListAccounts());
  std::ostringstream text;
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  for (const Account& a : accounts) {
    text << a.user_name << "\t" << a.role << "\t" << a.area_prefix << "\t"
         << (a.has_totp ? Tr("动态验证码", "one-time code") : Tr("仅口令", "password only"))
         << (a.disabled ? Tr("\t已停用", "\tdisabled") : "") << "\n";
    json.push_back({{"user", a.user_name},
                    {"role", a.role},
                    {"area", a.area_prefix},
                    {"totp", a.has_totp},
                    {"disabled", a.disabled},
                    {"created_at", a.created_at}});
  }
  text << Tr("账户数：", "accounts: ") << accounts.size() << "\n";
  return cli::Reply::Both(text.str(), json.dump());
}

Result<cli::Reply> UserDisable(Console& console) {
  const std::string& user = console.Flag("--user");
  ASSIGN_OR_RETURN(AccountStore * store, console.Accounts());
  RETURN_IF_ERROR(store->SetDisabled(user, true));
  return cli::Reply::Text(
      Tr("账户已停用，其会话已结束：", "account disabled, its sessions ended: ") + user + "\n");
}

Result<cli::Reply> UserPasswd(Console& console) {
  const std::string& user = console.Flag("--user");
  ASSIGN_OR_RETURN(AccountStore * store, console.Accounts());
  RETURN_IF_ERROR(store->FindAccount(user).status());  // before asking for a password
  ASSIGN_OR_RETURN(std::string password, ReadNewPassword(user));
  Status changed = ChangePassword(*store, user, password);
  platform::WipeString(password);
  RETURN_IF_ERROR(changed);
  return cli::Reply::Text(Tr("口令已更改，锁定已解除，原有会话已结束：",
                             "password changed, any lock lifted, its sessions ended: ") +
                          user + "\n");
}

Result<cli::Reply> UserTotp(Console& console) {
  const std::string& user = console.Flag("--user");
  const bool off = console.args().On("--off");
  ASSIGN_OR_RETURN(AccountStore * store, console.Accounts());
  ASSIGN_OR_RETURN(SecretBytes key, ResetTotp(*store, user, off));
  if (off) {
    return cli::Reply::Text(Tr("已关闭动态验证码：", "one-time code turned off: ") + user + "\n");
  }
  nlohmann::ordered_json json = {{"user", user}, {"totp", TotpJson(user, key)}};
  return cli::Reply::Both(Tr("已生成新的动态验证码密钥：", "new one-time code key made: ") + user +
                              "\n" + TotpSetupText(user, key),
                          json.dump());
}

// The newest entries of the API audit (docs/api.md, "Audit"), of one account with --user, oldest
// first: who asked what, when, the answer's status and how many counts it disclosed.
Result<cli::Reply> UserAudit(Console& console) {
  const std::string& user = console.args().Text("--user");
  const long last = console.args().NumberOf("--last");
  ASSIGN_OR_RETURN(AccountStore * store, console.Accounts());
  if (!user.empty()) RETURN_IF_ERROR(store->FindAccount(user).status());
  ASSIGN_OR_RETURN(std::vector<ApiAuditEntry> entries,
                   store->ApiAudit(user, static_cast<size_t>(last > 0 ? last : 50)));
  std::ostringstream text;
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  for (const ApiAuditEntry& e : entries) {
    text << e.at << "\t" << (e.user_name.empty() ? "-" : e.user_name) << "\t" << e.method << " "
         << e.target << "\t" << e.status << "\t" << e.cells << "\n";
    json.push_back({{"id", e.audit_id},
                    {"at", e.at},
                    {"user", e.user_name},
                    {"method", e.method},
                    {"target", e.target},
                    {"status", e.status},
                    {"cells", e.cells}});
  }
  text << Tr("（时间、账户、请求、状态、公布的个数）共 ",
             "(time, account, request, status, counts disclosed) entries: ")
       << entries.size() << "\n";
  return cli::Reply::Both(text.str(), json.dump());
}

}  // namespace

std::vector<ServerCommand> UserCommands() {
  const cli::Arg user = cli::Required("--user", "账户名", "account name");
  return {
      {{{"user", "add"},
        "创建 HTTPS 接口账户（口令取自 ONECARD_PASSWORD 或提示输入；admin 必须使用动态验证码）",
        "create an HTTPS API account (password from ONECARD_PASSWORD or a prompt; admins always "
        "get a one-time code key)",
        {user, cli::Required("--role", "official 或 admin", "official or admin"),
         cli::Required("--area", "辖区：行政区划代码前缀（2、4 或 6 位）",
                       "jurisdiction: area code prefix (2, 4 or 6 digits)"),
         cli::Switch("--totp", "官员也要求动态验证码（RFC 6238）",
                     "require a one-time code (RFC 6238) of an official too")}},
       UserAdd,
       Audited::kYes},
      {{{"user", "list"}, "列出账户", "list the accounts", {}}, UserList, Audited::kYes},
      {{{"user", "disable"},
        "停用账户并结束其会话",
        "disable an account, ending its sessions",
        {user}},
       UserDisable,
       Audited::kYes},
      {{{"user", "passwd"},
        "更改口令（取自 ONECARD_PASSWORD 或提示输入）并解除锁定",
        "change the password (from ONECARD_PASSWORD or a prompt) and lift any lock",
        {user}},
       UserPasswd,
       Audited::kYes},
      {{{"user", "totp"},
        "生成新的动态验证码密钥（--off：官员关闭动态验证码）",
        "make a new one-time code key (--off: an official signs in without one)",
        {user, cli::Switch("--off", "关闭动态验证码（管理员不可）",
                           "turn the one-time code off (not for admins)")}},
       UserTotp,
       Audited::kYes},
      {{{"user", "audit"},
        "HTTPS 接口的审计记录：谁在何时问了什么、答复状态、公布了多少个数",
        "the HTTPS API's audit: who asked what and when, the answer's status, counts disclosed",
        {cli::Optional("--user", "只看这个账户", "only this account"),
         cli::Number("--last", "显示最新的多少条（默认 50）", "how many of the newest (default 50)",
                     1, 100000)}},
       UserAudit,
       Audited::kYes},
  };
}

}  // namespace onecard::server
