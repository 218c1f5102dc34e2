#include <CLI/CLI.hpp>
#include <deque>
#include <map>

#include "onecard/cli/command_runner.h"
#include "onecard/protocol/i18n.h"

namespace onecard::cli {
namespace {

std::string Help(const std::string& zh, const std::string& en) {
  if (en.empty()) return zh;
  return Tr(zh, en);
}

// Declares `arg` on `app`, bound to its slot in `args`.
void Declare(CLI::App& app, const Arg& arg, Args& args) {
  const std::string help = Help(arg.zh, arg.en);
  CLI::Option* option = nullptr;
  switch (arg.kind) {
    case Arg::Kind::kSwitch:
      app.add_flag(arg.name, args.SwitchSlot(arg.name), help);
      return;
    case Arg::Kind::kList:
      option = app.add_option(arg.name, args.ListSlot(arg.name), help);
      if (arg.count > 0) option->expected(arg.count);
      break;
    case Arg::Kind::kNumber:
      option = app.add_option(arg.name, args.TextSlot(arg.name), help);
      option->check(CLI::Range(arg.min, arg.max));
      break;
    case Arg::Kind::kText:
      args.TextSlot(arg.name) = arg.default_value;
      option = app.add_option(arg.name, args.TextSlot(arg.name), help);
      break;
  }
  if (arg.required) option->required();
}

std::string Key(const std::vector<std::string>& path, size_t length) {
  std::string key;
  for (size_t i = 0; i < length; ++i) key += path[i] + " ";
  return key;
}

// The program's command tree, created word by word as commands are declared.
class Tree {
 public:
  Tree(CLI::App& root, const std::vector<GroupSpec>& groups) : root_(root) {
    for (const GroupSpec& g : groups) groups_[Key(g.path, g.path.size())] = &g;
  }

  // The subcommand for `path` (a command's path when `leaf`), creating the groups above it.
  CLI::App* Node(const std::vector<std::string>& path, const std::string& help) {
    CLI::App* parent = &root_;
    for (size_t i = 0; i + 1 < path.size(); ++i) parent = Group(path, i + 1, parent);
    CLI::App* leaf = parent->add_subcommand(path.back(), help);
    leaf->fallthrough();
    return leaf;
  }

 private:
  CLI::App* Group(const std::vector<std::string>& path, size_t length, CLI::App* parent) {
    const std::string key = Key(path, length);
    if (auto it = made_.find(key); it != made_.end()) return it->second;
    auto spec = groups_.find(key);
    std::string help = spec == groups_.end() ? "" : Help(spec->second->zh, spec->second->en);
    CLI::App* group = parent->add_subcommand(path[length - 1], help);
    group->require_subcommand(1);
    group->fallthrough();
    made_[key] = group;
    return group;
  }

  CLI::App& root_;
  std::map<std::string, const GroupSpec*> groups_;
  std::map<std::string, CLI::App*> made_;
};

}  // namespace

Parsed Parse(const ProgramSpec& program, const std::vector<const CommandSpec*>& commands, int argc,
             char** argv) {
  CLI::App app{Help(program.zh, program.en), program.name};
  app.require_subcommand(1);
  app.fallthrough();
  Args globals;
  for (const Arg& arg : program.globals) Declare(app, arg, globals);
  Tree tree(app, program.groups);
  std::deque<Args> own(commands.size());  // a deque: slots keep their addresses as it grows
  std::vector<CLI::App*> nodes;
  for (size_t i = 0; i < commands.size(); ++i) {
    nodes.push_back(tree.Node(commands[i]->path, Help(commands[i]->zh, commands[i]->en)));
    for (const Arg& arg : commands[i]->args) Declare(*nodes.back(), arg, own[i]);
  }
  Parsed parsed;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    parsed.exit_code = app.exit(e);
    return parsed;
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i]->parsed()) continue;
    parsed.command = i;
    parsed.args = own[i];
    parsed.args.SetGlobals(globals);
    return parsed;
  }
  parsed.exit_code = 2;  // unreachable: the parser requires a command
  return parsed;
}

}  // namespace onecard::cli
