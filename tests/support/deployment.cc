#include "deployment.h"

#include <signal.h>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace onecard::testing {
namespace {

std::map<std::string, std::string> BaseEnv() { return {{"ONECARD_LANG", "en"}}; }

}  // namespace

Deployment::Deployment()
    : dir_("onecard-e2e"), server_dir_(dir_ / "server"), port_(FreeTcpPort()) {}

Deployment::~Deployment() { StopServer(); }

RunResult Deployment::Server(std::vector<std::string> args) {
  args.insert(args.begin(), BuiltProgram("onecard-server"));
  args.push_back("--data");
  args.push_back(server_dir_);
  RunOptions options;
  options.env = BaseEnv();
  return Run(args, options);
}

bool Deployment::StartServer() {
  RunOptions options;
  options.env = BaseEnv();
  server_ = Process(
      {BuiltProgram("onecard-server"), "serve", "--data", server_dir_, "--listen", address()},
      options, dir_ / "server.log");
  return WaitForTcpPort(port_, std::chrono::seconds(20));
}

void Deployment::StopServer() {
  if (server_.pid() > 0) server_.Stop(SIGTERM, std::chrono::seconds(10));
}

std::string Deployment::AddTerminal(const std::string& site_id, const std::string& site_name,
                                    const std::string& area, const std::string& role,
                                    const std::string& terminal_id, const std::string& user) {
  if (std::find(sites_.begin(), sites_.end(), site_id) == sites_.end()) {
    RunResult site = Server(
        {"site", "add", "--site", site_id, "--name", site_name, "--area", area, "--role", role});
    if (site.exit_code != 0) throw std::runtime_error("site add failed: " + site.err);
    sites_.push_back(site_id);
  }
  std::string bundle = dir_ / (terminal_id + ".bundle");
  RunResult enroll = Server({"enroll", "--site", site_id, "--terminal", terminal_id, "--out",
                             bundle, "--server", address()});
  if (enroll.exit_code != 0) throw std::runtime_error("enroll failed: " + enroll.err);
  std::string data = dir_ / ("terminal-" + terminal_id);
  RunOptions options;
  options.env = BaseEnv();
  options.env["ONECARD_PASSPHRASE"] = kPassphrase;
  RunResult init = Run({BuiltProgram("onecard-terminal"), "init", "--data", data, "--bundle",
                        bundle, "--user", user},
                       options);
  if (init.exit_code != 0) throw std::runtime_error("terminal init failed: " + init.err);
  std::remove(bundle.c_str());
  users_[data] = user;
  return data;
}

RunResult Deployment::Terminal(const std::string& data_dir, std::vector<std::string> args,
                               const std::string& stdin_data) {
  args.insert(args.begin(), BuiltProgram("onecard-terminal"));
  args.push_back("--data");
  args.push_back(data_dir);
  RunOptions options;
  options.env = BaseEnv();
  options.env["ONECARD_PASSPHRASE"] = kPassphrase;
  options.env["ONECARD_USER"] = users_[data_dir];
  options.stdin_data = stdin_data;
  return Run(args, options);
}

}  // namespace onecard::testing
