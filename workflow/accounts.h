// Personal accounts for the web app: who may sign in, with which role, and
// the rules for passwords, lockout and sessions. The store (persistence/)
// hashes passwords with Argon2id and keeps sessions server-side.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kansli::workflow {

inline constexpr int kMinPasswordLength = 10;
inline constexpr int kMaxFailedLogins = 5;  // then the account is locked for kLockout
inline constexpr std::chrono::minutes kLockout{15};
inline constexpr std::chrono::hours kSessionLength{8};

struct Account {
  std::int64_t id = 0;
  std::string username;  // [a-z0-9._-], 2-64
  std::string display_name;
  std::string role;  // one of kRoles
  bool active = true;
  bool locked = false;  // locked now (too many failed logins)
};

// A signed-in person: the account and the token that must accompany writes.
struct Session {
  Account account;
  std::string csrf_token;
  std::chrono::system_clock::time_point expires_at{};
};

struct LoginResult {
  enum class Outcome { kOk, kWrong, kLocked } outcome = Outcome::kWrong;
  std::string token;                    // the cookie value (kOk), shown once, stored hashed
  Session session;                      // kOk
  std::chrono::seconds retry_after{0};  // kLocked
};

// Throws ValidationError naming the field.
void ValidateAccount(const Account& a);
void ValidatePassword(const std::string& password);

// Thread-safe; each call is its own transaction.
class AccountStore {
 public:
  virtual ~AccountStore() = default;
  // Throws ValidationError, Conflict (the username is taken).
  virtual Account Create(const Account& a, const std::string& password) = 0;
  virtual std::vector<Account> List(std::chrono::system_clock::time_point now) = 0;
  // False when no such account. Throws ValidationError for a weak password.
  // A new password also ends the account's sessions and lifts a lockout.
  virtual bool SetPassword(const std::string& username, const std::string& password) = 0;
  // Disabling ends the account's sessions.
  virtual bool SetActive(const std::string& username, bool active) = 0;
  // Checks the password of an active account. A wrong one counts; the
  // kMaxFailedLogins-th locks the account for kLockout (a locked account
  // answers kLocked even to the right password). Success resets the count
  // and opens a session of kSessionLength. Unknown users and wrong passwords
  // look the same (kWrong) and take the same time.
  virtual LoginResult Login(const std::string& username, const std::string& password,
                            std::chrono::system_clock::time_point now) = 0;
  // The session of a cookie value, if it exists, has not expired and its
  // account is still active.
  virtual std::optional<Session> FindSession(const std::string& token,
                                             std::chrono::system_clock::time_point now) = 0;
  virtual void Logout(const std::string& token) = 0;
};

}  // namespace kansli::workflow
