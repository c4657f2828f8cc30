// The workflow layer's error hierarchy. Adapters translate into these exactly
// once (persistence: driver errors; api: these into HTTP statuses).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kansli::workflow {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  // For a command over several items (a fördelning): which one failed.
  void set_item(int index) { item_ = index; }
  std::optional<int> item() const { return item_; }

 private:
  std::optional<int> item_;
};

// Valid syntax, invalid content: a missing or malformed field, an unknown organ.
// `field` names the offending field ("to", "document.date", "submitters[1].name").
class ValidationError : public Error {
 public:
  ValidationError(std::string field, const std::string& message)
      : Error(message), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

class NotFound : public Error {
 public:
  using Error::Error;
};

// The event is not allowed in the case's current state.
class InvalidTransition : public Error {
 public:
  InvalidTransition(std::string state, std::string event, std::vector<std::string> allowed,
                    const std::string& message)
      : Error(message),
        state_(std::move(state)),
        event_(std::move(event)),
        allowed_(std::move(allowed)) {}
  const std::string& state() const { return state_; }
  const std::string& event() const { return event_; }
  const std::vector<std::string>& allowed() const { return allowed_; }

 private:
  std::string state_;
  std::string event_;
  std::vector<std::string> allowed_;
};

// The caller's expected version (If-Match) is not the case's current version.
class StaleVersion : public Error {
 public:
  StaleVersion(long long current, const std::string& message) : Error(message), current_(current) {}
  long long current() const { return current_; }

 private:
  long long current_;
};

// A uniqueness conflict, e.g. a diarienummer that is already taken.
class Conflict : public Error {
 public:
  using Error::Error;
};

// The caller's role may not perform this command.
class Forbidden : public Error {
 public:
  using Error::Error;
};

// The same Idempotency-Key was used with a different request.
class IdempotencyMismatch : public Error {
 public:
  using Error::Error;
};

// The database is unreachable, or a commit's outcome could not be established.
// Nothing can be assumed to have changed; the caller may retry.
class Unavailable : public Error {
 public:
  using Error::Error;
};

// An unexpected storage failure (a bug or a broken database), reported as an
// internal error without driver text.
class StorageError : public Error {
 public:
  using Error::Error;
};

}  // namespace kansli::workflow
