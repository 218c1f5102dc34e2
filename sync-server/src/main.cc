#include "onecard/server/cli.h"

int main(int argc, char** argv) {
  return onecard::server::RunCli(argc, argv, onecard::platform::SystemClock());
}
