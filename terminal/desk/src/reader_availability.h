// Whether the card reader can be used now, as the card watch last found it (card_watch.h), for a
// page that opens after the change was published (GET /api/reader). Thread-safe.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace onecard::desk {

class ReaderAvailability {
 public:
  // Records the state; true when it changed (then the watch publishes it).
  bool Set(bool available, const std::string& message) {
    std::lock_guard lock(mu_);
    if (available == available_ && message == message_) return false;
    available_ = available;
    message_ = available ? "" : message;
    return true;
  }
  // {"available": true} or {"available": false, "message": why}.
  nlohmann::json ToJson() const {
    std::lock_guard lock(mu_);
    nlohmann::json out = {{"available", available_}};
    if (!available_) out["message"] = message_;
    return out;
  }

 private:
  mutable std::mutex mu_;
  bool available_ = true;
  std::string message_;
};

}  // namespace onecard::desk
