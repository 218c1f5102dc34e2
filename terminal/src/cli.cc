#include "onecard/terminal/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <iterator>

#include "onecard/platform/file_io.h"
#include "onecard/platform/process_hardening.h"
#include "onecard/platform/secret_input.h"
#include "onecard/protocol/child_record.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/immunization_schedule.h"
#include "onecard/terminal/card_service.h"
#include "onecard/terminal/data_dir.h"
#include "onecard/terminal/staff_roles.h"
#include "onecard/terminal/sync_client.h"
#include "onecard/terminal/terminal_store.h"
#include "conflict_text.h"
#include "due_text.h"
#include "identity_review_text.h"
#include "record_text.h"
#include "referral_text.h"
#include "set_aside_text.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

struct Options {
  const platform::Clock* clock = nullptr;  // from RunCli; never null while a command runs
  std::string data;
  std::string user;
  bool json_output = false;
  std::string reader;
  std::string record_path;
  std::string child_id;
  std::string bundle_path;
  std::string name;
  std::string id_number;
  std::string server;
  std::string new_user;
  std::string role;
  std::string on_date;
  std::string serial;
  std::string reason;
  std::string field;
  std::string value_from;
  std::string service;
  std::string to_site;
  std::string referral_id;
  std::string pair_a, pair_b;  // review merge|separate|unmerge A B
  int wait_seconds = 0;
};

int Fail(const Status& s) {
  std::cerr << Tr("错误：", "error: ") << s.message() << std::endl;
  return 1;
}

std::string ActingUser(const Options& o) {
  if (!o.user.empty()) return o.user;
  const char* env = std::getenv("ONECARD_USER");
  return env != nullptr ? env : "";
}

// Opens the store as the acting staff member and checks that they may perform `action`.
Result<std::unique_ptr<TerminalStore>> OpenStore(const Options& o, StaffAction action) {
  std::string user = ActingUser(o);
  if (user.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("请用 --user 或 ONECARD_USER 指明操作的工作人员", "name the acting staff member with --user or ONECARD_USER"));
  }
  ASSIGN_OR_RETURN(std::string passphrase, platform::ReadSecret("ONECARD_PASSPHRASE", Tr("口令：", "Passphrase: ")));
  auto store = TerminalStore::Open(ResolveDataDir(o.data), user, passphrase, *o.clock);
  WipeString(passphrase);
  if (!store.ok()) return store;
  RETURN_IF_ERROR((*store)->Authorize(action));
  return store;
}

// The record text from a file, or from standard input for "-".
Result<json> ReadRecordInput(const std::string& path) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    ASSIGN_OR_RETURN(text, platform::ReadWholeFile(path));
  }
  return ParseJson(text, path == "-" ? "stdin" : path);
}

// The record as shown to people and programs: without the internal card stamp.
json Public(json record) {
  record.erase(TerminalStore::kCardStampField);
  return record;
}

void PrintRecord(const json& record, bool as_json) {
  if (as_json) {
    std::cout << Public(record).dump(2) << std::endl;
  } else {
    std::cout << RecordText(record);
  }
}

int CmdInit(const Options& o) {
  std::string user = ActingUser(o);
  auto text = platform::ReadWholeFile(o.bundle_path);
  if (!text.ok()) return Fail(text.status());
  json bundle = json::parse(*text, nullptr, false);
  WipeString(*text);
  if (bundle.is_discarded()) {
    return Fail(Status(ErrorCode::kInvalidArgument, Tr("登记包不是有效的 JSON：" + o.bundle_path, "the enrolment bundle is not valid JSON: " + o.bundle_path)));
  }
  auto passphrase = platform::ReadSecret("ONECARD_PASSPHRASE", Tr("为 " + user + " 设置口令：", "New passphrase for " + user + ": "), true);
  if (!passphrase.ok()) return Fail(passphrase.status());
  std::string dir = ResolveDataDir(o.data);
  Status s = TerminalStore::Initialize(dir, bundle, user, *passphrase, *o.clock);
  WipeString(*passphrase);
  if (!s.ok()) return Fail(s);
  std::cout << Tr("终端已初始化：", "terminal initialised: ") << bundle.value("terminal_id", "") << " ("
            << dir << ")" << std::endl;
  return 0;
}

