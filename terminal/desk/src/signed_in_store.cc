#include "signed_in_store.h"

#include "onecard/protocol/crypto.h"

namespace onecard::desk {

SignedInStore::SignedInStore(std::string data_dir, const platform::Clock& clock,
                             std::chrono::milliseconds idle_limit)
    : data_dir_(std::move(data_dir)), clock_(clock), idle_limit_(idle_limit) {}

Status SignedInStore::SignIn(const std::string& user, std::string passphrase) {
  std::lock_guard lock(mu_);
  store_.reset();
  const platform::SteadyTime now = clock_.Steady();
  if (failures_ >= kFreeAttempts && now - last_failure_ < kPenalty) {
    WipeString(passphrase);
    const auto wait = std::chrono::ceil<std::chrono::seconds>(kPenalty - (now - last_failure_));
    const std::string seconds = std::to_string(wait.count());
    return Status(ErrorCode::kResourceExhausted,
                  Tr("登录失败次数过多，请 " + seconds + " 秒后再试",
                     "too many failed sign-ins: try again in " + seconds + " s"));
  }
  auto store = terminal::TerminalStore::Open(data_dir_, user, passphrase, clock_);
  WipeString(passphrase);
  if (!store.ok()) {
    if (store.status().code() == ErrorCode::kUnauthenticated) {
      ++failures_;
      last_failure_ = now;
    }
    return store.status();
  }
  failures_ = 0;
  store_ = std::move(*store);
  last_activity_ = now;
  return Status::Ok();
}

void SignedInStore::Lock() {
  std::lock_guard lock(mu_);
  store_.reset();
}

std::optional<DeskUser> SignedInStore::Current() {
  std::lock_guard lock(mu_);
  if (!store_ || IdleLocked()) {
    store_.reset();
    return std::nullopt;
  }
  return DeskUser{store_->user(), store_->role(), store_->terminal_id()};
}

bool SignedInStore::IdleLocked() const { return clock_.Steady() - last_activity_ >= idle_limit_; }

Status SignedInStore::OpenLocked(bool activity) {
  if (store_ && IdleLocked()) store_.reset();
  if (!store_) {
    return Status(ErrorCode::kUnauthenticated,
                  Tr("登记台已锁定，请登录", "the desk is locked: sign in"));
  }
  if (activity) last_activity_ = clock_.Steady();
  return Status::Ok();
}

}  // namespace onecard::desk
