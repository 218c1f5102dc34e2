// The terminal store as the desk holds it: closed until a staff member signs in with their
// passphrase (which unwraps the store key, store_keys.h), closed again — the key forgotten — when
// they lock the desk or after `idle_limit` without a request. One staff member at a time: a desk is
// one person's screen; another signs in after a lock.
//
// The store is single-threaded; the HTTP handlers and the card watcher share it through With(),
// which holds a mutex for the call. Failed sign-ins slow down: after kFreeAttempts in a row, each
// further attempt waits kPenalty since the last failure (a passphrase guessed at the screen).
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "onecard/platform/clock.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/status.h"
#include "onecard/terminal/staff_roles.h"
#include "onecard/terminal/terminal_store.h"

namespace onecard::desk {

// Who is signed in.
struct DeskUser {
  std::string user;
  terminal::StaffRole role;
  std::string terminal_id;
};

class SignedInStore {
 public:
  static constexpr int kFreeAttempts = 5;
  static constexpr std::chrono::seconds kPenalty{30};

  // `clock` must outlive this object.
  SignedInStore(std::string data_dir, const platform::Clock& clock,
                std::chrono::milliseconds idle_limit);

  // Opens the store as `user` (kUnauthenticated for a wrong name or passphrase; kResourceExhausted
  // while failures are being slowed down). Whoever was signed in before is signed out.
  Status SignIn(const std::string& user, std::string passphrase);
  // Closes the store now.
  void Lock();
  // Who is signed in; nullopt when the desk is locked (an idle limit passed locks it here).
  std::optional<DeskUser> Current();
  // The idle limit (the page clears itself after it too, so nothing stays on the screen).
  std::chrono::milliseconds idle_limit() const { return idle_limit_; }

  // Runs fn(store) as the signed-in member, when they may do `action`; returns what fn returns.
  // kUnauthenticated when the desk is locked; the member's refusal when not allowed. Counts as
  // activity (the idle limit starts again).
  template <typename F>
  auto With(terminal::StaffAction action, F&& fn)
      -> decltype(fn(std::declval<terminal::TerminalStore&>())) {
    return Run(action, /*activity=*/true, std::forward<F>(fn));
  }
  // The same for what the desk does by itself (the automatic sync, the sync bar's count): not
  // counted as activity, so the desk still locks when nobody is at it.
  template <typename F>
  auto WithInBackground(terminal::StaffAction action, F&& fn)
      -> decltype(fn(std::declval<terminal::TerminalStore&>())) {
    return Run(action, /*activity=*/false, std::forward<F>(fn));
  }

 private:
  template <typename F>
  auto Run(terminal::StaffAction action, bool activity, F&& fn)
      -> decltype(fn(std::declval<terminal::TerminalStore&>())) {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(OpenLocked(activity));
    RETURN_IF_ERROR(store_->staff().Authorize(action));
    return fn(*store_);
  }
  // OK when the store is open and its idle limit has not passed (which closes it); else the
  // "locked" refusal. With `activity`, refreshes the activity time.
  Status OpenLocked(bool activity);
  bool IdleLocked() const;

  const std::string data_dir_;
  const platform::Clock& clock_;
  const std::chrono::milliseconds idle_limit_;
  std::mutex mu_;
  std::unique_ptr<terminal::TerminalStore> store_;
  platform::SteadyTime last_activity_{};
  int failures_ = 0;
  platform::SteadyTime last_failure_{};
};

}  // namespace onecard::desk
