#pragma once
// A command-line program as data: each command is declared once, with its path ("card issue"),
// its description in both languages and its arguments. The runner (command_runner.h) builds the
// parser from these declarations, so a command's flags are never spelled in two places.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace onecard::cli {

// One flag ("--child") or positional argument ("A") of a command or of the whole program.
struct Arg {
  enum class Kind {
    kText,    // one value
    kNumber,  // one whole number within [min, max], checked by the parser
    kList,    // `count` values (0: any number, the flag repeatable)
    kSwitch,  // present or not
  };
  std::string name;
  std::string zh, en;  // help text; empty when the name says it all
  Kind kind = Kind::kText;
  bool required = false;
  std::string default_value;  // kText: the value when the flag is absent
  long min = 0, max = 0;      // kNumber: the accepted range
  int count = 0;              // kList: how many values (0: any)
};

// Builders for the common shapes, so tables read as one line per argument.
Arg Required(std::string name, std::string zh = "", std::string en = "");
Arg Optional(std::string name, std::string zh = "", std::string en = "",
             std::string default_value = "");
Arg Switch(std::string name, std::string zh, std::string en);
Arg Number(std::string name, std::string zh, std::string en, long min, long max);
Arg List(std::string name, std::string zh, std::string en, int count, bool required);

// A command: the words that select it, what it does, what it takes.
struct CommandSpec {
  std::vector<std::string> path;
  std::string zh, en;
  std::vector<Arg> args;
};

// An intermediate word ("card", "review") with its description; its commands are below it.
struct GroupSpec {
  std::vector<std::string> path;
  std::string zh, en;
};

// The program: its name and description, the flags every command accepts, its groups.
struct ProgramSpec {
  std::string name;
  std::string zh, en;
  std::vector<Arg> globals;
  std::vector<GroupSpec> groups;
};

// The values one invocation was given, by argument name: the command's own and, behind them, the
// program's global ones (a command may declare a flag of the same name as a global: "staff add
// --user" names the new member, the global --user the acting one).
class Args {
 public:
  // The value of a text or number argument (the command's own, else the global one); its default
  // (or "") when absent.
  const std::string& Text(const std::string& name) const;
  // The value of the global argument `name`, even when the command has one of the same name.
  const std::string& GlobalText(const std::string& name) const;
  // The values of a list argument, in the order given.
  const std::vector<std::string>& Values(const std::string& name) const;
  // Whether a switch was given.
  bool On(const std::string& name) const;
  // A number argument's value (already checked against its range by the parser); 0 when absent.
  long NumberOf(const std::string& name) const;

  // Storage the parser binds to; each slot keeps its address while the Args lives.
  std::string& TextSlot(const std::string& name) { return texts_[name]; }
  std::vector<std::string>& ListSlot(const std::string& name) { return lists_[name]; }
  bool& SwitchSlot(const std::string& name) { return switches_[name]; }
  // Puts the global arguments' values behind the command's own.
  void SetGlobals(const Args& globals);

 private:
  std::map<std::string, std::string> texts_, global_texts_;
  std::map<std::string, std::vector<std::string>> lists_;
  std::map<std::string, bool> switches_;
};

}  // namespace onecard::cli
