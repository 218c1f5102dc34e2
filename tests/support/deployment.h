// A OneCard deployment for end-to-end tests: a server data directory and a running
// `onecard-server serve` on a free loopback port, plus terminal data directories, all driven
// through the real programs. Everything lives under one TempDir and is stopped on destruction.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "process.h"

namespace onecard::testing {

class Deployment {
 public:
  Deployment();
  ~Deployment();

  const std::string& server_dir() const { return server_dir_; }
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  const TempDir& dir() const { return dir_; }

  // onecard-server <args...> --data <server_dir>
  RunResult Server(std::vector<std::string> args);
  // Starts `serve` and waits until it accepts connections. Returns false on failure.
  bool StartServer();
  void StopServer();
  std::string ServerLog() const { return server_.Log(); }

  // Adds a site and enrols terminal `terminal_id` there, then runs `onecard-terminal init` into
  // its own data directory with user `user`. Returns the terminal's data directory.
  std::string AddTerminal(const std::string& site_id, const std::string& site_name,
                          const std::string& area, const std::string& role,
                          const std::string& terminal_id, const std::string& user);

  // onecard-terminal <args...> --data <dir> with the user and passphrase in the environment.
  RunResult Terminal(const std::string& data_dir, std::vector<std::string> args,
                     const std::string& stdin_data = "");

  static constexpr char kPassphrase[] = "correct horse battery 7";

 private:
  TempDir dir_;
  std::string server_dir_;
  int port_;
  Process server_;
  std::vector<std::string> sites_;
  std::map<std::string, std::string> users_;  // data dir -> acting user
};

}  // namespace onecard::testing
