// The referral commands: refer, referral accept|decline|complete|close|list.

#include "cli_context.h"
#include "onecard/protocol/i18n.h"
#include "onecard/terminal/referral_repository.h"
#include "referral_text.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

Result<cli::Reply> Refer(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  ASSIGN_OR_RETURN(std::string id,
                   store->referrals().Refer(ctx.Flag("--child"), ctx.Flag("--service"),
                                            ctx.Flag("--to-site"), ctx.Flag("--reason")));
  return cli::Reply::Both(id + "\n", json{{"referral_id", id}}.dump());
}

// Moves the referral --referral names to `to`. A decline's --reason is its code and --note the
// text; for the other moves --reason (the contract's name) or --note is the text, not both.
Result<cli::Reply> Move(CommandContext& ctx, ReferralStatus to) {
  const bool decline = to == ReferralStatus::kDeclined;
  const std::string& reason = ctx.Flag("--reason");
  const std::string& note = ctx.Flag("--note");
  if (!decline && !reason.empty() && !note.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--reason 和 --note 都是说明文字，只能给一个",
                     "--reason and --note are both the note on the outcome; give one"));
  }
  if (decline) RETURN_IF_ERROR(CheckDeclineReasonGiven(reason));
  const bool noted = decline || reason.empty();
  const std::string& text = noted ? note : reason;
  RETURN_IF_ERROR(CheckReferralText(text, /*required=*/false, noted ? "--note" : "--reason"));
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  ASSIGN_OR_RETURN(Referral moved, store->referrals().Move(ctx.Flag("--referral"), to, text,
                                                           decline ? reason : ""));
  return cli::Reply::Both(ReferralsText({moved}), moved.ToJson().dump(2));
}

Result<cli::Reply> Accept(CommandContext& ctx) { return Move(ctx, ReferralStatus::kAccepted); }
Result<cli::Reply> Decline(CommandContext& ctx) { return Move(ctx, ReferralStatus::kDeclined); }
Result<cli::Reply> Complete(CommandContext& ctx) { return Move(ctx, ReferralStatus::kCompleted); }
Result<cli::Reply> Close(CommandContext& ctx) {
  return Move(ctx, ReferralStatus::kClosedUnreached);
}

Result<cli::Reply> List(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  ASSIGN_OR_RETURN(std::vector<Referral> referrals, store->referrals().List(""));
  json out = json::array();
  for (const Referral& r : referrals) out.push_back(r.ToJson());
  return cli::Reply::Both(ReferralsText(referrals), out.dump(2));
}

}  // namespace

std::vector<TerminalCommand> ReferralCommands() {
  const std::vector<cli::Arg> move = {cli::Required("--referral"),
                                      cli::Optional("--reason", "说明", "note on the outcome"),
                                      cli::Optional("--note", "说明", "note on the outcome")};
  // --reason is required for a decline; Move says so with the codes (CheckDeclineReasonGiven).
  const std::vector<cli::Arg> decline = {
      cli::Required("--referral"),
      cli::Optional("--reason", "拒绝原因代码：inappropriate|no_capacity|family_refused|other",
                    "decline reason code: inappropriate|no_capacity|family_refused|other"),
      cli::Optional("--note", "说明", "note on the outcome")};
  const auto referral = [](const char* verb) { return std::vector<std::string>{"referral", verb}; };
  return {
      {{{"refer"},
        "把儿童转介到服务机构",
        "refer a child to a service",
        {cli::Required("--child"),
         cli::Required("--service", "education|health|protection|legal_aid|social_assistance"),
         cli::Required("--to-site", "接收转介的站点", "the site that provides the service"),
         cli::Required("--reason", "转介原因", "why the child is referred")}},
       StaffAction::kReferral,
       Refer},
      {{referral("accept"), "受理转介（接收站点）", "accept a referral (target site)", move},
       StaffAction::kReferral,
       Accept},
      {{referral("decline"), "拒绝转介（接收站点）", "decline a referral (target site)", decline},
       StaffAction::kReferral,
       Decline},
      {{referral("complete"), "记录服务已提供（接收站点）",
        "record that the service was delivered (target site)", move},
       StaffAction::kReferral,
       Complete},
      {{referral("close"), "关闭转介：未联系上儿童", "close a referral: the child was not reached",
        move},
       StaffAction::kReferral,
       Close},
      {{referral("list"), "列出本终端的转介", "list the referrals held here", {}},
       StaffAction::kReferral,
       List},
  };
}

}  // namespace onecard::terminal
