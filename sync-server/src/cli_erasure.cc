// `onecard-server erase`: an administrator erases a child's personal data (PRODUCT.md section 13,
// docs/data-protection.md). The terminals erase it after their next sync.

#include "cli_console.h"
#include "onecard/protocol/erasure.h"
#include "onecard/protocol/i18n.h"

namespace onecard::server {
namespace {

Result<cli::Reply> Erase(Console& console) {
  const ErasureRequest request{console.Flag("--child"), console.Flag("--reason"),
                               console.ActingUser()};
  RETURN_IF_ERROR(CheckGivenErasureReason(request.reason));  // before the store is opened
  ASSIGN_OR_RETURN(AdminStore * store, console.Admin());
  RETURN_IF_ERROR(store->EraseChild(request));
  const std::string why = ErasureReasonText(request.reason);
  return cli::Reply::Text(
      Tr("已删除儿童 " + request.child_id + " 的个人数据（" + why +
             "）；各终端下次同步时删除其所存数据，该儿童的卡已吊销\n",
         "erased the personal data of child " + request.child_id + " (" + why +
             "); every terminal erases what it holds at its next sync, and the child's card is "
             "revoked\n"));
}

}  // namespace

std::vector<ServerCommand> ErasureCommands() {
  return {
      {{{"erase"},
        "删除儿童的个人数据（服务器及各终端，不可恢复）",
        "erase a child's personal data (server and every terminal; cannot be undone)",
        {cli::Required("--child", "儿童编号", "child id"),
         cli::Required("--reason", "原因：" + GivenErasureReasons(true),
                       "reason: " + GivenErasureReasons(false)),
         cli::Optional("--user", "删除数据的管理员（默认 $USER 或登录名）",
                       "the administrator who erases (default: $USER or the login name)")}},
       Erase},
  };
}

}  // namespace onecard::server