int CmdReaders(const Options& o) {
  auto readers = ListReaders();
  if (!readers.ok()) return Fail(readers.status());
  if (o.json_output) {
    json out = json::array();
    for (const auto& r : *readers) out.push_back({{"name", r.name}, {"card_present", r.card_present}});
    std::cout << out.dump(2) << std::endl;
    return 0;
  }
  if (readers->empty()) std::cout << Tr("没有读卡器", "no card readers") << std::endl;
  for (const auto& r : *readers) {
    std::cout << r.name << "\t" << (r.card_present ? Tr("有卡", "card present") : Tr("无卡", "empty")) << std::endl;
  }
  return 0;
}

int CmdRegister(const Options& o) {
  auto input = ReadRecordInput(o.record_path);
  if (!input.ok()) return Fail(input.status());
  auto record = ValidateNewChild(*input, CivilDate::TodayInChina(*o.clock));
  if (!record.ok()) return Fail(record.status());
  auto store = OpenStore(o, StaffAction::kRegister);
  if (!store.ok()) return Fail(store.status());
  auto child_id = (*store)->Register(*record);
  if (!child_id.ok()) return Fail(child_id.status());
  if (o.json_output) {
    std::cout << json{{"child_id", *child_id}}.dump() << std::endl;
  } else {
    std::cout << *child_id << std::endl;
  }
  return 0;
}

int CmdUpdate(const Options& o) {
  auto patch = ReadRecordInput(o.record_path);
  if (!patch.ok()) return Fail(patch.status());
  auto store = OpenStore(o, StaffAction::kUpdate);
  if (!store.ok()) return Fail(store.status());
  auto current = (*store)->RecordOf(o.child_id);
  if (!current.ok()) return Fail(current.status());
  auto fields = ValidateChildPatch(Public(*current), *patch, CivilDate::TodayInChina(*o.clock));
  if (!fields.ok()) return Fail(fields.status());
  auto updated = (*store)->Update(o.child_id, *fields);
  if (!updated.ok()) return Fail(updated.status());
  PrintRecord(*updated, o.json_output);
  return 0;
}

// The child's record and, after it, its move as this site sees it, its open conflicts, the other
// records of the same child (as the server grouped them) and its referrals (in JSON as "move",
// "conflicts", "same_child_as" and "referrals" when any).
int CmdShow(const Options& o) {
  auto store = OpenStore(o, StaffAction::kShow);
  if (!store.ok()) return Fail(store.status());
  auto record = (*store)->Show(o.child_id);
  if (!record.ok()) return Fail(record.status());
  auto conflicts = (*store)->OpenConflicts(o.child_id);
  if (!conflicts.ok()) return Fail(conflicts.status());
  json listed = json::array();
  for (const FieldConflict& c : *conflicts) listed.push_back(c.ToJson());
  auto referrals = (*store)->ListReferrals(o.child_id);
  if (!referrals.ok()) return Fail(referrals.status());
  auto same_child = (*store)->OtherRecordsOf(o.child_id);
  if (!same_child.ok()) return Fail(same_child.status());
  auto move = (*store)->MoveOf(o.child_id);
  if (!move.ok()) return Fail(move.status());
  if (o.json_output) {
    json out = Public(*record);
    if (!listed.empty()) out["conflicts"] = listed;  // only when there are open conflicts
    if (!same_child->empty()) out["same_child_as"] = *same_child;
    if (!move->is_null()) out["move"] = *move;
    if (!referrals->empty()) {
      out["referrals"] = json::array();
      for (const Referral& r : *referrals) out["referrals"].push_back(r.ToJson());
    }
    std::cout << out.dump(2) << std::endl;
    return 0;
  }
  std::cout << RecordText(*record) << MoveText(*move) << ConflictText(listed) << SameChildText(*same_child);
  if (!referrals->empty()) std::cout << Tr("转介：", "Referrals:") << "\n" << ReferralsText(*referrals);
  return 0;
}

