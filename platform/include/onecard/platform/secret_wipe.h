// Wiping secrets from memory before it is released.
#pragma once

#include <string>

namespace onecard::platform {

// Overwrites the characters of a std::string that held a secret (a write the compiler may not
// remove), then clears it.
void WipeString(std::string& s);

}  // namespace onecard::platform
