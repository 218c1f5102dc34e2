// The supervisor's review commands: conflicts list|resolve, review list|merge|separate|unmerge.

#include <sstream>

#include "cli_context.h"
#include "conflict_text.h"
#include "identity_review_text.h"
#include "onecard/protocol/i18n.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

// A member of a stored conflict list as text: values of any type are shown, never asked for as
// a type (old data may differ).
std::string MemberText(const json& child, const char* key) {
  auto it = child.is_object() ? child.find(key) : child.end();
  if (it == child.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

Result<cli::Reply> ConflictsList(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  ASSIGN_OR_RETURN(json children, store->conflicts().List());
  std::ostringstream text;
  for (const json& child : children) {
    auto conflicts = child.is_object() ? child.find("conflicts") : child.end();
    text << MemberText(child, "child_id") << "\t" << MemberText(child, "name") << "\n"
         << (conflicts == child.end() ? std::string() : ConflictText(*conflicts));
  }
  if (children.empty()) text << Tr("没有未解决的冲突", "no open conflicts") << "\n";
  return cli::Reply::Both(text.str(), children.dump(2));
}

Result<cli::Reply> ConflictsResolve(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  const std::string& child_id = ctx.Flag("--child");
  ASSIGN_OR_RETURN(json record, store->conflicts().Resolve(child_id, ctx.Flag("--field"),
                                                           ctx.Flag("--value-from")));
  // The confirmation line comes first in both forms, as before the record.
  cli::Reply reply = RecordReply(record);
  const std::string line =
      Tr("冲突已解决：", "conflict resolved: ") + child_id + " " + ctx.Flag("--field") + "\n";
  reply.text = line + reply.text;
  reply.json = line + reply.json;
  return reply;
}

Result<cli::Reply> ReviewList(CommandContext& ctx) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  ASSIGN_OR_RETURN(auto pairs, store->identity().ListReview());
  return cli::Reply::Both(IdentityReviewText(pairs), IdentityReviewJson(pairs).dump(2));
}

// Records `decision` ("merge", "separate", "unmerge") about the two children named.
Result<cli::Reply> Decide(CommandContext& ctx, const std::string& decision) {
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  const std::string& a = ctx.Flag("A");
  const std::string& b = ctx.Flag("B");
  RETURN_IF_ERROR(store->identity().Decide(decision, a, b));
  return cli::Reply::Text(IdentityDecisionText(decision, a, b) + "\n");
}

Result<cli::Reply> Merge(CommandContext& ctx) { return Decide(ctx, "merge"); }
Result<cli::Reply> Separate(CommandContext& ctx) { return Decide(ctx, "separate"); }
Result<cli::Reply> Unmerge(CommandContext& ctx) { return Decide(ctx, "unmerge"); }

}  // namespace

std::vector<TerminalCommand> ReviewCommands() {
  const std::vector<cli::Arg> pair = {cli::Required("A", "儿童编号", "child id"),
                                      cli::Required("B", "儿童编号", "child id")};
  const auto review = [](const char* verb) { return std::vector<std::string>{"review", verb}; };
  return {
      {{{"conflicts", "list"}, "列出未解决的冲突", "list open conflicts", {}},
       StaffAction::kResolveConflict,
       ConflictsList},
      {{{"conflicts", "resolve"},
        "选定一个值以解决冲突",
        "resolve a conflict by choosing a value",
        {cli::Required("--child"),
         cli::Required("--field", "字段，如 name 或 immunizations[MMR#1]",
                       "field, e.g. name or immunizations[MMR#1]"),
         cli::Required("--value-from", "TERMINAL|TERMINAL:SEQ")}},
       StaffAction::kResolveConflict,
       ConflictsResolve},
      {{review("list"), "列出待审核的记录对", "list the pairs waiting for review", {}},
       StaffAction::kIdentityReview,
       ReviewList},
      {{review("merge"), "判定 A 与 B 是同一儿童", "decide that A and B are one child", pair},
       StaffAction::kIdentityReview,
       Merge},
      {{review("separate"), "判定 A 与 B 不是同一儿童",
        "decide that A and B are not the same child", pair},
       StaffAction::kIdentityReview,
       Separate},
      {{review("unmerge"), "撤销合并：A 与 B 重新待审核",
        "undo a merge: A and B wait for review again", pair},
       StaffAction::kIdentityReview,
       Unmerge},
  };
}

}  // namespace onecard::terminal
