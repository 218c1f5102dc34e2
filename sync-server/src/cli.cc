#include "onecard/server/cli.h"

#include <cmath>
#include <csignal>
#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>
#include <mutex>
#include <string_view>

#include "onecard/platform/file_io.h"
#include "onecard/platform/process_hardening.h"
#include "onecard/platform/secret_input.h"
#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/number_text.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/server/conflicts.h"
#include "onecard/server/counts.h"
#include "onecard/server/data_dir.h"
#include "onecard/server/enrolment.h"
#include "onecard/server/identity_store.h"
#include "onecard/server/referral_stats.h"
#include "onecard/server/server_store.h"
#include "onecard/server/sync_service.h"
#include "identity_cli.h"
#include "report_text.h"

namespace onecard::server {
namespace {

using nlohmann::json;

struct Options {
  const platform::Clock* clock = nullptr;  // from RunCli; never null while a command runs
  std::string data;
  std::vector<std::string> hosts;
  std::string site_id, site_name, area, role;
  std::string terminal_id, out_path, server_address;
  std::string listen = "127.0.0.1:7443";
  std::string http;
  std::string by;
  bool moved_out = false, exact = false, json_output = false;
};

int Fail(const Status& s) {
  std::cerr << Tr("错误：", "error: ") << s.message() << std::endl;
  return 1;
}

Result<std::unique_ptr<ServerStore>> OpenStore(const Options& o) { return ServerStore::Open(ResolveDataDir(o.data), *o.clock); }

Result<std::pair<std::string, uint16_t>> ParseHostPort(const std::string& text, const std::string& flag) {
  auto colon = text.rfind(':');
  std::optional<uint64_t> port;
  if (colon != std::string::npos && colon > 0) port = ParseUint64(text.substr(colon + 1));
  if (!port || *port > 65535) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr(flag + " 应为 主机:端口：" + text, flag + " must be HOST:PORT: " + text));
  }
  return std::pair<std::string, uint16_t>{text.substr(0, colon), static_cast<uint16_t>(*port)};
}

int CmdInit(const Options& o) {
  std::string dir = ResolveDataDir(o.data);
  if (Status s = InitializeServer(dir, o.hosts, *o.clock); !s.ok()) return Fail(s);
  std::cout << Tr("服务器已初始化：", "server initialised: ") << dir << std::endl;
  return 0;
}

int CmdSiteAdd(const Options& o) {
  if (!IsValidIdentifier(o.site_id)) {
    return Fail(Status(ErrorCode::kInvalidArgument, Tr("站点编号无效：" + o.site_id, "invalid site id: " + o.site_id)));
  }
  if (o.site_name.empty()) return Fail(Status(ErrorCode::kInvalidArgument, Tr("--name 不能为空", "--name must not be empty")));
  if (o.area.size() != 6 || !IsKnownArea(o.area)) {
    return Fail(Status(ErrorCode::kInvalidArgument,
                       Tr("--area 不是已知的 6 位行政区划代码：" + o.area, "--area is not a known 6-digit area code: " + o.area)));
  }
  if (o.role != "sending" && o.role != "receiving" && o.role != "both") {
    return Fail(Status(ErrorCode::kInvalidArgument,
                       Tr("--role 应为 sending、receiving 或 both：" + o.role, "--role must be sending, receiving or both: " + o.role)));
  }
  auto store = OpenStore(o);
  if (!store.ok()) return Fail(store.status());
  if (Status s = (*store)->AddSite(Site{o.site_id, o.site_name, o.area, o.role}); !s.ok()) return Fail(s);
  std::cout << Tr("站点已登记：", "site added: ") << o.site_id << " " << o.area << std::endl;
  return 0;
}

int CmdEnroll(const Options& o) {
  if (platform::FileExists(o.out_path)) {
    return Fail(Status(ErrorCode::kAlreadyExists, Tr("输出文件已存在：" + o.out_path, "the output file already exists: " + o.out_path)));
  }
  auto store = OpenStore(o);
  if (!store.ok()) return Fail(store.status());
  auto bundle = EnrollTerminal(**store, o.site_id, o.terminal_id, o.server_address);
  if (!bundle.ok()) return Fail(bundle.status());
  std::string text = bundle->dump(2) + "\n";
  Status written = platform::WriteFileAtomically(o.out_path, text, 0600);
  WipeString(text);
  if (!written.ok()) return Fail(written);
  std::cout << Tr("终端 " + o.terminal_id + " 的登记包已写入 ", "enrolment bundle for terminal " + o.terminal_id + " written to ")
            << o.out_path << Tr("（含私钥：请安全转交，用后删除）", " (it holds private keys: hand it over safely and delete it after use)")
            << std::endl;
  return 0;
}

