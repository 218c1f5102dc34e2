// A pulled item the terminal did not apply (sync.md, "What a terminal checks of a pull"). Plain
// data shared by the store's pull (pull_repository.h), the sync client and the texts that show it.
#pragma once

#include <cstdint>
#include <string>

namespace onecard::terminal {

// An item that failed the checks of a pull. The rest of its page is applied and the cursor moves
// past it.
struct PullSetAside {
  std::string kind;         // child | referral | site | revoked_card | revoked_terminal |
                            // identity_pair | person
  std::string id;           // the item's id as the server sent it (may itself be what is wrong)
  uint64_t change_seq = 0;  // the next_cursor of the page that carried it
  std::string message;      // why, one sentence for a person (Tr), naming the field
};

}  // namespace onecard::terminal