int CmdConflictsList(const Options& o) {
  auto store = OpenStore(o, StaffAction::kResolveConflict);
  if (!store.ok()) return Fail(store.status());
  auto children = (*store)->ListConflicts();
  if (!children.ok()) return Fail(children.status());
  if (o.json_output) {
    std::cout << children->dump(2) << std::endl;
    return 0;
  }
  for (const json& child : *children) {
    // Stored values of any type are shown, never asked for as a type (old data may differ).
    auto text = [&](const char* key) {
      auto it = child.is_object() ? child.find(key) : child.end();
      return it == child.end() || it->is_null() ? std::string() : it->is_string() ? it->get<std::string>() : it->dump();
    };
    auto conflicts = child.is_object() ? child.find("conflicts") : child.end();
    std::cout << text("child_id") << "\t" << text("name") << "\n"
              << (conflicts == child.end() ? std::string() : ConflictText(*conflicts));
  }
  if (children->empty()) std::cout << Tr("没有未解决的冲突", "no open conflicts") << std::endl;
  return 0;
}

int CmdConflictsResolve(const Options& o) {
  auto store = OpenStore(o, StaffAction::kResolveConflict);
  if (!store.ok()) return Fail(store.status());
  auto record = (*store)->ResolveConflict(o.child_id, o.field, o.value_from);
  if (!record.ok()) return Fail(record.status());
  std::cout << Tr("冲突已解决：", "conflict resolved: ") << o.child_id << " " << o.field << std::endl;
  PrintRecord(*record, o.json_output);
  return 0;
}

int CmdRefer(const Options& o) {
  auto store = OpenStore(o, StaffAction::kReferral);
  if (!store.ok()) return Fail(store.status());
  auto id = (*store)->Refer(o.child_id, o.service, o.to_site, o.reason);
  if (!id.ok()) return Fail(id.status());
  if (o.json_output) {
    std::cout << json{{"referral_id", *id}}.dump() << std::endl;
  } else {
    std::cout << *id << std::endl;
  }
  return 0;
}

int CmdReferralMove(const Options& o, ReferralStatus to) {
  auto store = OpenStore(o, StaffAction::kReferral);
  if (!store.ok()) return Fail(store.status());
  auto moved = (*store)->MoveReferral(o.referral_id, to, o.reason);
  if (!moved.ok()) return Fail(moved.status());
  if (o.json_output) {
    std::cout << moved->ToJson().dump(2) << std::endl;
  } else {
    std::cout << ReferralsText({*moved});
  }
  return 0;
}

int CmdReferralList(const Options& o) {
  auto store = OpenStore(o, StaffAction::kReferral);
  if (!store.ok()) return Fail(store.status());
  auto referrals = (*store)->ListReferrals("");
  if (!referrals.ok()) return Fail(referrals.status());
  if (o.json_output) {
    json out = json::array();
    for (const Referral& r : *referrals) out.push_back(r.ToJson());
    std::cout << out.dump(2) << std::endl;
  } else {
    std::cout << ReferralsText(*referrals);
  }
  return 0;
}

int CmdReviewList(const Options& o) {
  auto store = OpenStore(o, StaffAction::kIdentityReview);
  if (!store.ok()) return Fail(store.status());
  auto pairs = (*store)->ListIdentityReview();
  if (!pairs.ok()) return Fail(pairs.status());
  if (o.json_output) {
    std::cout << IdentityReviewJson(*pairs).dump(2) << std::endl;
  } else {
    std::cout << IdentityReviewText(*pairs);
  }
  return 0;
}

int CmdReviewDecide(const Options& o, const std::string& decision) {
  auto store = OpenStore(o, StaffAction::kIdentityReview);
  if (!store.ok()) return Fail(store.status());
  if (Status s = (*store)->DecideIdentity(decision, o.pair_a, o.pair_b); !s.ok()) return Fail(s);
  std::cout << IdentityDecisionText(decision, o.pair_a, o.pair_b) << std::endl;
  return 0;
}

int CmdSearch(const Options& o) {
  auto store = OpenStore(o, StaffAction::kSearch);
  if (!store.ok()) return Fail(store.status());
  auto found = (*store)->Search(o.name, o.id_number);
  if (!found.ok()) return Fail(found.status());
  if (o.json_output) {
    std::cout << json(*found).dump(2) << std::endl;
    return 0;
  }
  for (const auto& r : *found) {
    std::cout << r.value("child_id", "") << "\t" << r.value("name", "") << "\t" << r.value("birth_date", "") << "\t"
              << r.value("residence_area", "") << std::endl;
  }
  if (found->empty()) std::cout << Tr("没有找到", "nothing found") << std::endl;
  return 0;
}

