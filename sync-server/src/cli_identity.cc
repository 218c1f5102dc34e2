// The identity commands of onecard-server (docs/identity-server.md): the review queue and the
// supervisors' merge / separate / unmerge decisions, a full refresh, the decisions log, and a
// child's residence history.

#include <sstream>

#include "cli_console.h"
#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/i18n.h"
#include "onecard/server/report_store.h"
#include "report_json.h"
#include "report_text.h"

namespace onecard::server {
namespace {

// A record as stored: any field may be of any type in old data (report_text.h).
std::string RecordLine(const ReviewRecord& r) {
  std::string line = r.child_id;
  for (const std::optional<RecordValue>* field :
       {&r.name, &r.sex, &r.birth_date, &r.id_number, &r.hukou_area, &r.residence_area}) {
    if (*field) line += "  " + RecordValueText(**field);
  }
  return line;
}

std::string ReviewText(const std::vector<ReviewQueueEntry>& queue) {
  if (queue.empty()) return Tr("待审核队列为空", "the review queue is empty") + "\n";
  std::ostringstream text;
  text << Tr("待审核的可能重复登记：", "possible duplicate registrations to review: ")
       << queue.size() << "\n";
  for (const ReviewQueueEntry& p : queue) {
    text << p.a << " ~ " << p.b << Tr("  得分 ", "  score ") << ScoreText(p.score) << "  "
         << p.reasons_text << "\n";
    for (const ReviewRecord& r : p.records) text << "    " << RecordLine(r) << "\n";
  }
  return text.str();
}

Result<cli::Reply> List(Console& console) {
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  ASSIGN_OR_RETURN(std::vector<ReviewQueueEntry> queue, store->ReviewQueue());
  return cli::Reply::Both(ReviewText(queue), ToJson(queue).dump());
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
  return cli::Reply::Both(text.str(), ToJson(stats).dump());
}

Result<cli::Reply> Log(Console& console) {
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  ASSIGN_OR_RETURN(std::vector<DecisionLogEntry> log, store->DecisionLog());
  std::ostringstream text;
  for (const DecisionLogEntry& d : log) {
    text << d.decided_at << "  " << d.kind << "  " << d.a << " " << d.b << "  " << d.decided_by;
    if (d.score) text << Tr("  得分 ", "  score ") << ScoreText(d.score);
    if (d.superseded) {
      text << Tr("  （不生效：同一对记录有更晚作出的决定）",
                 "  (not in force: a decision on the same pair was made later)");
    }
    text << "\n";
  }
  return cli::Reply::Both(text.str(), ToJson(log).dump());
}

Result<cli::Reply> Decide(Console& console, IdentityCommand command) {
  const std::vector<std::string>& pair = console.args().Values("children");
  const std::string& a = pair.at(0);
  const std::string& b = pair.at(1);
  const std::string user = console.ActingUser();
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

std::string HistoryText(const ResidenceHistoryReport& h) {
  std::ostringstream text;
  std::string records;
  for (const std::string& r : h.records) records += (records.empty() ? "" : " ") + r;
  text << Tr("儿童 ", "child ") << h.person_id << Tr("（登记记录：", " (registrations: ") << records
       << Tr("）", ")") << "\n";
  text << Tr("户籍地：", "hukou area: ") << AreaLabel(h.hukou_area)
       << Tr("；现居住地：", "; residence area: ") << AreaLabel(h.residence_area) << "\n";
  if (h.moved_out)
    text << Tr("已迁出，现在 ", "moved out, now in ") << AreaLabel(h.residence_area) << "\n";
  for (const ResidenceMove& m : h.moves) {
    const std::string from = AreaLabel(m.from), to = AreaLabel(m.to);
    text << "  " << m.at << "  "
         << Tr("从 " + from + " 迁入 " + to, "moved in from " + from + " to " + to) << "\n";
  }
  return text.str();
}

Result<cli::Reply> History(Console& console) {
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  ASSIGN_OR_RETURN(ResidenceHistoryReport h, store->ResidenceHistory(console.Flag("--child")));
  return cli::Reply::Both(HistoryText(h), ToJson(h).dump());
}

}  // namespace

std::vector<ServerCommand> IdentityCommands() {
  const std::vector<cli::Arg> decision = {
      cli::List("children", "两个儿童编号", "two child ids", 2, true),
      cli::Optional("--user", "作出决定的人（默认 $USER 或登录名）",
                    "who decides (default: $USER or the login name)")};
  const auto review = [](const char* verb) { return std::vector<std::string>{"review", verb}; };
  return {
      {{review("list"), "列出待审核的记录对", "list the pairs waiting for review", {}},
       List,
       Audited::kYes},
      {{review("merge"), "合并为同一儿童（可撤销，不删除数据）",
        "merge as one child (undoable; deletes nothing)", decision},
       Merge,
       Audited::kYes},
      {{review("separate"), "判定不是同一儿童（不再自动关联）",
        "record as different children (never linked automatically again)", decision},
       Separate,
       Audited::kYes},
      {{review("unmerge"), "拆分已合并的两条记录", "undo the merge of two records", decision},
       Unmerge,
       Audited::kYes},
      {{review("refresh"), "重新识别全部儿童", "resolve all children again", {}},
       Refresh,
       Audited::kYes},
      {{review("log"), "决定记录", "the decisions log", {}}, Log, Audited::kYes},
      {{{"history"},
        "儿童的居住地变化与迁移",
        "a child's residence history and moves",
        {cli::Required("--child")}},
       History,
       Audited::kYes},
  };
}

}  // namespace onecard::server
