#include "connection_limits.h"

namespace onecard::server {

ConnectionLimits::Slot& ConnectionLimits::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    if (owner_ != nullptr) owner_->Release(terminal_id_);
    owner_ = other.owner_;
    terminal_id_ = std::move(other.terminal_id_);
    other.owner_ = nullptr;
  }
  return *this;
}

ConnectionLimits::Slot::~Slot() {
  if (owner_ != nullptr) owner_->Release(terminal_id_);
}

ConnectionLimits::Slot ConnectionLimits::TryAcquire(const std::string& terminal_id) {
  std::lock_guard lock(mu_);
  uint32_t& open = open_[terminal_id];
  if (open >= per_terminal_) return Slot();
  ++open;
  return Slot(this, terminal_id);
}

uint32_t ConnectionLimits::OpenFor(const std::string& terminal_id) {
  std::lock_guard lock(mu_);
  auto it = open_.find(terminal_id);
  return it == open_.end() ? 0 : it->second;
}

void ConnectionLimits::Release(const std::string& terminal_id) {
  std::lock_guard lock(mu_);
  auto it = open_.find(terminal_id);
  if (it != open_.end() && --it->second == 0) open_.erase(it);
}

}  // namespace onecard::server
