// The identity commands of onecard-server (docs/identity-server.md): the review queue and the
// supervisors' merge / separate / unmerge decisions, a full refresh, the decisions log, and a
// child's residence history.

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "cli_console.h"
#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/i18n.h"
#include "onecard/server/report_store.h"
#include "report_text.h"

namespace onecard::server {
namespace {

using nlohmann::ordered_json;

// A record as stored: any field may be of any type in old data (report_text.h).
std::string RecordLine(const ordered_json& r) {
  std::string line = MemberText(r, "child_id");
  for (const char* f : {"name", "sex", "birth_date", "id_number", "hukou_area", "residence_area"}) {
    if (r.is_object() && r.contains(f)) line += "  " + MemberText(r, f);
  }
  return line;
}

std::string ReviewText(const ordered_json& queue) {
  if (queue.empty()) return Tr("待审核队列为空", "the review queue is empty") + "\n";
  std::ostringstream text;
  text << Tr("待审核的可能重复登记：", "possible duplicate registrations to review: ")
       << queue.size() << "\n";
  for (const auto& p : queue) {
    text << MemberText(p, "a") << " ~ " << MemberText(p, "b") << Tr("  得分 ", "  score ")
         << MemberText(p, "score") << "  " << MemberText(p, "reasons_text") << "\n";
    for (const auto& r : MemberOrNull(p, "records")) text << "    " << RecordLine(r) << "\n";
  }
  return text.str();
}

Result<cli::Reply> List(Console& console) {
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  ASSIGN_OR_RETURN(ordered_json queue, store->ReviewQueue());
  return cli::Reply::Both(ReviewText(queue), queue.dump());
}

Result<cli::Reply> Refresh(Console& console) {
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  ASSIGN_OR_RETURN(IdentityRefreshStats stats, store->RefreshIdentities(/*force=*/true));
  std::ostringstream text;
  text << Tr("身份识别已刷新：", "identities refreshed: ") << stats.records
       << Tr(" 条记录，", " records, ") << stats.persons
       << Tr(" 名儿童有多条记录，", " children with several records, ") << stats.review
       << Tr(" 对待审核", " pairs to review") << "\n";
  if (stats.unreadable > 0)
    text << Tr("无法读取的记录：", "unreadable records: ") << stats.unreadable << "\n";
  const ordered_json json{{"records", stats.records},
                          {"persons", stats.persons},
                          {"links", stats.links},
                          {"review", stats.review},
                          {"candidate_pairs", stats.candidate_pairs},
                          {"unreadable", stats.unreadable}};
  return cli::Reply::Both(text.str(), json.dump());
}

Result<cli::Reply> Log(Console& console) {
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  ASSIGN_OR_RETURN(ordered_json log, store->DecisionLog());
  std::ostringstream text;
  for (const auto& d : log) {
    text << MemberText(d, "decided_at") << "  " << MemberText(d, "kind") << "  "
         << MemberText(d, "a") << " " << MemberText(d, "b") << "  " << MemberText(d, "decided_by");
    if (MemberOrNull(d, "score").is_number())
      text << Tr("  得分 ", "  score ") << MemberText(d, "score");
    text << "\n";
  }
  return cli::Reply::Both(text.str(), log.dump());
}

// Who decides: --user, else $USER, else the login name of the process's user (decisions are never
// anonymous).
std::string DecidingUser(const Console& console) {
  if (!console.Flag("--user").empty()) return console.Flag("--user");
  const char* env_user = std::getenv("USER");
  if (env_user != nullptr && *env_user != '\0') return env_user;
  const passwd* pw = getpwuid(getuid());
  return pw != nullptr && pw->pw_name != nullptr ? pw->pw_name : "";
}

Result<cli::Reply> Decide(Console& console, IdentityCommand command) {
  const std::vector<std::string>& pair = console.args().Values("children");
  const std::string& a = pair.at(0);
  const std::string& b = pair.at(1);
  const std::string user = DecidingUser(console);
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  RETURN_IF_ERROR(store->DecideIdentity(command, a, b, user));
  switch (command) {
    case IdentityCommand::kMerge:
      return cli::Reply::Text(Tr("已合并为同一儿童：", "merged as one child: ") + a + " " + b +
                              "\n");
    case IdentityCommand::kSeparate:
      return cli::Reply::Text(Tr("已判定不是同一儿童：", "recorded as different children: ") + a +
                              " " + b + "\n");
    case IdentityCommand::kUnmerge:
      break;
  }
  return cli::Reply::Text(Tr("已拆分：", "unmerged: ") + a + " " + b + "\n");
}

Result<cli::Reply> Merge(Console& console) { return Decide(console, IdentityCommand::kMerge); }
Result<cli::Reply> Separate(Console& console) {
  return Decide(console, IdentityCommand::kSeparate);
}
Result<cli::Reply> Unmerge(Console& console) { return Decide(console, IdentityCommand::kUnmerge); }

std::string AreaLabel(const std::string& code) {
  auto name = AreaName(code);
  return name ? code + " " + *name : code;
}

std::string HistoryText(const ordered_json& h) {
  std::ostringstream text;
  std::string records;
  for (const auto& r : MemberOrNull(h, "records"))
    records += (records.empty() ? "" : " ") + ValueText(r);
  text << Tr("儿童 ", "child ") << MemberText(h, "person_id")
       << Tr("（登记记录：", " (registrations: ") << records << Tr("）", ")") << "\n";
  std::string hukou = MemberText(h, "hukou_area"), residence = MemberText(h, "residence_area");
  text << Tr("户籍地：", "hukou area: ") << AreaLabel(hukou)
       << Tr("；现居住地：", "; residence area: ") << AreaLabel(residence) << "\n";
  if (MemberOrNull(h, "moved_out") == true)
    text << Tr("已迁出，现在 ", "moved out, now in ") << AreaLabel(residence) << "\n";
  for (const auto& m : MemberOrNull(h, "moves")) {
    const std::string from = AreaLabel(MemberText(m, "from")), to = AreaLabel(MemberText(m, "to"));
    text << "  " << MemberText(m, "at") << "  "
         << Tr("从 " + from + " 迁入 " + to, "moved in from " + from + " to " + to) << "\n";
  }
  return text.str();
}

Result<cli::Reply> History(Console& console) {
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  ASSIGN_OR_RETURN(ordered_json h, store->ResidenceHistory(console.Flag("--child")));
  return cli::Reply::Both(HistoryText(h), h.dump());
}

}  // namespace

std::vector<ServerCommand> IdentityCommands() {
  const std::vector<cli::Arg> decision = {
      cli::List("children", "两个儿童编号", "two child ids", 2, true),
      cli::Optional("--user", "作出决定的人（默认 $USER 或登录名）",
                    "who decides (default: $USER or the login name)")};
  const auto review = [](const char* verb) { return std::vector<std::string>{"review", verb}; };
  return {
      {{review("list"), "列出待审核的记录对", "list the pairs waiting for review", {}}, List},
      {{review("merge"), "合并为同一儿童（可撤销，不删除数据）",
        "merge as one child (undoable; deletes nothing)", decision},
       Merge},
      {{review("separate"), "判定不是同一儿童（不再自动关联）",
        "record as different children (never linked automatically again)", decision},
       Separate},
      {{review("unmerge"), "拆分已合并的两条记录", "undo the merge of two records", decision},
       Unmerge},
      {{review("refresh"), "重新识别全部儿童", "resolve all children again", {}}, Refresh},
      {{review("log"), "决定记录", "the decisions log", {}}, Log},
      {{{"history"},
        "儿童的居住地变化与迁移",
        "a child's residence history and moves",
        {cli::Required("--child")}},
       History},
  };
}

}  // namespace onecard::server
