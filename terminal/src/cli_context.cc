#include "cli_context.h"

#include <cstdlib>

#include "onecard/platform/secret_input.h"
#include "onecard/protocol/i18n.h"
#include "onecard/terminal/child_page.h"
#include "onecard/terminal/data_dir.h"
#include "record_text.h"

namespace onecard::terminal {

std::string CommandContext::ActingUser() const {
  const std::string& flag = args_.GlobalText("--user");
  if (!flag.empty()) return flag;
  const char* env = std::getenv("ONECARD_USER");
  return env != nullptr ? env : "";
}

std::string CommandContext::DataDir() const { return ResolveDataDir(args_.GlobalText("--data")); }

Result<TerminalStore*> CommandContext::Store() {
  if (store_) return store_.get();
  if (!action_)
    return Status(ErrorCode::kInternal, "a command without a staff action asked for the store");
  std::string user = ActingUser();
  if (user.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("请用 --user 或 ONECARD_USER 指明操作的工作人员",
                     "name the acting staff member with --user or ONECARD_USER"));
  }
  ASSIGN_OR_RETURN(std::string passphrase,
                   platform::ReadSecret("ONECARD_PASSPHRASE", Tr("口令：", "Passphrase: ")));
  auto store = TerminalStore::Open(DataDir(), user, passphrase, clock_);
  WipeString(passphrase);
  if (!store.ok()) return store.status();
  RETURN_IF_ERROR((*store)->staff().Authorize(*action_));
  store_ = std::move(*store);
  return store_.get();
}

cli::Reply RecordReply(const nlohmann::json& record) {
  return cli::Reply::Both(RecordText(record), PublicRecord(record).dump(2));
}

}  // namespace onecard::terminal
