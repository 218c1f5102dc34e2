#include "onecard/desk/desk_command.h"
#include "onecard/terminal/cli.h"

int main(int argc, char** argv) {
  return onecard::terminal::RunCli(argc, argv, onecard::platform::SystemClock(),
                                   {onecard::desk::DeskCommand()});
}