// The store and the card credentials it holds, for the card commands.
struct CardDesk {
  std::unique_ptr<TerminalStore> store;
  CardCredentials creds;
};

Result<CardDesk> OpenCardDesk(const Options& o, StaffAction action) {
  ASSIGN_OR_RETURN(std::unique_ptr<TerminalStore> store, OpenStore(o, action));
  ASSIGN_OR_RETURN(CardCredentials creds, store->LoadCardCredentials());
  return CardDesk{std::move(store), std::move(creds)};
}

int CmdCardIssue(const Options& o) {
  auto desk = OpenCardDesk(o, StaffAction::kCardIssue);
  if (!desk.ok()) return Fail(desk.status());
  TerminalStore& store = *desk->store;
  auto record = store.RecordOf(o.child_id);
  if (!record.ok()) return Fail(record.status());
  auto serial = CardService::Issue(o.reader, *record, desk->creds);
  if (!serial.ok()) return Fail(serial.status());
  auto updated = store.Update(o.child_id, json{{"card_serial", *serial}});
  if (!updated.ok()) return Fail(updated.status());
  if (Status s = store.AuditCardWrite("card.issue", o.child_id, *serial); !s.ok()) return Fail(s);
  std::cout << Tr("已发卡，卡号 ", "card issued, serial ") << *serial << std::endl;
  return 0;
}

int CmdCardRead(const Options& o) {
  auto desk = OpenCardDesk(o, StaffAction::kCardRead);
  if (!desk.ok()) return Fail(desk.status());
  std::string reader = o.reader;
  if (o.wait_seconds > 0) {
    std::cerr << Tr("请插卡……", "insert a card...") << std::endl;
    auto found = WaitForCard(o.reader, std::chrono::seconds(o.wait_seconds));
    if (!found.ok()) return Fail(found.status());
    reader = *found;
  }
  auto card = CardService::Read(reader, desk->creds);
  if (!card.ok()) return Fail(card.status());
  auto imported = desk->store->RecordCardRead(*card);  // refuses a revoked card
  if (!imported.ok()) return Fail(imported.status());
  if (o.json_output) {
    std::cout << Public(card->child).dump(2) << std::endl;
    return 0;
  }
  std::cout << Tr("卡号 ", "card ") << card->serial << Tr("，签发终端 ", ", signed by terminal ") << card->signer_terminal_id
            << Tr("，签名有效", ", signature valid") << std::endl;
  if (*imported) std::cout << Tr("新儿童，已导入本终端", "new child, imported into this terminal") << std::endl;
  std::cout << RecordText(Public(card->child));
  return 0;
}

int CmdCardUpdate(const Options& o) {
  auto desk = OpenCardDesk(o, StaffAction::kCardUpdate);
  if (!desk.ok()) return Fail(desk.status());
  TerminalStore& store = *desk->store;
  auto card = CardService::Read(o.reader, desk->creds);
  if (!card.ok()) return Fail(card.status());
  if (Status s = store.CheckCardNotRevoked(*card); !s.ok()) return Fail(s);
  std::string child_id = card->child.value("child_id", "");
  auto record = store.RecordOf(child_id);
  if (!record.ok()) return Fail(record.status());
  if (Status s = CardService::Update(o.reader, *record, desk->creds); !s.ok()) return Fail(s);
  if (Status s = store.AuditCardWrite("card.update", child_id, card->serial); !s.ok()) return Fail(s);
  std::cout << Tr("卡已更新：", "card updated: ") << card->serial << std::endl;
  return 0;
}

