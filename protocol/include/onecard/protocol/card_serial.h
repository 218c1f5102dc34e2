// The printed form of a card serial (card.md): the 8 serial bytes as 16 upper-case hex digits.
// Shared by the terminal (which reads serials from cards and people) and the server (which keeps
// the list of revoked serials).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace onecard {

// True for exactly 16 characters 0-9 A-F.
bool IsCardSerialText(std::string_view text);
// A serial typed by a person: surrounding blanks, lower-case hex and separating spaces or dashes
// are accepted ("0a1b 2c3d-4e5f 6071"). std::nullopt when it is not 16 hex digits after that.
std::optional<std::string> NormalizeCardSerial(std::string_view text);

}  // namespace onecard
