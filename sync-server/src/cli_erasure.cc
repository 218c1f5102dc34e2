// `onecard-server erase`: an administrator erases a child's personal data (PRODUCT.md section 13,
// docs/data-protection.md). The terminals erase it after their next sync.
// `onecard-server retention`: shows or sets how long a record is kept after it closes at 18
// before serve erases it (ageing_out.h).

#include "cli_console.h"
#include "onecard/protocol/ageing_out.h"
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

std::string YearsText(int years) {
  return Tr(std::to_string(years) + " 年",
            std::to_string(years) + (years == 1 ? " year" : " years"));
}

Result<cli::Reply> Retention(Console& console) {
  const std::string& given = console.Flag("--years");
  std::optional<int> years;
  if (!given.empty()) {
    ASSIGN_OR_RETURN(years, ParseRetentionYears(given));  // before the store is opened
  }
  ASSIGN_OR_RETURN(AdminStore * store, console.Admin());
  if (years) RETURN_IF_ERROR(store->SetRetentionYears(*years));
  ASSIGN_OR_RETURN(int now, store->RetentionYears());
  return cli::Reply::Both(
      Tr("儿童年满 18 岁时记录关闭，关闭后保存 " + YearsText(now) +
             "，期满由服务（serve）每日删除\n",
         "a record closes when the child turns 18 and is kept " + YearsText(now) +
             " after that, then erased by serve's daily job\n"),
      nlohmann::json{{"retention_years", now}}.dump());
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
       Erase,
       Audited::kYes},
      {{{"retention"},
        "显示或设置年满 18 岁关闭的记录的保存年限（默认 2 年，期满删除）",
        "show or set how long a record closed at 18 is kept before it is erased (default 2 "
        "years)",
        {cli::Optional("--years", "0 到 30 的整数", "a whole number from 0 to 30")}},
       Retention,
       Audited::kYes},
  };
}

}  // namespace onecard::server
