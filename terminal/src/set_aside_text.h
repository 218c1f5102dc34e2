// Human-readable rendering of a pulled item set aside (sync.md, "What a terminal checks of a
// pull") for the terminal's screen.
#pragma once

#include <string>

#include "onecard/terminal/pull_set_aside.h"

namespace onecard::terminal {

// One line, in the user's language: what the item is (a label, not the code), its id, the change
// that carried it and why it was set aside, e.g.
//   "儿童 GD-T1-7（变更 42）：字段 name：应为文本" / "child GD-T1-7 (change 42): field name: …".
std::string SetAsideLine(const PullSetAside& item);

}  // namespace onecard::terminal
