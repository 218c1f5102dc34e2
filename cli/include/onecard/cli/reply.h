#pragma once
// What a command says back, and how the runner prints it.

#include <string>

#include "onecard/protocol/status.h"

namespace onecard::cli {

// The answer of a command that succeeded. `text` is for people; `json` (already serialised) is
// printed instead when the user asked for --json and the command has a JSON form. A command whose
// check found a problem that is not an error of the program (a broken audit chain) sets `problem`:
// it is printed on standard error, after the text or JSON when there is one (the report that shows
// the problem), and the program exits 1.
struct Reply {
  std::string text;
  std::string json;
  std::string problem;

  static Reply Text(std::string text) { return Reply{std::move(text), "", ""}; }
  static Reply Both(std::string text, std::string json) {
    return Reply{std::move(text), std::move(json), ""};
  }
  static Reply Problem(std::string problem) { return Reply{"", "", std::move(problem)}; }
};

// The exit status of a failed command: 1 for every error code (CLI.md: "a non-zero exit status").
int ExitCodeOf(const Status& status);

// Prints the error ("错误：…" / "error: …") on standard error; returns ExitCodeOf(status).
int PrintError(const Status& status);

// Prints `reply` (JSON when `json` and the reply has it, else its text); returns the exit status.
int PrintReply(const Reply& reply, bool json);

}  // namespace onecard::cli
