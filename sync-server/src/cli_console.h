#pragma once
// The server's command table: each command declared once (cli_*.cc), run by one runner (cli.cc)
// that gives the handler a Console. The Console opens the store the first time the handler asks
// for it, so a command can refuse bad flags before it touches the store. The server's commands
// are for its operator at the machine (no roles yet: whoever may run the program may run them).

#include <memory>
#include <string>
#include <vector>

#include "onecard/cli/command.h"
#include "onecard/cli/reply.h"
#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"
#include "onecard/server/server_store.h"

namespace onecard::server {

class Console {
 public:
  Console(const cli::Args& args, const platform::Clock& clock) : args_(args), clock_(clock) {}
  // For tests: the report commands run against `reports` (any backend, a fake) and never open
  // the store; Store() and Admin() still open the one in the data directory.
  Console(const cli::Args& args, const platform::Clock& clock, ReportStore& reports)
      : args_(args), clock_(clock), reports_(&reports) {}

  const cli::Args& args() const { return args_; }
  // The value of the command's flag `name` ("" when absent).
  const std::string& Flag(const std::string& name) const { return args_.Text(name); }
  // The clock the program was given (the system clock; a test clock in tests).
  const platform::Clock& clock() const { return clock_; }
  // The state directory (--data, else the default).
  std::string DataDir() const;
  // The operating-system user running the command: the login name of the real user id, or the id
  // as a number when it has none. What the exact-query audit records as who asked.
  static std::string OsUser();
  // Who acts (decides, erases): --user, else $USER, else OsUser() (such acts are never
  // anonymous).
  std::string ActingUser() const;

  // Appends to the server's audit chain the command `spec` just run (AdminStore::
  // AppendServerAudit): its words as the action, the operating-system user as the actor (a flag
  // could name anyone), the child, account, area, terminal or site it names as the subject, and
  // its flags as the detail.
  Status Audit(const cli::CommandSpec& spec);

  // The server's store, opened on first use (for `serve`, which hands it to the sync service).
  Result<ServerStore*> Store();
  // The store as the commands use it: reports and review, setup and enrolment.
  Result<ReportStore*> Reports();
  Result<AdminStore*> Admin();
  Result<AccountStore*> Accounts();

 private:
  const cli::Args& args_;
  const platform::Clock& clock_;
  ReportStore* reports_ = nullptr;  // injected, else the opened store
  std::unique_ptr<ServerStore> store_;
};

// Which runs of a command the server's audit chain records (Console::Audit), after they
// succeed: those that read personal data at the server (review, history, conflicts, exact
// counts) or change who may read it or what is held (accounts, sites, terminals, erasure,
// retention).
enum class Audited {
  kNo,
  kYes,
  kWhenExact,  // only with --exact (perturbed counts are for anyone)
};

// One command of onecard-server: its declaration, its handler and whether it is audited.
struct ServerCommand {
  cli::CommandSpec spec;
  Result<cli::Reply> (*run)(Console& console);
  Audited audited = Audited::kNo;
};

// The parts of the table, by subject (in the order the help lists them).
std::vector<ServerCommand> SetupCommands();     // init, site add, enroll, revoke, serve
std::vector<ServerCommand> ReportCommands();    // counts, conflicts, referrals stats
std::vector<ServerCommand> CoverageCommands();  // coverage set|list|report
std::vector<ServerCommand> UserCommands();      // user add|list|disable|passwd|totp
std::vector<ServerCommand>
IdentityCommands();  // review list|merge|separate|unmerge|refresh|log, history
std::vector<ServerCommand> ErasureCommands();  // erase, retention
std::vector<ServerCommand> AuditCommands();    // audit verify

}  // namespace onecard::server