int CmdRevoke(const Options& o) {
  auto store = OpenStore(o);
  if (!store.ok()) return Fail(store.status());
  if (Status s = (*store)->RevokeTerminal(o.terminal_id); !s.ok()) return Fail(s);
  std::cout << Tr("终端已吊销：", "terminal revoked: ") << o.terminal_id << std::endl;
  return 0;
}

int CmdServe(const Options& o) {
  auto listen = ParseHostPort(o.listen, "--listen");
  if (!listen.ok()) return Fail(listen.status());
  auto store = OpenStore(o);
  if (!store.ok()) return Fail(store.status());
  auto tls = LoadServerTls(**store);
  if (!tls.ok()) return Fail(tls.status());
  if (!o.http.empty()) {
    return Fail(Status(ErrorCode::kFailedPrecondition,
                       Tr("--http（官员 HTTPS 接口）尚未实现", "--http (the officials' HTTPS API) is not available yet")));
  }
  // Block the stop signals before threads start so that only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  SyncServiceOptions options;
  options.host = listen->first;
  options.port = listen->second;
  options.ca_cert_pem = tls->ca_cert_pem;
  options.cert_pem = tls->cert_pem;
  options.key_pem = std::move(tls->key_pem);
  // One line per refusal, timeout or bad frame, on stderr (terminal ids, peer addresses and error
  // texts only: never personal data or keys). Called from several threads.
  options.log = [&clock = *o.clock](std::string_view line) {
    static std::mutex mu;
    std::lock_guard lock(mu);
    std::cerr << UtcNowIso8601(clock) << " " << line << std::endl;
  };
  SyncService service(std::move(options), **store);
  if (Status s = service.Start(); !s.ok()) return Fail(s);
  std::cout << Tr("同步服务已启动，监听 ", "sync service listening on ") << listen->first << ":" << service.port() << std::endl;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::cout << Tr("收到停止信号，正在停止…", "stop signal received, stopping…") << std::endl;
  service.Stop();
  std::cout << Tr("已停止", "stopped") << std::endl;
  return 0;
}

// A count as printed: a suppressed small cell (null in the JSON) is "<5".
std::string CountText(const nlohmann::ordered_json& count) {
  return count.is_null() ? std::string("<5") : ValueText(count);
}

int CmdCounts(const Options& o) {
  CountsQuery q;
  q.area_prefix = o.area;
  q.moved_out = o.moved_out;
  q.exact = o.exact;
  if (!o.by.empty()) {
    auto dims = ParseDimensions(o.by);
    if (!dims.ok()) return Fail(dims.status());
    q.by = *dims;
  }
  auto store = OpenStore(o);
  if (!store.ok()) return Fail(store.status());
  // Counts are of persons: bring the identity grouping up to date with the children first.
  auto result = (*store)->WithDatabase([&](schema::Database& db) -> Result<nlohmann::ordered_json> {
    RETURN_IF_ERROR(RefreshIdentities(db, /*force=*/false).status());
    return ComputeCounts(db, q, *o.clock);
  });
  if (!result.ok()) return Fail(result.status());
  const nlohmann::ordered_json& r = *result;
  if (o.json_output) {
    std::cout << r.dump() << std::endl;
    return 0;
  }
  std::string area_label = o.area;
  if (auto name = AreaName(o.area.size() == 2 ? o.area + "0000" : o.area.size() == 4 ? o.area + "00" : o.area)) area_label += " " + *name;
  std::cout << (o.moved_out ? Tr("户籍在 ", "hukou in ") + area_label + Tr("、已迁出的儿童", ", moved out")
                            : Tr("现居住在 ", "living in ") + area_label + Tr(" 的儿童", ""))
            << Tr("（截至 ", " (as of ") << MemberText(r, "as_of") << Tr("）", ")") << std::endl;
  std::cout << Tr("合计：", "total: ") << CountText(MemberOrNull(r, "total")) << std::endl;
  for (const auto& g : MemberOrNull(r, "groups")) {
    if (!g.is_object()) continue;
    std::string line;
    for (const auto& [k, v] : g.items()) {
      if (k == "count" || k == "suppressed") continue;
      line += k + "=" + ValueText(v) + " ";
    }
    std::cout << "  " << line << CountText(MemberOrNull(g, "count")) << std::endl;
  }
  return 0;
}