// A new card for a child whose card was lost or damaged: a blank card gets the record and a new
// serial; the child's card_serial changes and the old serial is revoked (card.md, "Lifecycle").
int CmdCardReplace(const Options& o) {
  auto desk = OpenCardDesk(o, StaffAction::kCardReplace);
  if (!desk.ok()) return Fail(desk.status());
  TerminalStore& store = *desk->store;
  auto record = store.RecordOf(o.child_id);
  if (!record.ok()) return Fail(record.status());
  std::string old_serial = record->value("card_serial", "");
  if (old_serial.empty()) {
    return Fail(Status(ErrorCode::kFailedPrecondition, Tr("儿童 " + o.child_id + " 还没有卡，请用 card issue 发卡",
                                                          "child " + o.child_id + " has no card yet; use card issue")));
  }
  auto serial = CardService::Issue(o.reader, *record, desk->creds);
  if (!serial.ok()) return Fail(serial.status());
  if (Status s = store.RecordCardReplacement(o.child_id, old_serial, *serial, o.reason); !s.ok()) return Fail(s);
  std::cout << Tr("已补办新卡，卡号 ", "replacement card issued, serial ") << *serial
            << Tr("；旧卡 ", "; old card ") << old_serial << Tr(" 已吊销", " revoked") << std::endl;
  return 0;
}

int CmdCardRevoke(const Options& o) {
  auto store = OpenStore(o, StaffAction::kCardRevoke);
  if (!store.ok()) return Fail(store.status());
  if (Status s = (*store)->RevokeCard(o.serial, o.reason); !s.ok()) return Fail(s);
  std::cout << Tr("卡已吊销：", "card revoked: ") << o.serial
            << Tr("（同步后各终端都会拒绝此卡）", " (every terminal refuses it once synced)") << std::endl;
  return 0;
}

int CmdSync(const Options& o) {
  auto store = OpenStore(o, StaffAction::kSync);
  if (!store.ok()) return Fail(store.status());
  auto endpoint = (*store)->LoadSyncEndpoint(o.server);
  if (!endpoint.ok()) return Fail(endpoint.status());
  auto report = RunSync(*endpoint, **store);
  WipeString(endpoint->key_pem);
  if (!report.ok()) return Fail(report.status());
  if (Status s = (*store)->AuditSync(*report); !s.ok()) return Fail(s);
  std::cout << Tr("同步完成：上传 ", "sync done: pushed ") << report->pushed << Tr(" 条变更，收到 ", " changes, received ")
            << report->pulled << Tr(" 名儿童的记录", " child records") << std::endl;
  if (!report->refused.empty()) {
    std::cout << Tr("服务器拒绝了 " + std::to_string(report->refused.size()) +
                        " 条变更，已从发件箱移出另存，请主管处理：",
                    "the server refused " + std::to_string(report->refused.size()) +
                        " changes; they left the outbox and are kept aside for a supervisor:")
              << std::endl;
    for (const wire::EventRefusal& r : report->refused) std::cout << "  " << r.message() << std::endl;
  }
  if (!report->set_aside.empty()) {
    std::cout << Tr("服务器发来的 " + std::to_string(report->set_aside.size()) +
                        " 项数据未通过检查，没有采用，已另存，请主管报告服务器管理员：",
                    std::to_string(report->set_aside.size()) +
                        " items from the server failed the checks and were not applied; they are "
                        "kept aside for a supervisor to report to the server's operator:")
              << std::endl;
    for (const PullSetAside& item : report->set_aside) std::cout << "  " << SetAsideLine(item) << std::endl;
  }
  return 0;
}

int CmdAuditVerify(const Options& o) {
  auto store = OpenStore(o, StaffAction::kAuditVerify);
  if (!store.ok()) return Fail(store.status());
  auto report = (*store)->VerifyAuditLog();
  if (!report.ok()) return Fail(report.status());
  if (!report->intact) {
    std::cerr << Tr("审计日志已损坏：", "audit log broken: ") << report->problem << std::endl;
    return 1;
  }
  std::cout << Tr("审计日志完好，共 ", "audit log intact, ") << report->entries << Tr(" 条记录", " entries") << std::endl;
  return 0;
}

