#include "identity_cli.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/i18n.h"
#include "onecard/server/identity_store.h"
#include "onecard/server/residence_history.h"
#include "onecard/server/server_store.h"
#include "report_text.h"

namespace onecard::server {
namespace {

int Fail(const Status& s) {
  std::cerr << Tr("错误：", "error: ") << s.message() << std::endl;
  return 1;
}

// A record as stored: any field may be of any type in old data (report_text.h).
std::string RecordLine(const nlohmann::ordered_json& r) {
  std::string line = MemberText(r, "child_id");
  for (const char* f : {"name", "sex", "birth_date", "id_number", "hukou_area", "residence_area"}) {
    if (r.is_object() && r.contains(f)) line += "  " + MemberText(r, f);
  }
  return line;
}

int List(ServerStore& store, bool json_output) {
  auto queue = store.WithDatabase([](schema::Database& db) -> Result<nlohmann::ordered_json> {
    RETURN_IF_ERROR(RefreshIdentities(db, /*force=*/false).status());
    return IdentityReviewQueue(db);
  });
  if (!queue.ok()) return Fail(queue.status());
  if (json_output) {
    std::cout << queue->dump() << std::endl;
    return 0;
  }
  if (queue->empty()) {
    std::cout << Tr("待审核队列为空", "the review queue is empty") << std::endl;
    return 0;
  }
  std::cout << Tr("待审核的可能重复登记：", "possible duplicate registrations to review: ")
            << queue->size() << std::endl;
  for (const auto& p : *queue) {
    std::cout << MemberText(p, "a") << " ~ " << MemberText(p, "b") << Tr("  得分 ", "  score ")
              << MemberText(p, "score") << "  " << MemberText(p, "reasons_text") << std::endl;
    for (const auto& r : MemberOrNull(p, "records")) std::cout << "    " << RecordLine(r) << std::endl;
  }
  return 0;
}

int Refresh(ServerStore& store, bool json_output) {
  auto stats = store.WithDatabase(
      [](schema::Database& db) { return RefreshIdentities(db, /*force=*/true); });
  if (!stats.ok()) return Fail(stats.status());
  if (json_output) {
    std::cout << nlohmann::ordered_json{{"records", stats->records},
                                        {"persons", stats->persons},
                                        {"links", stats->links},
                                        {"review", stats->review},
                                        {"candidate_pairs", stats->candidate_pairs},
                                        {"unreadable", stats->unreadable}}
                     .dump()
              << std::endl;
    return 0;
  }
  std::cout << Tr("身份识别已刷新：", "identities refreshed: ") << stats->records
            << Tr(" 条记录，", " records, ") << stats->persons
            << Tr(" 名儿童有多条记录，", " children with several records, ") << stats->review
            << Tr(" 对待审核", " pairs to review") << std::endl;
  if (stats->unreadable > 0) {
    std::cout << Tr("无法读取的记录：", "unreadable records: ") << stats->unreadable << std::endl;
  }
  return 0;
}

int Log(ServerStore& store, bool json_output) {
  auto log = store.WithDatabase([](schema::Database& db) { return IdentityDecisionLog(db); });
  if (!log.ok()) return Fail(log.status());
  if (json_output) {
    std::cout << log->dump() << std::endl;
    return 0;
  }
  for (const auto& d : *log) {
    std::cout << MemberText(d, "decided_at") << "  " << MemberText(d, "kind") << "  " << MemberText(d, "a")
              << " " << MemberText(d, "b") << "  " << MemberText(d, "decided_by");
    if (MemberOrNull(d, "score").is_number()) std::cout << Tr("  得分 ", "  score ") << MemberText(d, "score");
    std::cout << std::endl;
  }
  return 0;
}

int Decide(ServerStore& store, IdentityCommand command, const IdentityCli& cli) {
  const std::string& a = cli.pair[0];
  const std::string& b = cli.pair[1];
  Status s = store.WithDatabase(
      [&](schema::Database& db) { return DecideIdentity(db, command, a, b, cli.user); });
  if (!s.ok()) return Fail(s);
  switch (command) {
    case IdentityCommand::kMerge:
      std::cout << Tr("已合并为同一儿童：", "merged as one child: ") << a << " " << b << std::endl;
      break;
    case IdentityCommand::kSeparate:
      std::cout << Tr("已判定不是同一儿童：", "recorded as different children: ") << a << " " << b
                << std::endl;
      break;
    case IdentityCommand::kUnmerge:
      std::cout << Tr("已拆分：", "unmerged: ") << a << " " << b << std::endl;
      break;
  }
  return 0;
}

std::string AreaLabel(const std::string& code) {
  auto name = AreaName(code);
  return name ? code + " " + *name : code;
}

int History(ServerStore& store, const std::string& child_id, bool json_output) {
  auto history = store.WithDatabase([&](schema::Database& db) -> Result<nlohmann::ordered_json> {
    RETURN_IF_ERROR(RefreshIdentities(db, /*force=*/false).status());
    return ResidenceHistory(db, child_id);
  });
  if (!history.ok()) return Fail(history.status());
  const nlohmann::ordered_json& h = *history;
  if (json_output) {
    std::cout << h.dump() << std::endl;
    return 0;
  }
  std::string records;
  for (const auto& r : MemberOrNull(h, "records")) records += (records.empty() ? "" : " ") + ValueText(r);
  std::cout << Tr("儿童 ", "child ") << MemberText(h, "person_id")
            << Tr("（登记记录：", " (registrations: ") << records << Tr("）", ")") << std::endl;
  std::string hukou = MemberText(h, "hukou_area"), residence = MemberText(h, "residence_area");
  std::cout << Tr("户籍地：", "hukou area: ") << AreaLabel(hukou)
            << Tr("；现居住地：", "; residence area: ") << AreaLabel(residence) << std::endl;
  if (MemberOrNull(h, "moved_out") == true) {
    std::cout << Tr("已迁出，现在 ", "moved out, now in ") << AreaLabel(residence) << std::endl;
  }
  for (const auto& m : MemberOrNull(h, "moves")) {
    const std::string from = AreaLabel(MemberText(m, "from")), to = AreaLabel(MemberText(m, "to"));
    std::cout << "  " << MemberText(m, "at") << "  "
              << Tr("从 " + from + " 迁入 " + to, "moved in from " + from + " to " + to) << std::endl;
  }
  return 0;
}

}  // namespace

void AddIdentityCommands(CLI::App& app, IdentityCli& cli) {
  // Who decides: $USER, else the login name of the process's user (decisions are never anonymous).
  const char* env_user = std::getenv("USER");
  if (env_user != nullptr && *env_user != '\0') {
    cli.user = env_user;
  } else if (const passwd* pw = getpwuid(getuid()); pw != nullptr && pw->pw_name != nullptr) {
    cli.user = pw->pw_name;
  }
  auto* review = app.add_subcommand(
      "review", Tr("重复登记审核", "review of possible duplicate registrations"));
  review->require_subcommand(1);
  review->fallthrough();
  cli.list =
      review->add_subcommand("list", Tr("列出待审核的记录对", "list the pairs waiting for review"));
  cli.merge = review->add_subcommand("merge", Tr("合并为同一儿童（可撤销，不删除数据）",
                                                 "merge as one child (undoable; deletes nothing)"));
  cli.separate = review->add_subcommand(
      "separate", Tr("判定不是同一儿童（不再自动关联）",
                     "record as different children (never linked automatically again)"));
  cli.unmerge = review->add_subcommand("unmerge",
                                       Tr("拆分已合并的两条记录", "undo the merge of two records"));
  cli.refresh =
      review->add_subcommand("refresh", Tr("重新识别全部儿童", "resolve all children again"));
  cli.log = review->add_subcommand("log", Tr("决定记录", "the decisions log"));
  for (CLI::App* sub : {cli.merge, cli.separate, cli.unmerge}) {
    sub->add_option("children", cli.pair, Tr("两个儿童编号", "two child ids"))
        ->required()
        ->expected(2);
    sub->add_option("--user", cli.user,
                    Tr("作出决定的人（默认 $USER 或登录名）",
                       "who decides (default: $USER or the login name)"));
  }
  for (CLI::App* sub : {cli.list, cli.merge, cli.separate, cli.unmerge, cli.refresh, cli.log})
    sub->fallthrough();
  cli.history = app.add_subcommand(
      "history", Tr("儿童的居住地变化与迁移", "a child's residence history and moves"));
  cli.history->add_option("--child", cli.child_id)->required();
  cli.history->fallthrough();
}

std::optional<int> RunIdentityCommand(const IdentityCli& cli, const std::string& data_dir,
                                      bool json_output) {
  if (cli.list == nullptr) return std::nullopt;
  CLI::App* parsed = nullptr;
  for (CLI::App* sub :
       {cli.list, cli.merge, cli.separate, cli.unmerge, cli.refresh, cli.log, cli.history}) {
    if (sub->parsed()) parsed = sub;
  }
  if (parsed == nullptr) return std::nullopt;
  auto store = ServerStore::Open(data_dir);
  if (!store.ok()) return Fail(store.status());
  if (parsed == cli.list) return List(**store, json_output);
  if (parsed == cli.refresh) return Refresh(**store, json_output);
  if (parsed == cli.log) return Log(**store, json_output);
  if (parsed == cli.history) return History(**store, cli.child_id, json_output);
  if (parsed == cli.merge) return Decide(**store, IdentityCommand::kMerge, cli);
  if (parsed == cli.separate) return Decide(**store, IdentityCommand::kSeparate, cli);
  return Decide(**store, IdentityCommand::kUnmerge, cli);
}

}  // namespace onecard::server
