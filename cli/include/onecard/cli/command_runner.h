#pragma once
// The one runner of a command table: parse, dispatch to the chosen command, print, exit status.

#include <initializer_list>
#include <optional>
#include <vector>

#include "onecard/cli/command.h"
#include "onecard/cli/reply.h"
#include "onecard/protocol/status.h"

namespace onecard::cli {

// What the parser found: the index of the chosen command and its arguments (the globals merged
// in), or no command and the exit status of the parser (after help, or a usage error it printed).
struct Parsed {
  std::optional<size_t> command;
  Args args;
  int exit_code = 0;
};

// Parses argv against `commands` (each a leaf of the program's command tree; intermediate words
// are created from `program.groups` as the first command below them is declared, so the help
// lists commands in table order). Every group and command accepts the global flags after it.
Parsed Parse(const ProgramSpec& program, const std::vector<const CommandSpec*>& commands, int argc,
             char** argv);

// The commands of `parts` in order, as one table (a program declares its table in parts).
template <typename Command>
std::vector<Command> JoinCommands(std::initializer_list<std::vector<Command>> parts) {
  std::vector<Command> all;
  for (const std::vector<Command>& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

// Runs a program declared as a table. `Command` is the program's own entry type: it has a
// `spec` (CommandSpec) and whatever the program needs to run it (the staff action it requires,
// its handler). `invoke(command, args)` opens what the command needs, authorizes and runs it,
// returning its Reply or the Status that explains why not; the runner prints either and returns
// the exit status.
template <typename Command, typename Invoke>
int Run(const ProgramSpec& program, const std::vector<Command>& commands, int argc, char** argv,
        Invoke invoke) {
  std::vector<const CommandSpec*> specs;
  specs.reserve(commands.size());
  for (const Command& command : commands) specs.push_back(&command.spec);
  Parsed parsed = Parse(program, specs, argc, argv);
  if (!parsed.command) return parsed.exit_code;
  Result<Reply> reply = invoke(commands[*parsed.command], parsed.args);
  if (!reply.ok()) return PrintError(reply.status());
  return PrintReply(*reply, parsed.args.On("--json"));
}

}  // namespace onecard::cli