int CmdDue(const Options& o) {
  CivilDate on = CivilDate::TodayInChina(*o.clock);
  if (!o.on_date.empty()) {
    auto parsed = CivilDate::Parse(o.on_date);
    if (!parsed.ok()) return Fail(Status(ErrorCode::kInvalidArgument, Tr("--on：", "--on: ") + parsed.status().message()));
    on = *parsed;
  }
  auto store = OpenStore(o, StaffAction::kDue);
  if (!store.ok()) return Fail(store.status());
  auto record = (*store)->Show(o.child_id);
  if (!record.ok()) return Fail(record.status());
  auto birth = CivilDate::Parse(record->value("birth_date", ""));
  if (!birth.ok()) return Fail(Status(ErrorCode::kCorruption, Tr("记录的出生日期无效", "the record's birth_date is not a date")));
  if (on < *birth) {
    return Fail(Status(ErrorCode::kInvalidArgument, Tr("--on 早于儿童的出生日期", "--on is before the child's birth date")));
  }
  auto given = GivenDosesOf(*record);
  if (!given.ok()) return Fail(given.status());
  ImmunizationAssessment assessment = AssessImmunizations(ImmunizationSchedule::National(), *birth, *given, on);
  if (o.json_output) {
    json out = assessment.ToJson();
    out["child_id"] = o.child_id;
    std::cout << out.dump(2) << std::endl;
  } else {
    std::cout << DueText(o.child_id, assessment);
  }
  return 0;
}

int CmdStaffAdd(const Options& o) {
  std::optional<StaffRole> role = ParseStaffRole(o.role);
  if (!role) {
    return Fail(Status(ErrorCode::kInvalidArgument, Tr("--role 应为 registrar 或 supervisor", "--role must be registrar or supervisor")));
  }
  auto store = OpenStore(o, StaffAction::kStaffAdd);
  if (!store.ok()) return Fail(store.status());
  auto passphrase = platform::ReadSecret("ONECARD_NEW_PASSPHRASE", Tr("为 " + o.new_user + " 设置口令：", "New passphrase for " + o.new_user + ": "), true);
  if (!passphrase.ok()) return Fail(passphrase.status());
  Status s = (*store)->AddStaff(o.new_user, *role, *passphrase);
  WipeString(*passphrase);
  if (!s.ok()) return Fail(s);
  std::cout << Tr("已添加工作人员 ", "staff member added: ") << o.new_user << " (" << StaffRoleName(*role) << ")" << std::endl;
  return 0;
}

int CmdPasswd(const Options& o) {
  auto store = OpenStore(o, StaffAction::kChangeOwnPassphrase);
  if (!store.ok()) return Fail(store.status());
  auto passphrase = platform::ReadSecret("ONECARD_NEW_PASSPHRASE", Tr("新口令：", "New passphrase: "), true);
  if (!passphrase.ok()) return Fail(passphrase.status());
  Status s = (*store)->ChangePassphrase(*passphrase);
  WipeString(*passphrase);
  if (!s.ok()) return Fail(s);
  std::cout << Tr("口令已更改：", "passphrase changed for ") << (*store)->user() << std::endl;
  return 0;
}

}  // namespace

