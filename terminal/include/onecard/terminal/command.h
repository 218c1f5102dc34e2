// One command of onecard-terminal and what its handler is given (CLI.md). The command table is
// assembled in cli.cc; programs built on the terminal library add their own commands (the desk,
// terminal/desk) through RunCli (cli.h).
//
// CommandContext opens the store as the acting staff member and checks the command's staff action
// the first time the handler asks for it, so a command can refuse bad input (a malformed record, a
// bad date) before anyone is asked for a passphrase.
#pragma once

#include <memory>
#include <optional>
#include <string>

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

}  // namespace onecard::terminal
