#include "onecard/cli/reply.h"

#include <iostream>

#include "onecard/protocol/i18n.h"

namespace onecard::cli {

int ExitCodeOf(const Status& status) { return status.ok() ? 0 : 1; }

int PrintError(const Status& status) {
  std::cerr << Tr("错误：", "error: ") << status.message() << std::endl;
  return ExitCodeOf(status);
}

int PrintReply(const Reply& reply, bool json) {
  if (json && !reply.json.empty()) {
    std::cout << reply.json << std::endl;
  } else {
    std::cout << reply.text << std::flush;
  }
  if (!reply.problem.empty()) {
    std::cerr << reply.problem << std::endl;
    return 1;
  }
  return 0;
}

}  // namespace onecard::cli
