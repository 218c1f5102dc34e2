#include "cli_console.h"

#include "onecard/server/data_dir.h"

namespace onecard::server {

std::string Console::DataDir() const { return ResolveDataDir(args_.GlobalText("--data")); }

Result<ServerStore*> Console::Store() {
  if (!store_) {
    ASSIGN_OR_RETURN(store_, ServerStore::Open(DataDir(), clock_));
  }
  return store_.get();
}

}  // namespace onecard::server