// One conflicting value as a person reads it: the value, its event id (TERMINAL:SEQ) and time.
std::string ConflictValueText(const nlohmann::json& v) {
  const nlohmann::json& stamp = MemberOrNull(v, "stamp");
  std::string id = stamp.is_array() && stamp.size() == 3 ? ValueText(stamp[1]) + ":" + stamp[2].dump() : "?";
  return MemberOrNull(v, "value").dump() + " (" + id + ", " + MemberText(v, "at") + ")";
}

int CmdConflicts(const Options& o) {
  auto store = OpenStore(o);
  if (!store.ok()) return Fail(store.status());
  auto result = (*store)->WithDatabase([&](schema::Database& db) { return ListConflicts(db, o.area); });
  if (!result.ok()) return Fail(result.status());
  if (o.json_output) {
    std::cout << result->dump() << std::endl;
    return 0;
  }
  const nlohmann::json& children = MemberOrNull(*result, "children");
  for (const auto& child : children) {
    std::cout << MemberText(child, "child_id") << "\t" << MemberText(child, "name") << "\t"
              << MemberText(child, "residence_area") << std::endl;
    if (MemberOrNull(child, "unreadable") == true) {
      std::cout << "  " << Tr("（存储的记录无法读取）", "(the stored record cannot be read)") << std::endl;
    }
    for (const auto& c : MemberOrNull(child, "conflicts")) {
      std::cout << "  " << MemberText(c, "field") << Tr("：采用 ", ": showing ")
                << ConflictValueText(MemberOrNull(c, "winner"));
      for (const auto& other : MemberOrNull(c, "others")) std::cout << Tr("；另有 ", "; also ") << ConflictValueText(other);
      std::cout << std::endl;
    }
  }
  std::cout << Tr("有未解决冲突的儿童：", "children with open conflicts: ") << children.size() << std::endl;
  return 0;
}

int CmdReferralStats(const Options& o) {
  auto store = OpenStore(o);
  if (!store.ok()) return Fail(store.status());
  ReferralStatsQuery q{o.area, o.exact};
  auto result = (*store)->WithDatabase([&](schema::Database& db) { return ComputeReferralStats(db, q, *o.clock); });
  if (!result.ok()) return Fail(result.status());
  const nlohmann::ordered_json& r = *result;
  if (o.json_output) {
    std::cout << r.dump() << std::endl;
    return 0;
  }
  auto share_text = [](const nlohmann::ordered_json& s) {
    return s.is_number() ? std::to_string(static_cast<int>(std::lround(s.get<double>() * 100))) + "%"
                         : std::string("-");
  };
  std::cout << Tr("转介结果：区划 ", "referral outcomes: area ") << o.area << Tr("（截至 ", " (as of ")
            << MemberText(r, "as_of") << Tr("）", ")") << std::endl;
  std::cout << Tr("转介合计：", "referrals in all: ") << CountText(MemberOrNull(r, "total")) << std::endl;
  for (const auto& g : MemberOrNull(r, "groups")) {
    std::cout << "  " << MemberText(g, "area") << " " << MemberText(g, "service") << "  "
              << Tr("转介 ", "referrals ") << CountText(MemberOrNull(g, "count")) << Tr("，完成 ", ", completed ")
              << share_text(MemberOrNull(g, "completed_share")) << Tr("，拒绝 ", ", declined ")
              << share_text(MemberOrNull(g, "declined_share")) << std::endl;
  }
  return 0;
}

}  // namespace

