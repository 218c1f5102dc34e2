// Status and Result<T>: the error values returned across module boundaries.
//
// Contract: functions that can fail on outside input (files, cards, the network, user records)
// return a Status or Result<T>; they never throw for such failures and never abort. A broken
// internal invariant is a bug and aborts loudly (see ONECARD_CHECK). The message is one sentence
// for a person, already in the user's language (see i18n.h), naming what was wrong (the field,
// the file, the reader).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace onecard {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,     // bad input: a field, a flag, malformed JSON
  kNotFound,            // no such child, reader, file, site
  kAlreadyExists,       // would duplicate something unique
  kPermissionDenied,    // the acting person or terminal may not do this
  kUnauthenticated,     // wrong passphrase, certificate refused
  kTampered,            // a signature or MAC does not verify
  kNotOneCard,          // a card without the OneCard application
  kCardRemoved,         // the card left the reader (or was reset) during an operation
  kUnavailable,         // a service (pcscd, the server) cannot be reached; retrying may help
  kDeadlineExceeded,    // an operation ran past its deadline
  kFailedPrecondition,  // the state does not allow this yet (not initialised, blank card)
  kResourceExhausted,   // too large, too many
  kCorruption,          // stored data is damaged
  kIoError,             // the operating system refused a read or write
  kInternal,            // a library failed in a way that is not the caller's fault
};

// Stable English token for an error code ("invalid_argument", ...), used in JSON and on the wire.
const char* ErrorCodeName(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "<context>: <message>".
  Status WithContext(const std::string& context) const;

  // The input field the error is about, for programs that point at it (a form shows the message
  // next to it): a record's field path such as "guardians[1].phone"; "" when the error is not
  // about one field. The message names the field too, for people.
  const std::string& field() const { return field_; }
  Status WithField(std::string field) const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string field_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (std::get<Status>(v_).ok()) {
      std::fprintf(stderr, "Result constructed from an OK status\n");
      std::abort();
    }
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &std::get<T>(v_); }
  const T* operator->() const { return &std::get<T>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace onecard

// Aborts with file and line when an internal invariant is broken (never for outside input).
#define ONECARD_CHECK(cond)                                                             \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)

#define ONECARD_CONCAT_INNER(a, b) a##b
#define ONECARD_CONCAT(a, b) ONECARD_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` (a Status) is not OK.
#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    ::onecard::Status onecard_status_ = (expr);        \
    if (!onecard_status_.ok()) return onecard_status_; \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, ResultExpr());` declares x from the value or returns the error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(ONECARD_CONCAT(onecard_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
