#pragma once
// The terminal's command table, in parts by subject (cli_*.cc), run by one runner (cli.cc);
// what the handlers share. CommandContext and TerminalCommand: onecard/terminal/command.h.

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "onecard/cli/reply.h"
#include "onecard/protocol/status.h"
#include "onecard/terminal/child_page.h"
#include "onecard/terminal/command.h"

namespace onecard::terminal {

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
