#include "onecard/platform/secret_wipe.h"

#include <string.h>  // explicit_bzero (glibc): a zeroing the optimiser may not elide

namespace onecard::platform {

void WipeString(std::string& s) {
  if (!s.empty()) ::explicit_bzero(s.data(), s.size());
  s.clear();
}

}  // namespace onecard::platform
