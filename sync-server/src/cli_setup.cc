// The operator's commands that set up and run the server: init, site add, enroll, revoke, serve.

#include <csignal>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include "cli_console.h"
#include "officials_http_service.h"
#include "onecard/cli/host_port.h"
#include "onecard/platform/file_io.h"
#include "onecard/platform/secret_wipe.h"
#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/number_text.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/server/enrolment.h"
#include "onecard/server/sync_service.h"

namespace onecard::server {
namespace {

Result<cli::Reply> Init(Console& console) {
  const std::string dir = console.DataDir();
  RETURN_IF_ERROR(InitializeServer(dir, console.args().Values("--host"), console.clock()));
  return cli::Reply::Text(Tr("服务器已初始化：", "server initialised: ") + dir + "\n");
}

// The site --site, --name, --area and --role describe, checked before the store is opened.
Result<Site> SiteOf(const Console& console) {
  Site site{console.Flag("--site"), console.Flag("--name"), console.Flag("--area"),
            console.Flag("--role")};
  if (!IsValidIdentifier(site.site_id)) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("站点编号无效：" + site.site_id, "invalid site id: " + site.site_id));
  }
  if (site.name.empty())
    return Status(ErrorCode::kInvalidArgument, Tr("--name 不能为空", "--name must not be empty"));
  if (site.area.size() != 6 || !IsKnownArea(site.area)) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--area 不是已知的 6 位行政区划代码：" + site.area,
                     "--area is not a known 6-digit area code: " + site.area));
  }
  if (site.role != "sending" && site.role != "receiving" && site.role != "both") {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--role 应为 sending、receiving 或 both：" + site.role,
                     "--role must be sending, receiving or both: " + site.role));
  }
  return site;
}

Result<cli::Reply> SiteAdd(Console& console) {
  ASSIGN_OR_RETURN(Site site, SiteOf(console));
  ASSIGN_OR_RETURN(AdminStore * store, console.Admin());
  RETURN_IF_ERROR(store->AddSite(site));
  return cli::Reply::Text(Tr("站点已登记：", "site added: ") + site.site_id + " " + site.area +
                          "\n");
}

Result<cli::Reply> Enroll(Console& console) {
  const std::string& out_path = console.Flag("--out");
  const std::string& terminal_id = console.Flag("--terminal");
  if (platform::FileExists(out_path)) {
    return Status(ErrorCode::kAlreadyExists,
                  Tr("输出文件已存在：" + out_path, "the output file already exists: " + out_path));
  }
  ASSIGN_OR_RETURN(AdminStore * store, console.Admin());
  ASSIGN_OR_RETURN(auto bundle, EnrollTerminal(*store, console.Flag("--site"), terminal_id,
                                               console.Flag("--server")));
  std::string text = bundle.dump(2) + "\n";
  Status written = platform::WriteFileAtomically(out_path, text, 0600);
  platform::WipeString(text);
  RETURN_IF_ERROR(written);
  return cli::Reply::Text(
      Tr("终端 " + terminal_id + " 的登记包已写入 ",
         "enrolment bundle for terminal " + terminal_id + " written to ") +
      out_path +
      Tr("（含私钥：请安全转交，用后删除）",
         " (it holds private keys: hand it over safely and delete it after use)") +
      "\n");
}

Result<cli::Reply> Revoke(Console& console) {
  ASSIGN_OR_RETURN(AdminStore * store, console.Admin());
  RETURN_IF_ERROR(store->RevokeTerminal(console.Flag("--terminal")));
  return cli::Reply::Text(Tr("终端已吊销：", "terminal revoked: ") + console.Flag("--terminal") +
                          "\n");
}

// The sync service's options for listening on `listen` with the store's TLS material; one log
// line per refusal, timeout or bad frame on stderr (terminal ids, peer addresses and error texts
// only: never personal data or keys), from several threads.
Result<SyncServiceOptions> ServiceOptions(AdminStore& store, const cli::HostPort& listen,
                                          const platform::Clock& clock) {
  ASSIGN_OR_RETURN(auto tls, LoadServerTls(store));
  SyncServiceOptions options;
  options.host = listen.host;
  options.port = listen.port;
  options.ca_cert_pem = tls.ca_cert_pem;
  options.cert_pem = tls.cert_pem;
  options.key_pem = std::move(tls.key_pem);
  options.clock = &clock;
  options.log = [&clock](std::string_view line) {
    static std::mutex mu;
    std::lock_guard lock(mu);
    std::cerr << UtcNowIso8601(clock) << " " << line << std::endl;
  };
  return options;
}

