// The `review` commands of onecard-server (docs/identity-server.md): the identity review queue
// and the supervisors' merge / separate / unmerge decisions, plus a full refresh, the decisions
// log and a child's residence history. Internal to the server library; cli.cc adds them to its
// command line.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace onecard::server {

struct IdentityCli {
  std::string user;               // who decides (--user, default $USER)
  std::vector<std::string> pair;  // the two child ids of merge / separate / unmerge
  CLI::App* list = nullptr;
  CLI::App* merge = nullptr;
  CLI::App* separate = nullptr;
  CLI::App* unmerge = nullptr;
  CLI::App* refresh = nullptr;
  CLI::App* log = nullptr;
  std::string child_id;  // history --child
  CLI::App* history = nullptr;
};

// Adds `review list|merge|separate|unmerge|refresh|log` and `history --child ID` (residence
// history and moves, residence_history.h) to `app`, filling `cli`.
void AddIdentityCommands(CLI::App& app, IdentityCli& cli);

// Runs the review command that was parsed, on the store in `data_dir`; nullopt when none was.
std::optional<int> RunIdentityCommand(const IdentityCli& cli, const std::string& data_dir,
                                      bool json_output);

}  // namespace onecard::server
