// The record commands: register, update, show, search, due, erase (export: cli_export.cc).

#include <iostream>
#include <iterator>
#include <sstream>

#include "cli_context.h"
#include "conflict_text.h"
#include "due_text.h"
#include "identity_review_text.h"
#include "onecard/platform/file_io.h"
#include "onecard/protocol/child_record.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/erasure.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/immunization_schedule.h"
#include "onecard/terminal/child_page.h"
#include "record_text.h"
#include "referral_text.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

// The record text from the file --record names, or from standard input for "-".
Result<json> ReadRecordInput(const CommandContext& ctx) {
  const std::string& path = ctx.Flag("--record");
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    ASSIGN_OR_RETURN(text, platform::ReadWholeFile(path));
  }
  return ParseJson(text, path == "-" ? "stdin" : path);
}

Result<cli::Reply> Register(CommandContext& ctx) {
  ASSIGN_OR_RETURN(json input, ReadRecordInput(ctx));
  ASSIGN_OR_RETURN(json record, ValidateNewChild(input, CivilDate::TodayInChina(ctx.clock())));
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  ASSIGN_OR_RETURN(std::string child_id, store->children().Register(record));
  return cli::Reply::Both(child_id + "\n", json{{"child_id", child_id}}.dump());
}

Result<cli::Reply> Update(CommandContext& ctx) {
  ASSIGN_OR_RETURN(json patch, ReadRecordInput(ctx));
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  const std::string& child_id = ctx.Flag("--child");
  ASSIGN_OR_RETURN(json current, store->children().RecordOf(child_id));
  ASSIGN_OR_RETURN(json fields, ValidateChildPatch(PublicRecord(current), patch,
                                                   CivilDate::TodayInChina(ctx.clock())));
  ASSIGN_OR_RETURN(json updated, store->children().Update(child_id, fields));
  return RecordReply(updated);
}

// The child's page (child_page.h): the record, then its move, open conflicts, the other records
// of the same child and its referrals.
Result<cli::Reply> Show(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  ASSIGN_OR_RETURN(ChildPage page, LoadChildPage(*store, ctx.Flag("--child")));
  if (page.closed()) return cli::Reply::Both(ClosedRecordText(page.record), page.record.dump(2));
  std::string text = RecordText(page.record) + MoveText(page.move) + ConflictText(page.conflicts) +
                     SameChildText(page.same_child_as);
  if (!page.referrals.empty()) {
    text += Tr("转介：", "Referrals:") + "\n" + ReferralsText(page.referrals);
  }
  return cli::Reply::Both(std::move(text), page.ToJson().dump(2));
}

Result<cli::Reply> Search(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  ASSIGN_OR_RETURN(std::vector<json> found,
                   store->children().Search(ctx.Flag("--name"), ctx.Flag("--id-number")));
  std::ostringstream text;
  for (const json& r : found) {
    if (IsClosedRecord(r)) {
      text << ClosedRecordText(r);
      continue;
    }
    text << r.value("child_id", "") << "\t" << r.value("name", "") << "\t"
         << r.value("birth_date", "") << "\t" << r.value("residence_area", "") << "\n";
  }
  if (found.empty()) text << Tr("没有找到", "nothing found") << "\n";
  return cli::Reply::Both(text.str(), json(found).dump(2));
}

// The day --on names, else today in China.
Result<CivilDate> DueDay(const CommandContext& ctx) {
  if (ctx.Flag("--on").empty()) return CivilDate::TodayInChina(ctx.clock());
  auto parsed = CivilDate::Parse(ctx.Flag("--on"));
  if (!parsed.ok())
    return Status(ErrorCode::kInvalidArgument, Tr("--on：", "--on: ") + parsed.status().message());
  return *parsed;
}

Result<cli::Reply> Due(CommandContext& ctx) {
  ASSIGN_OR_RETURN(CivilDate on, DueDay(ctx));
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  const std::string& child_id = ctx.Flag("--child");
  ASSIGN_OR_RETURN(json record, store->children().Show(child_id));
  if (IsClosedRecord(record)) {
    std::string closed = ClosedRecordText(record);
    closed.pop_back();  // its newline: an error message is one sentence
    return Status(ErrorCode::kFailedPrecondition, closed);
  }
  auto birth = CivilDate::Parse(record.value("birth_date", ""));
  if (!birth.ok())
    return Status(ErrorCode::kCorruption,
                  Tr("记录的出生日期无效", "the record's birth_date is not a date"));
  if (on < *birth) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--on 早于儿童的出生日期", "--on is before the child's birth date"));
  }
  ASSIGN_OR_RETURN(auto given, GivenDosesOf(record));
  ImmunizationAssessment assessment =
      AssessImmunizations(ImmunizationSchedule::National(), *birth, given, on);
  json out = assessment.ToJson();
  out["child_id"] = child_id;
  return cli::Reply::Both(DueText(child_id, assessment), out.dump(2));
}

Result<cli::Reply> Erase(CommandContext& ctx) {
  const std::string& child_id = ctx.Flag("--child");
  const std::string& reason = ctx.Flag("--reason");
  RETURN_IF_ERROR(CheckGivenErasureReason(reason));  // before the passphrase is asked
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  RETURN_IF_ERROR(store->erasures().Erase(child_id, reason));
  return cli::Reply::Text(
      Tr("已删除儿童 " + child_id + " 的个人数据（" + ErasureReasonText(reason) +
             "）；同步后服务器和各终端也将删除，该儿童的卡已停用\n",
         "erased the personal data of child " + child_id + " (" + ErasureReasonText(reason) +
             "); the server and every terminal erase it after sync, and the child's card is "
             "refused\n"));
}

}  // namespace

std::vector<TerminalCommand> RecordCommands() {
  const cli::Arg child = cli::Required("--child");
  const cli::Arg record = cli::Required("--record", "FILE|-");
  return {
      {{{"register"}, "登记儿童", "register a child", {record}}, StaffAction::kRegister, Register},
      {{{"update"}, "修改儿童记录", "update a child's record", {child, record}},
       StaffAction::kUpdate,
       Update},
      {{{"show"}, "显示儿童记录", "show a child's record", {child}}, StaffAction::kShow, Show},
      {{{"search"},
        "查找儿童",
        "find children",
        {cli::Optional("--name"), cli::Optional("--id-number")}},
       StaffAction::kSearch,
       Search},
      {{{"due"},
        "预防接种：已种、应种、逾期",
        "immunization doses done, due and overdue",
        {child, cli::Optional("--on", "YYYY-MM-DD")}},
       StaffAction::kDue,
       Due},
      {{{"erase"},
        "删除儿童的个人数据（主管；本终端、服务器及各终端，不可恢复）",
        "erase a child's personal data (supervisor; here, at the server and every terminal; "
        "cannot be undone)",
        {child, cli::Required("--reason", "原因：" + GivenErasureReasons(true),
                              "reason: " + GivenErasureReasons(false))}},
       StaffAction::kEraseChild,
       Erase},
      ExportCommand(),
  };
}

}  // namespace onecard::terminal