// The officials' HTTPS API of `serve --http`: its certificate and key are --http-cert and
// --http-key when given (a certificate browsers trust), else the server's own (made at `init`,
// issued by the server's CA). Access log lines on stderr: address, method, path (never the query),
// status, duration.
Result<std::unique_ptr<OfficialsHttpService>> StartHttp(Console& console, ServerStore& store,
                                                        const ServerTlsMaterial& tls) {
  ASSIGN_OR_RETURN(auto http, cli::ParseHostPort(console.Flag("--http"), "--http"));
  std::string cert = tls.cert_pem, key = tls.key_pem;
  const std::string& cert_file = console.Flag("--http-cert");
  const std::string& key_file = console.Flag("--http-key");
  if (cert_file.empty() != key_file.empty()) {
    return Status(ErrorCode::kInvalidArgument, Tr("--http-cert 和 --http-key 须同时给出",
                                                  "--http-cert and --http-key go together"));
  }
  if (!cert_file.empty()) {
    platform::WipeString(key);
    ASSIGN_OR_RETURN(cert, platform::ReadWholeFile(cert_file));
    ASSIGN_OR_RETURN(key, platform::ReadWholeFile(key_file));
  }
  auto service = std::make_unique<OfficialsHttpService>(store, store, console.clock());
  const platform::Clock& clock = console.clock();
  ASSIGN_OR_RETURN(uint16_t port, service->Start(http.host, http.port, cert, std::move(key),
                                                 [&clock](const http::AccessLogEntry& e) {
                                                   static std::mutex mu;
                                                   std::lock_guard lock(mu);
                                                   std::cerr << UtcNowIso8601(clock) << " https "
                                                             << e.remote << " " << e.method << " "
                                                             << e.path << " " << e.status << " "
                                                             << e.duration.count() << "ms"
                                                             << std::endl;
                                                 }));
  std::cout << Tr("官员 HTTPS 接口已启动：", "officials' HTTPS API listening on ") << "https://"
            << http.host << ":" << port << "/" << std::endl;
  return service;
}

// Runs the sync service (and the officials' HTTPS API with --http) until SIGTERM or SIGINT. The
// lines saying it listens and that it is stopping are printed as they happen (supervisors and
// tests wait for the first).
Result<cli::Reply> Serve(Console& console) {
  ASSIGN_OR_RETURN(auto listen, cli::ParseHostPort(console.Flag("--listen"), "--listen"));
  ASSIGN_OR_RETURN(ServerStore * store, console.Store());
  ASSIGN_OR_RETURN(ServerTlsMaterial tls, LoadServerTls(*store));
  ASSIGN_OR_RETURN(SyncServiceOptions options, ServiceOptions(*store, listen, console.clock()));
  // Reports answer within about a second: the sync service's background refresh keeps the identity
  // grouping current (a province's first indexing takes minutes, docs/identity-server.md).
  store->SetReportRefreshLimit(std::chrono::seconds(1));
  // Block the stop signals before threads start so that only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::unique_ptr<OfficialsHttpService> http;
  if (!console.Flag("--http").empty()) {
    ASSIGN_OR_RETURN(http, StartHttp(console, *store, tls));
  }
  platform::WipeString(tls.key_pem);
  SyncService service(std::move(options), *store);
  RETURN_IF_ERROR(service.Start());
  std::cout << Tr("同步服务已启动，监听 ", "sync service listening on ") << listen.host << ":"
            << service.port() << std::endl;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::cout << Tr("收到停止信号，正在停止…", "stop signal received, stopping…") << std::endl;
  if (http) http->Stop();
  service.Stop();
  return cli::Reply::Text(Tr("已停止", "stopped") + "\n");
}

}  // namespace

std::vector<ServerCommand> SetupCommands() {
  const cli::Arg terminal = cli::Required("--terminal");
  return {
      {{{"init"},
        "创建服务器数据、CA 和证书",
        "create the store, the CA and the server certificate",
        {cli::List("--host", "证书中的主机名（可多次）",
                   "host name for the certificate (repeatable)", 0, false)}},
       Init},
      {{{"site", "add"},
        "登记站点",
        "register a site",
        {cli::Required("--site"), cli::Required("--name"), cli::Required("--area"),
         cli::Required("--role")}},
       SiteAdd,
       Audited::kYes},
      {{{"enroll"},
        "为终端签发登记包",
        "issue a terminal's enrolment bundle",
        {cli::Required("--site"), terminal, cli::Required("--out"),
         cli::Optional("--server", "终端连接的地址 主机:端口",
                       "address terminals connect to, HOST:PORT")}},
       Enroll,
       Audited::kYes},
      {{{"revoke"}, "吊销终端", "revoke a terminal", {terminal}}, Revoke, Audited::kYes},
      {{{"serve"},
        "运行同步服务",
        "run the sync service",
        {cli::Optional("--listen", "HOST:PORT", "", "127.0.0.1:7443"),
         cli::Optional("--http", "官员 HTTPS 接口 HOST:PORT（账户见 user add）",
                       "officials' HTTPS API, HOST:PORT (accounts: user add)"),
         cli::Optional("--http-cert", "HTTPS 证书链 PEM 文件（默认：服务器证书）",
                       "HTTPS certificate chain PEM file (default: the server's certificate)"),
         cli::Optional("--http-key", "HTTPS 私钥 PEM 文件", "HTTPS private key PEM file")}},
       Serve},
  };
}

}  // namespace onecard::server