int RunCli(int argc, char** argv, const platform::Clock& clock) {
  platform::HardenProcess();
  Options o;
  o.clock = &clock;
  CLI::App app{Tr("OneCard 同步服务器", "OneCard sync server"), "onecard-server"};
  app.require_subcommand(1);
  app.add_option("--data", o.data, Tr("状态目录", "state directory"));
  app.add_flag("--json", o.json_output, Tr("输出 JSON", "print JSON"));
  app.fallthrough();

  auto* init = app.add_subcommand("init", Tr("创建服务器数据、CA 和证书", "create the store, the CA and the server certificate"));
  init->add_option("--host", o.hosts, Tr("证书中的主机名（可多次）", "host name for the certificate (repeatable)"));
  auto* site = app.add_subcommand("site", Tr("站点", "sites"));
  site->require_subcommand(1);
  auto* site_add = site->add_subcommand("add", Tr("登记站点", "register a site"));
  site_add->add_option("--site", o.site_id)->required();
  site_add->add_option("--name", o.site_name)->required();
  site_add->add_option("--area", o.area)->required();
  site_add->add_option("--role", o.role)->required();
  auto* enroll = app.add_subcommand("enroll", Tr("为终端签发登记包", "issue a terminal's enrolment bundle"));
  enroll->add_option("--site", o.site_id)->required();
  enroll->add_option("--terminal", o.terminal_id)->required();
  enroll->add_option("--out", o.out_path)->required();
  enroll->add_option("--server", o.server_address, Tr("终端连接的地址 主机:端口", "address terminals connect to, HOST:PORT"));
  auto* revoke = app.add_subcommand("revoke", Tr("吊销终端", "revoke a terminal"));
  revoke->add_option("--terminal", o.terminal_id)->required();
  auto* serve = app.add_subcommand("serve", Tr("运行同步服务", "run the sync service"));
  serve->add_option("--listen", o.listen, "HOST:PORT");
  serve->add_option("--http", o.http, "HOST:PORT");
  auto* counts = app.add_subcommand("counts", Tr("统计儿童人数", "count children"));
  counts->add_option("--area", o.area, Tr("行政区划代码前缀（现居住地；--moved-out 时为户籍地）",
                                          "area code prefix (residence; hukou with --moved-out)"))
      ->required();
  counts->add_flag("--moved-out", o.moved_out,
                   Tr("户籍在该地区、现居住在别处的儿童", "children whose hukou is in the area and who live elsewhere"));
  counts->add_option("--by", o.by, "DIM,...");
  counts->add_flag("--exact", o.exact, Tr("不隐藏小数字（仅限服务器上的管理员）", "do not suppress small cells (administrators at the server only)"));
  auto* conflicts = app.add_subcommand("conflicts", Tr("列出有未解决冲突的儿童", "list children with open conflicts"));
  conflicts->add_option("--area", o.area, Tr("行政区划代码前缀（现居住地或户籍地）", "area code prefix (residence or hukou)"));
  auto* referrals = app.add_subcommand("referrals", Tr("转介", "referrals"));
  referrals->require_subcommand(1);
  auto* referral_stats = referrals->add_subcommand(
      "stats", Tr("按区划和服务统计转介完成率和拒绝率", "share of referrals completed and declined, per area and service"));
  referral_stats->add_option("--area", o.area, Tr("转介发起站点所在地区的代码前缀", "area code prefix of the referring sites"))
      ->required();
  referral_stats->add_flag("--exact", o.exact, Tr("不隐藏小数字", "do not suppress small cells"));
  for (CLI::App* sub : {init, site, site_add, enroll, revoke, serve, counts, conflicts, referrals, referral_stats}) sub->fallthrough();
  IdentityCli review;
  AddIdentityCommands(app, review);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (init->parsed()) return CmdInit(o);
  if (site_add->parsed()) return CmdSiteAdd(o);
  if (enroll->parsed()) return CmdEnroll(o);
  if (revoke->parsed()) return CmdRevoke(o);
  if (serve->parsed()) return CmdServe(o);
  if (counts->parsed()) return CmdCounts(o);
  if (conflicts->parsed()) return CmdConflicts(o);
  if (referral_stats->parsed()) return CmdReferralStats(o);
  if (auto code = RunIdentityCommand(review, ResolveDataDir(o.data), o.json_output)) return *code;
  return 2;
}

}  // namespace onecard::server
