#include "onecard/terminal/cli.h"

int main(int argc, char** argv) {
  return onecard::terminal::RunCli(argc, argv, onecard::platform::SystemClock());
}
