#include "cli_console.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "onecard/server/data_dir.h"

namespace onecard::server {

std::string Console::DataDir() const { return ResolveDataDir(args_.GlobalText("--data")); }

std::string Console::OsUser() {
  const uid_t uid = getuid();
  const passwd* pw = getpwuid(uid);
  if (pw != nullptr && pw->pw_name != nullptr && pw->pw_name[0] != '\0') return pw->pw_name;
  return std::to_string(uid);
}

std::string Console::ActingUser() const {
  if (!Flag("--user").empty()) return Flag("--user");
  const char* env_user = std::getenv("USER");
  if (env_user != nullptr && *env_user != '\0') return env_user;
  return OsUser();
}

namespace {

// The command's own flags as given, as JSON: text and numbers as strings, switches as true.
nlohmann::json FlagsGiven(const cli::CommandSpec& spec, const cli::Args& args) {
  nlohmann::json flags = nlohmann::json::object();
  for (const cli::Arg& arg : spec.args) {
    if (arg.kind == cli::Arg::Kind::kSwitch) {
      if (args.On(arg.name)) flags[arg.name] = true;
    } else if (arg.kind == cli::Arg::Kind::kList) {
      if (!args.Values(arg.name).empty()) flags[arg.name] = args.Values(arg.name);
    } else if (!args.Text(arg.name).empty()) {
      flags[arg.name] = args.Text(arg.name);
    }
  }
  return flags;
}

}  // namespace

Status Console::Audit(const cli::CommandSpec& spec) {
  std::string action;
  for (const std::string& word : spec.path) action += (action.empty() ? "" : " ") + word;
  std::string subject;
  for (const char* flag : {"--child", "--user", "--terminal", "--site", "--area", "--serial"}) {
    if (!Flag(flag).empty()) {
      subject = Flag(flag);
      break;
    }
  }
  // A review decision names its two children as arguments.
  if (subject.empty() && args_.Values("children").size() == 2)
    subject = args_.Values("children")[0] + "," + args_.Values("children")[1];
  ASSIGN_OR_RETURN(AdminStore * store, Admin());
  return store->AppendServerAudit(OsUser(), action, subject, FlagsGiven(spec, args_).dump());
}

Result<ServerStore*> Console::Store() {
  if (!store_) {
    ASSIGN_OR_RETURN(store_, ServerStore::Open(DataDir(), clock_));
  }
  return store_.get();
}

Result<ReportStore*> Console::Reports() {
  if (reports_ != nullptr) return reports_;
  ASSIGN_OR_RETURN(ServerStore * store, Store());
  return static_cast<ReportStore*>(store);
}

Result<AdminStore*> Console::Admin() {
  ASSIGN_OR_RETURN(ServerStore * store, Store());
  return static_cast<AdminStore*>(store);
}

Result<AccountStore*> Console::Accounts() {
  ASSIGN_OR_RETURN(ServerStore * store, Store());
  return static_cast<AccountStore*>(store);
}

}  // namespace onecard::server
