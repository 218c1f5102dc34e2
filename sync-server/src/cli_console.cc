#include "cli_console.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

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
