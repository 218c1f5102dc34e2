#include "onecard/platform/process_hardening.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

namespace onecard::platform {

void HardenProcess() {
  ::umask(077);  // stores, keys and bundles are private to the service account
  rlimit none{0, 0};
  ::setrlimit(RLIMIT_CORE, &none);
  ::prctl(PR_SET_DUMPABLE, 0);
}

}  // namespace onecard::platform
