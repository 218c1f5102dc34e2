// `onecard-terminal desk` (CLI.md): runs the desk (desk_server.h) until SIGINT or SIGTERM, prints
// its one-time address and, unless --no-browser, opens it in the system browser.
#pragma once

#include "onecard/terminal/command.h"

namespace onecard::desk {

terminal::TerminalCommand DeskCommand();

}  // namespace onecard::desk
