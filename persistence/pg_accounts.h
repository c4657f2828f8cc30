// workflow::AccountStore on PostgreSQL: Argon2id password hashes
// (libsodium crypto_pwhash_str, interactive limits) and server-side sessions.
#pragma once

#include "persistence/pool.h"
#include "workflow/accounts.h"

namespace kansli::persistence {

class PgAccountStore final : public workflow::AccountStore {
 public:
  // Throws std::runtime_error when libsodium cannot be initialised.
  explicit PgAccountStore(ConnectionPool& pool);
  workflow::Account Create(const workflow::Account& a, const std::string& password) override;
  std::vector<workflow::Account> List(std::chrono::system_clock::time_point now) override;
  bool SetPassword(const std::string& username, const std::string& password) override;
  bool SetActive(const std::string& username, bool active) override;
  workflow::LoginResult Login(const std::string& username, const std::string& password,
                              std::chrono::system_clock::time_point now) override;
  std::optional<workflow::Session> FindSession(const std::string& token,
                                               std::chrono::system_clock::time_point now) override;
  void Logout(const std::string& token) override;

 private:
  ConnectionPool& pool_;
  std::string dummy_hash_;  // verified against for unknown users, so timing tells nothing
};

}  // namespace kansli::persistence
