// The card commands: card issue, read, update, replace, revoke.

#include <chrono>
#include <iostream>

#include "cli_context.h"
#include "onecard/protocol/i18n.h"
#include "onecard/terminal/card_reading.h"
#include "onecard/terminal/card_service.h"
#include "onecard/terminal/card_writing.h"
#include "record_text.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

Result<cli::Reply> Issue(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  ASSIGN_OR_RETURN(CardWritten written,
                   IssueCard(*store, ctx.Flag("--reader"), ctx.Flag("--child")));
  return cli::Reply::Text(Tr("已发卡，卡号 ", "card issued, serial ") + written.serial + "\n");
}

// The reader to read: the one named, or, with --wait, the first that gets a card in time.
Result<std::string> ReaderWithCard(const CommandContext& ctx) {
  long wait_seconds = ctx.args().NumberOf("--wait");
  if (wait_seconds <= 0) return ctx.Flag("--reader");
  std::cerr << Tr("请插卡……", "insert a card...") << std::endl;
  return WaitForCard(ctx.Flag("--reader"), std::chrono::seconds(wait_seconds));
}

Result<cli::Reply> Read(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  ASSIGN_OR_RETURN(std::string reader, ReaderWithCard(ctx));
  ASSIGN_OR_RETURN(CardReading reading, ReadCardIntoStore(*store, reader));
  const CardContents& card = reading.card;
  if (reading.closed_on) {
    json shown = ClosedRecord(card.child.value("child_id", ""), *reading.closed_on);
    return cli::Reply::Both(Tr("卡号 ", "card ") + card.serial + "\n" + ClosedRecordText(shown),
                            shown.dump(2));
  }
  std::string text = Tr("卡号 ", "card ") + card.serial +
                     Tr("，签发终端 ", ", signed by terminal ") + card.signer_terminal_id +
                     Tr("，签名有效", ", signature valid") + "\n";
  if (reading.imported) {
    text += Tr("新儿童，已导入本终端", "new child, imported into this terminal") + "\n";
  }
  text += RecordText(PublicRecord(card.child));
  return cli::Reply::Both(std::move(text), PublicRecord(card.child).dump(2));
}

Result<cli::Reply> Update(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  ASSIGN_OR_RETURN(CardWritten written, UpdateCard(*store, ctx.Flag("--reader"), ""));
  return cli::Reply::Text(Tr("卡已更新：", "card updated: ") + written.serial + "\n");
}

// A new card for a child whose card was lost or damaged (card.md, "Lifecycle").
Result<cli::Reply> Replace(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  ASSIGN_OR_RETURN(CardWritten written, ReplaceCard(*store, ctx.Flag("--reader"),
                                                    ctx.Flag("--child"), ctx.Flag("--reason")));
  return cli::Reply::Text(Tr("已补办新卡，卡号 ", "replacement card issued, serial ") +
                          written.serial + Tr("；旧卡 ", "; old card ") + written.old_serial +
                          Tr(" 已吊销", " revoked") + "\n");
}

Result<cli::Reply> Revoke(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  RETURN_IF_ERROR(store->cards().Revoke(ctx.Flag("--serial"), ctx.Flag("--reason")));
  return cli::Reply::Text(
      Tr("卡已吊销：", "card revoked: ") + ctx.Flag("--serial") +
      Tr("（同步后各终端都会拒绝此卡）", " (every terminal refuses it once synced)") + "\n");
}

}  // namespace

std::vector<TerminalCommand> CardCommands() {
  const cli::Arg child = cli::Required("--child");
  const cli::Arg reason = cli::Optional("--reason", "原因", "reason");
  return {
      {{{"card", "issue"}, "发卡", "issue a card", {child}}, StaffAction::kCardIssue, Issue},
      {{{"card", "read"},
        "读卡并验证",
        "read and verify a card",
        {cli::Number("--wait", "等待插卡的秒数", "seconds to wait for a card to be inserted", 0,
                     86400)}},
       StaffAction::kCardRead,
       Read},
      {{{"card", "update"}, "把当前记录写入卡", "write the current record onto the card", {}},
       StaffAction::kCardUpdate,
       Update},
      {{{"card", "replace"},
        "补办新卡（主管），旧卡吊销",
        "issue a replacement card (supervisor); the old one is revoked",
        {child, reason}},
       StaffAction::kCardReplace,
       Replace},
      {{{"card", "revoke"},
        "吊销卡（主管），如挂失",
        "revoke a card (supervisor), e.g. when lost",
        {cli::Required("--serial", "卡号", "card serial"), reason}},
       StaffAction::kCardRevoke,
       Revoke},
  };
}

}  // namespace onecard::terminal
