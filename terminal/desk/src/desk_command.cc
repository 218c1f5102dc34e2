#include "onecard/desk/desk_command.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <iostream>

#include "onecard/cli/host_port.h"
#include "onecard/desk/desk_server.h"
#include "onecard/platform/file_io.h"
#include "onecard/protocol/i18n.h"

extern char** environ;

namespace onecard::desk {
namespace {

// Opens `url` in the system browser without putting its secret on a command line (where other
// users of the machine could read it in the process list): a private file in the data directory
// redirects to it, and xdg-open is given the file's path. The file is removed when the desk stops.
Status OpenBrowser(const std::string& url, const std::string& redirect_file) {
  RETURN_IF_ERROR(platform::WriteFileAtomically(
      redirect_file,
      "<!DOCTYPE html><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url=" + url +
          "\"><title>OneCard</title>\n",
      0600));
  std::string program = "xdg-open";
  std::string path = redirect_file;
  char* argv[] = {program.data(), path.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawnp(&pid, program.c_str(), nullptr, nullptr, argv, environ) != 0) {
    return Status(ErrorCode::kUnavailable, Tr("无法启动浏览器（未找到 xdg-open）",
                                              "cannot start the browser (no xdg-open)"));
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status(ErrorCode::kUnavailable,
                  Tr("xdg-open 没能打开浏览器", "xdg-open could not open a browser"));
  }
  return Status::Ok();
}

Result<DeskOptions> OptionsOf(const terminal::CommandContext& ctx) {
  DeskOptions options;
  options.data_dir = ctx.DataDir();
  options.reader = ctx.args().GlobalText("--reader");
  if (!ctx.Flag("--listen").empty()) {
    ASSIGN_OR_RETURN(cli::HostPort listen, cli::ParseHostPort(ctx.Flag("--listen"), "--listen"));
    options.listen_address = listen.host;
    options.port = listen.port;
  }
  if (!platform::FileExists(options.data_dir + "/terminal.db")) {
    return Status(
        ErrorCode::kFailedPrecondition,
        Tr("终端尚未初始化：" + options.data_dir, "terminal not initialised: " + options.data_dir));
  }
  return options;
}

Result<cli::Reply> RunDesk(terminal::CommandContext& ctx) {
  ASSIGN_OR_RETURN(DeskOptions options, OptionsOf(ctx));
  // Block the stop signals before threads start so that only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  DeskServer desk(options, ctx.clock());
  RETURN_IF_ERROR(desk.Start());
  std::cout << Tr("登记台已启动。请在本机浏览器中打开（仅可使用一次）：\n",
                  "the desk is running. Open in a browser on this machine (works once):\n")
            << desk.LaunchUrl() << std::endl;
  const std::string redirect_file = options.data_dir + "/desk-open.html";
  if (!ctx.args().On("--no-browser")) {
    Status opened = OpenBrowser(desk.LaunchUrl(), redirect_file);
    if (!opened.ok()) std::cerr << opened.message() << std::endl;
  }
  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::cout << Tr("收到停止信号，正在停止…", "stop signal received, stopping…") << std::endl;
  desk.Stop();
  std::remove(redirect_file.c_str());
  return cli::Reply::Text(Tr("登记台已停止\n", "the desk has stopped\n"));
}

}  // namespace

terminal::TerminalCommand DeskCommand() {
  return {{{"desk"},
           "登记台：在本机浏览器中使用的登记程序（仅限本机）",
           "the desk: the registration application in this machine's browser (loopback only)",
           {cli::Optional("--listen", "127.0.0.1:PORT"),
            cli::Switch("--no-browser", "只显示地址，不打开浏览器",
                        "print the address only; do not open a browser")}},
          std::nullopt,
          RunDesk};
}

}  // namespace onecard::desk
