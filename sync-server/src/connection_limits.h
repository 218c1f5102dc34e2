// Counts the sync service's open sessions per terminal, so that one terminal (a stolen
// certificate, a client stuck in a retry loop) cannot hold more than its share of the server.
// Internal to the server library.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace onecard::server {

class ConnectionLimits {
 public:
  explicit ConnectionLimits(uint32_t per_terminal) : per_terminal_(per_terminal) {}

  // A session's claim on one of its terminal's slots; releases it on destruction. Move-only.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept
        : owner_(other.owner_), terminal_id_(std::move(other.terminal_id_)) {
      other.owner_ = nullptr;
    }
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot();
    bool held() const { return owner_ != nullptr; }

   private:
    friend class ConnectionLimits;
    Slot(ConnectionLimits* owner, std::string terminal_id)
        : owner_(owner), terminal_id_(std::move(terminal_id)) {}
    ConnectionLimits* owner_ = nullptr;
    std::string terminal_id_;
  };

  // A held slot, or an empty one when `terminal_id` already has `per_terminal` sessions open.
  Slot TryAcquire(const std::string& terminal_id);
  uint32_t OpenFor(const std::string& terminal_id);

 private:
  void Release(const std::string& terminal_id);

  const uint32_t per_terminal_;
  std::mutex mu_;
  std::map<std::string, uint32_t> open_;
};

}  // namespace onecard::server
