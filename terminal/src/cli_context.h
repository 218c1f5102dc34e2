#pragma once
// The terminal's command table: each command declared once (cli_*.cc), run by one runner (cli.cc)
// that gives the handler a CommandContext. The context opens the store as the acting staff member
// and checks the command's staff action the first time the handler asks for it, so a command can
// refuse bad input (a malformed record, a bad date) before anyone is asked for a passphrase.

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "onecard/cli/command.h"
#include "onecard/cli/reply.h"
#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"
#include "onecard/terminal/staff_roles.h"
#include "onecard/terminal/terminal_store.h"

namespace onecard::terminal {

class CommandContext {
 public:
  CommandContext(const cli::Args& args, std::optional<StaffAction> action,
                 const platform::Clock& clock)
      : args_(args), action_(action), clock_(clock) {}

  const cli::Args& args() const { return args_; }
  // The value of the command's flag `name` ("" when absent).
  const std::string& Flag(const std::string& name) const { return args_.Text(name); }
  bool json() const { return args_.On("--json"); }
  // The clock the program was given (the system clock; a test clock in tests).
  const platform::Clock& clock() const { return clock_; }
  // The acting staff member: the global --user, else $ONECARD_USER ("" when neither).
  std::string ActingUser() const;
  // The state directory (--data, else the default).
  std::string DataDir() const;

  // The store, opened as the acting staff member (passphrase from ONECARD_PASSPHRASE or the
  // terminal) and authorized for the command's staff action, on first use.
  Result<TerminalStore*> Store();

 private:
  const cli::Args& args_;
  std::optional<StaffAction> action_;
  const platform::Clock& clock_;
  std::unique_ptr<TerminalStore> store_;
};

// One command of onecard-terminal: its declaration, the staff action it needs (none for commands
// that do not open the store) and its handler.
struct TerminalCommand {
  cli::CommandSpec spec;
  std::optional<StaffAction> action;
  Result<cli::Reply> (*run)(CommandContext& ctx);
};

// The record as shown to people and programs: without the internal card stamp.
nlohmann::json Public(nlohmann::json record);
// A record's reply: its text for people, its public JSON (indented) for programs.
cli::Reply RecordReply(const nlohmann::json& record);

// The parts of the table, by subject (in the order the help lists them).
std::vector<TerminalCommand> SetupCommands();     // init, readers
std::vector<TerminalCommand> RecordCommands();    // register, update, show, search, due, erase,
                                                  // export
std::vector<TerminalCommand> CardCommands();      // card issue|read|update|replace|revoke
std::vector<TerminalCommand> ReferralCommands();  // refer, referral accept|...|list
std::vector<TerminalCommand> UpkeepCommands();    // sync, audit verify, staff add, passwd
std::vector<TerminalCommand> ReviewCommands();    // conflicts list|resolve, review list|merge|...
// export, among the record commands (cli_export.cc).
TerminalCommand ExportCommand();

}  // namespace onecard::terminal
