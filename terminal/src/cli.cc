#include "onecard/terminal/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <iterator>

#include "onecard/protocol/child_record.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/i18n.h"
#include "onecard/schema/file_io.h"
#include "onecard/schema/secret_input.h"
#include "onecard/terminal/card_service.h"
#include "onecard/terminal/data_dir.h"
#include "onecard/terminal/sync_client.h"
#include "onecard/terminal/terminal_store.h"
#include "record_text.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

struct Options {
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

Result<std::unique_ptr<TerminalStore>> OpenStore(const Options& o) {
  std::string user = ActingUser(o);
  if (user.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("请用 --user 或 ONECARD_USER 指明操作的工作人员", "name the acting staff member with --user or ONECARD_USER"));
  }
  ASSIGN_OR_RETURN(std::string passphrase, ReadSecret("ONECARD_PASSPHRASE", Tr("口令：", "Passphrase: ")));
  auto store = TerminalStore::Open(ResolveDataDir(o.data), user, passphrase);
  WipeString(passphrase);
  return store;
}

// The record text from a file, or from standard input for "-".
Result<json> ReadRecordInput(const std::string& path) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    ASSIGN_OR_RETURN(text, schema::ReadWholeFile(path));
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
  auto text = schema::ReadWholeFile(o.bundle_path);
  if (!text.ok()) return Fail(text.status());
  json bundle = json::parse(*text, nullptr, false);
  WipeString(*text);
  if (bundle.is_discarded()) {
    return Fail(Status(ErrorCode::kInvalidArgument, Tr("登记包不是有效的 JSON：" + o.bundle_path, "the enrolment bundle is not valid JSON: " + o.bundle_path)));
  }
  auto passphrase = ReadSecret("ONECARD_PASSPHRASE", Tr("为 " + user + " 设置口令：", "New passphrase for " + user + ": "), true);
  if (!passphrase.ok()) return Fail(passphrase.status());
  std::string dir = ResolveDataDir(o.data);
  Status s = TerminalStore::Initialize(dir, bundle, user, *passphrase);
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
  auto record = ValidateNewChild(*input, CivilDate::TodayInChina());
  if (!record.ok()) return Fail(record.status());
  auto store = OpenStore(o);
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
  auto store = OpenStore(o);
  if (!store.ok()) return Fail(store.status());
  auto current = (*store)->RecordOf(o.child_id);
  if (!current.ok()) return Fail(current.status());
  auto fields = ValidateChildPatch(Public(*current), *patch, CivilDate::TodayInChina());
  if (!fields.ok()) return Fail(fields.status());
  auto updated = (*store)->Update(o.child_id, *fields);
  if (!updated.ok()) return Fail(updated.status());
  PrintRecord(*updated, o.json_output);
  return 0;
}

int CmdShow(const Options& o) {
  auto store = OpenStore(o);
  if (!store.ok()) return Fail(store.status());
  auto record = (*store)->Show(o.child_id);
  if (!record.ok()) return Fail(record.status());
  PrintRecord(*record, o.json_output);
  return 0;
}

int CmdSearch(const Options& o) {
  auto store = OpenStore(o);
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

int CmdCardIssue(const Options& o) {
  auto store = OpenStore(o);
  if (!store.ok()) return Fail(store.status());
  auto record = (*store)->RecordOf(o.child_id);
  if (!record.ok()) return Fail(record.status());
  auto creds = (*store)->LoadCardCredentials();
  if (!creds.ok()) return Fail(creds.status());
  auto serial = CardService::Issue(o.reader, *record, *creds);
  if (!serial.ok()) return Fail(serial.status());
  auto updated = (*store)->Update(o.child_id, json{{"card_serial", *serial}});
  if (!updated.ok()) return Fail(updated.status());
  if (Status s = (*store)->AuditCardWrite("card.issue", o.child_id, *serial); !s.ok()) return Fail(s);
  std::cout << Tr("已发卡，卡号 ", "card issued, serial ") << *serial << std::endl;
  return 0;
}

int CmdCardRead(const Options& o) {
  auto store = OpenStore(o);
  if (!store.ok()) return Fail(store.status());
  auto creds = (*store)->LoadCardCredentials();
  if (!creds.ok()) return Fail(creds.status());
  auto card = CardService::Read(o.reader, *creds);
  if (!card.ok()) return Fail(card.status());
  auto imported = (*store)->RecordCardRead(*card);
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
  auto store = OpenStore(o);
  if (!store.ok()) return Fail(store.status());
  auto creds = (*store)->LoadCardCredentials();
  if (!creds.ok()) return Fail(creds.status());
  auto card = CardService::Read(o.reader, *creds);
  if (!card.ok()) return Fail(card.status());
  std::string child_id = card->child.value("child_id", "");
  auto record = (*store)->RecordOf(child_id);
  if (!record.ok()) return Fail(record.status());
  if (Status s = CardService::Update(o.reader, *record, *creds); !s.ok()) return Fail(s);
  if (Status s = (*store)->AuditCardWrite("card.update", child_id, card->serial); !s.ok()) return Fail(s);
  std::cout << Tr("卡已更新：", "card updated: ") << card->serial << std::endl;
  return 0;
}

int CmdSync(const Options& o) {
  auto store = OpenStore(o);
  if (!store.ok()) return Fail(store.status());
  auto endpoint = (*store)->LoadSyncEndpoint(o.server);
  if (!endpoint.ok()) return Fail(endpoint.status());
  auto report = RunSync(*endpoint, **store);
  WipeString(endpoint->key_pem);
  if (!report.ok()) return Fail(report.status());
  if (Status s = (*store)->AuditSync(*report); !s.ok()) return Fail(s);
  std::cout << Tr("同步完成：上传 ", "sync done: pushed ") << report->pushed << Tr(" 条变更，收到 ", " changes, received ")
            << report->pulled << Tr(" 名儿童的记录", " child records") << std::endl;
  return 0;
}

int CmdAuditVerify(const Options& o) {
  auto store = OpenStore(o);
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

}  // namespace

int RunCli(int argc, char** argv) {
  HardenProcess();
  Options o;
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
  auto* card_update = card->add_subcommand("update", Tr("把当前记录写入卡", "write the current record onto the card"));
  auto* sync = app.add_subcommand("sync", Tr("与服务器同步", "sync with the server"));
  sync->add_option("--server", o.server, "HOST:PORT");
  auto* audit = app.add_subcommand("audit", Tr("审计日志", "audit log"));
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand("verify", Tr("检查审计链", "check the audit chain"));
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
  if (sync->parsed()) return CmdSync(o);
  if (audit_verify->parsed()) return CmdAuditVerify(o);
  return 2;
}

}  // namespace onecard::terminal