int RunCli(int argc, char** argv, const platform::Clock& clock) {
  platform::HardenProcess();
  Options o;
  o.clock = &clock;
  CLI::App app{Tr("OneCard 登记终端", "OneCard registration terminal"), "onecard-terminal"};
  app.require_subcommand(1);
  app.add_option("--data", o.data, Tr("状态目录", "state directory"));
  app.add_option("--user", o.user, Tr("操作的工作人员", "acting staff member"));
  app.add_flag("--json", o.json_output, Tr("输出规范 JSON", "print canonical JSON"));
  app.add_option("--reader", o.reader, Tr("读卡器名称", "reader name"));
  app.fallthrough();

  auto* init = app.add_subcommand("init", Tr("用登记包初始化终端", "set up the terminal from an enrolment bundle"));
  init->add_option("--bundle", o.bundle_path)->required();
  auto* readers = app.add_subcommand("readers", Tr("列出读卡器", "list card readers"));
  auto* reg = app.add_subcommand("register", Tr("登记儿童", "register a child"));
  reg->add_option("--record", o.record_path, "FILE|-")->required();
  auto* update = app.add_subcommand("update", Tr("修改儿童记录", "update a child's record"));
  update->add_option("--child", o.child_id)->required();
  update->add_option("--record", o.record_path, "FILE|-")->required();
  auto* show = app.add_subcommand("show", Tr("显示儿童记录", "show a child's record"));
  show->add_option("--child", o.child_id)->required();
  auto* search = app.add_subcommand("search", Tr("查找儿童", "find children"));
  search->add_option("--name", o.name);
  search->add_option("--id-number", o.id_number);
  auto* card = app.add_subcommand("card", Tr("一卡通操作", "card operations"));
  card->require_subcommand(1);
  auto* card_issue = card->add_subcommand("issue", Tr("发卡", "issue a card"));
  card_issue->add_option("--child", o.child_id)->required();
  auto* card_read = card->add_subcommand("read", Tr("读卡并验证", "read and verify a card"));
  card_read->add_option("--wait", o.wait_seconds, Tr("等待插卡的秒数", "seconds to wait for a card to be inserted"))
      ->check(CLI::Range(0, 86400));
  auto* card_update = card->add_subcommand("update", Tr("把当前记录写入卡", "write the current record onto the card"));
  auto* card_replace = card->add_subcommand("replace", Tr("补办新卡（主管），旧卡吊销", "issue a replacement card (supervisor); the old one is revoked"));
  card_replace->add_option("--child", o.child_id)->required();
  card_replace->add_option("--reason", o.reason, Tr("原因", "reason"));
  auto* card_revoke = card->add_subcommand("revoke", Tr("吊销卡（主管），如挂失", "revoke a card (supervisor), e.g. when lost"));
  card_revoke->add_option("--serial", o.serial, Tr("卡号", "card serial"))->required();
  card_revoke->add_option("--reason", o.reason, Tr("原因", "reason"));
  auto* refer = app.add_subcommand("refer", Tr("把儿童转介到服务机构", "refer a child to a service"));
  refer->add_option("--child", o.child_id)->required();
  refer->add_option("--service", o.service, "education|health|protection|legal_aid|social_assistance")->required();
  refer->add_option("--to-site", o.to_site, Tr("接收转介的站点", "the site that provides the service"))->required();
  refer->add_option("--reason", o.reason, Tr("转介原因", "why the child is referred"))->required();
  auto* referral = app.add_subcommand("referral", Tr("转介", "referrals"));
  referral->require_subcommand(1);
  struct Move {
    const char* verb;
    ReferralStatus to;
    const char* zh;
    const char* en;
  };
  static const Move kMoves[] = {
      {"accept", ReferralStatus::kAccepted, "受理转介（接收站点）", "accept a referral (target site)"},
      {"decline", ReferralStatus::kDeclined, "拒绝转介（接收站点）", "decline a referral (target site)"},
      {"complete", ReferralStatus::kCompleted, "记录服务已提供（接收站点）", "record that the service was delivered (target site)"},
      {"close", ReferralStatus::kClosedUnreached, "关闭转介：未联系上儿童", "close a referral: the child was not reached"},
  };
  std::vector<std::pair<CLI::App*, ReferralStatus>> moves;
  for (const Move& m : kMoves) {
    auto* sub = referral->add_subcommand(m.verb, Tr(m.zh, m.en));
    sub->add_option("--referral", o.referral_id)->required();
    sub->add_option("--reason", o.reason, Tr("说明", "note on the outcome"));
    sub->fallthrough();
    moves.emplace_back(sub, m.to);
  }
  auto* referral_list = referral->add_subcommand("list", Tr("列出本终端的转介", "list the referrals held here"));
  for (CLI::App* sub : {refer, referral, referral_list}) sub->fallthrough();
  auto* sync = app.add_subcommand("sync", Tr("与服务器同步", "sync with the server"));
  sync->add_option("--server", o.server, "HOST:PORT");
  auto* audit = app.add_subcommand("audit", Tr("审计日志", "audit log"));
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand("verify", Tr("检查审计链", "check the audit chain"));
  auto* staff = app.add_subcommand("staff", Tr("工作人员", "staff members"));
  staff->require_subcommand(1);
  auto* staff_add = staff->add_subcommand("add", Tr("添加工作人员（主管）", "add a staff member (supervisor)"));
  staff_add->add_option("--user", o.new_user, Tr("新工作人员的用户名", "the new staff member's user name"))->required();
  staff_add->add_option("--role", o.role, "registrar|supervisor")->required();
  auto* passwd = app.add_subcommand("passwd", Tr("更改自己的口令", "change your own passphrase"));
  auto* due = app.add_subcommand("due", Tr("预防接种：已种、应种、逾期", "immunization doses done, due and overdue"));
  due->add_option("--child", o.child_id)->required();
  due->add_option("--on", o.on_date, "YYYY-MM-DD");
  auto* conflicts = app.add_subcommand("conflicts", Tr("字段冲突（主管）", "field conflicts (supervisor)"));
  conflicts->require_subcommand(1);
  auto* conflicts_list = conflicts->add_subcommand("list", Tr("列出未解决的冲突", "list open conflicts"));
  auto* conflicts_resolve = conflicts->add_subcommand("resolve", Tr("选定一个值以解决冲突", "resolve a conflict by choosing a value"));
  conflicts_resolve->add_option("--child", o.child_id)->required();
  conflicts_resolve->add_option("--field", o.field, Tr("字段，如 name 或 immunizations[MMR#1]", "field, e.g. name or immunizations[MMR#1]"))->required();
  conflicts_resolve->add_option("--value-from", o.value_from, "TERMINAL|TERMINAL:SEQ")->required();
  auto* review = app.add_subcommand("review", Tr("身份审核：可能是同一儿童的登记（主管）", "identity review: registrations that may be one child (supervisor)"));
  review->require_subcommand(1);
  auto* review_list = review->add_subcommand("list", Tr("列出待审核的记录对", "list the pairs waiting for review"));
  struct Decision {
    const char* verb;
    const char* zh;
    const char* en;
  };
  static const Decision kDecisions[] = {
      {"merge", "判定 A 与 B 是同一儿童", "decide that A and B are one child"},
      {"separate", "判定 A 与 B 不是同一儿童", "decide that A and B are not the same child"},
      {"unmerge", "撤销合并：A 与 B 重新待审核", "undo a merge: A and B wait for review again"},
  };
  std::vector<std::pair<CLI::App*, std::string>> decisions;
  for (const Decision& d : kDecisions) {
    auto* sub = review->add_subcommand(d.verb, Tr(d.zh, d.en));
    sub->add_option("A", o.pair_a, Tr("儿童编号", "child id"))->required();
    sub->add_option("B", o.pair_b, Tr("儿童编号", "child id"))->required();
    sub->fallthrough();
    decisions.emplace_back(sub, d.verb);
  }
  for (CLI::App* sub : {review, review_list}) sub->fallthrough();
  for (CLI::App* sub : {staff, staff_add, passwd, due, conflicts, conflicts_list, conflicts_resolve}) sub->fallthrough();
  for (CLI::App* sub : {card_replace, card_revoke}) sub->fallthrough();
  for (CLI::App* sub : {init, readers, reg, update, show, search, card, card_issue, card_read, card_update, sync, audit, audit_verify}) {
    sub->fallthrough();
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (init->parsed()) return CmdInit(o);
  if (readers->parsed()) return CmdReaders(o);
  if (reg->parsed()) return CmdRegister(o);
  if (update->parsed()) return CmdUpdate(o);
  if (show->parsed()) return CmdShow(o);
  if (search->parsed()) return CmdSearch(o);
  if (card_issue->parsed()) return CmdCardIssue(o);
  if (card_read->parsed()) return CmdCardRead(o);
  if (card_update->parsed()) return CmdCardUpdate(o);
  if (card_replace->parsed()) return CmdCardReplace(o);
  if (card_revoke->parsed()) return CmdCardRevoke(o);
  if (refer->parsed()) return CmdRefer(o);
  for (const auto& [sub, to] : moves) {
    if (sub->parsed()) return CmdReferralMove(o, to);
  }
  if (referral_list->parsed()) return CmdReferralList(o);
  if (sync->parsed()) return CmdSync(o);
  if (audit_verify->parsed()) return CmdAuditVerify(o);
  if (staff_add->parsed()) return CmdStaffAdd(o);
  if (due->parsed()) return CmdDue(o);
  if (passwd->parsed()) return CmdPasswd(o);
  if (conflicts_list->parsed()) return CmdConflictsList(o);
  if (conflicts_resolve->parsed()) return CmdConflictsResolve(o);
  if (review_list->parsed()) return CmdReviewList(o);
  for (const auto& [sub, decision] : decisions) {
    if (sub->parsed()) return CmdReviewDecide(o, decision);
  }
  return 2;
}

}  // namespace onecard::terminal
