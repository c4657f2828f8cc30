#include "persistence/pg_accounts.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

#include "persistence/pg_common.h"
#include "persistence/pg_store.h"
#include "persistence/translate.h"
#include "workflow/errors.h"

namespace kansli::persistence {

namespace {

using Clock = std::chrono::system_clock;

std::string Hash(const std::string& password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw workflow::StorageError("the password could not be hashed (out of memory)");
  return out;
}

bool Verify(const std::string& hash, const std::string& password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  return Hex(raw.data(), raw.size());
}

constexpr const char* kAccountColumns = "id, username, display_name, role, active";

workflow::Account AccountFromRow(const pqxx::row& r, bool locked) {
  workflow::Account a;
  a.id = r[0].as<long long>();
  a.username = r[1].as<std::string>();
  a.display_name = r[2].as<std::string>();
  a.role = r[3].as<std::string>();
  a.active = r[4].as<bool>();
  a.locked = locked;
  return a;
}

}  // namespace

PgAccountStore::PgAccountStore(ConnectionPool& pool) : pool_(pool) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  dummy_hash_ = Hash(RandomHex(16));
}

workflow::Account PgAccountStore::Create(const workflow::Account& a, const std::string& password) {
  workflow::ValidateAccount(a);
  workflow::ValidatePassword(password);
  const std::string hash = Hash(password);
  return Write(pool_, [&](pqxx::work& t) {
    try {
      auto r = t.exec_params(std::string("INSERT INTO accounts (username, display_name, role, "
                                         "password_hash) VALUES ($1, $2, $3, $4) RETURNING ") +
                                 kAccountColumns,
                             a.username, a.display_name, a.role, hash);
      return AccountFromRow(r[0], false);
    } catch (const pqxx::unique_violation&) {
      throw workflow::Conflict("an account named '" + a.username + "' already exists");
    }
  });
}

std::vector<workflow::Account> PgAccountStore::List(Clock::time_point now) {
  return Write(pool_, [&](pqxx::work& t) {
    std::vector<workflow::Account> out;
    for (const auto& r :
         t.exec_params(std::string("SELECT ") + kAccountColumns + ", coalesce(locked_until > " +
                           At(1) + ", false) FROM accounts ORDER BY username",
                       Micros(now)))
      out.push_back(AccountFromRow(r, r[5].as<bool>()));
    return out;
  });
}

bool PgAccountStore::SetPassword(const std::string& username, const std::string& password) {
  workflow::ValidatePassword(password);
  const std::string hash = Hash(password);
  return Write(pool_, [&](pqxx::work& t) {
    auto r = t.exec_params(
        "UPDATE accounts SET password_hash = $2, failed_logins = 0, locked_until = NULL, "
        "updated_at = now() WHERE username = $1 RETURNING id",
        username, hash);
    if (r.empty()) return false;
    t.exec_params("DELETE FROM sessions WHERE account_id = $1", r[0][0].as<long long>());
    return true;
  });
}

bool PgAccountStore::SetActive(const std::string& username, bool active) {
  return Write(pool_, [&](pqxx::work& t) {
    auto r = t.exec_params(
        "UPDATE accounts SET active = $2, updated_at = now() WHERE username = $1 RETURNING id",
        username, active);
    if (r.empty()) return false;
    if (!active)
      t.exec_params("DELETE FROM sessions WHERE account_id = $1", r[0][0].as<long long>());
    return true;
  });
}

workflow::LoginResult PgAccountStore::Login(const std::string& username,
                                            const std::string& password, Clock::time_point now) {
  // Read the hash, verify outside any transaction (Argon2id takes a while),
  // then record the outcome in a transaction that locks the row.
  struct Row {
    bool found = false;
    std::string hash;
  };
  const Row row = Write(pool_, [&](pqxx::work& t) {
    auto r = t.exec_params("SELECT password_hash FROM accounts WHERE username = $1 AND active",
                           username);
    Row x;
    if (!r.empty()) {
      x.found = true;
      x.hash = r[0][0].as<std::string>();
    }
    return x;
  });
  const bool good = Verify(row.found ? row.hash : dummy_hash_, password) && row.found;
  workflow::LoginResult result;
  if (!row.found) return result;  // kWrong
  return Write(pool_, [&](pqxx::work& t) {
    auto r = t.exec_params(std::string("SELECT ") + kAccountColumns +
                               ", failed_logins, (extract(epoch FROM locked_until) * "
                               "1000000)::bigint FROM accounts WHERE username = $1 AND active "
                               "FOR UPDATE",
                           username);
    workflow::LoginResult out;
    if (r.empty()) return out;
    const auto locked_until = r[0][6].is_null() ? std::optional<Clock::time_point>{}
                                                : FromMicros(r[0][6].as<long long>());
    if (locked_until && *locked_until > now) {
      out.outcome = workflow::LoginResult::Outcome::kLocked;
      out.retry_after = std::chrono::duration_cast<std::chrono::seconds>(*locked_until - now) +
                        std::chrono::seconds(1);
      return out;
    }
    const long long id = r[0][0].as<long long>();
    if (!good) {
      const int failures = r[0][5].as<int>() + 1;
      if (failures >= workflow::kMaxFailedLogins) {
        const auto until = now + workflow::kLockout;
        t.exec_params(
            "UPDATE accounts SET failed_logins = 0, locked_until = " + At(2) + " WHERE id = $1", id,
            Micros(until));
        out.outcome = workflow::LoginResult::Outcome::kLocked;
        out.retry_after = std::chrono::duration_cast<std::chrono::seconds>(workflow::kLockout);
      } else {
        t.exec_params("UPDATE accounts SET failed_logins = $2 WHERE id = $1", id, failures);
      }
      return out;
    }
    t.exec_params("UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = $1", id);
    out.outcome = workflow::LoginResult::Outcome::kOk;
    out.token = RandomHex(32);
    out.session.account = AccountFromRow(r[0], false);
    out.session.csrf_token = RandomHex(24);
    out.session.expires_at = now + workflow::kSessionLength;
    t.exec_params("DELETE FROM sessions WHERE expires_at < " + At(1), Micros(now));
    t.exec_params(
        "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, "
        "expires_at) VALUES ($1, $2, $3, " +
            At(4) + ", " + At(5) + ")",
        Sha256Hex(out.token), id, out.session.csrf_token, Micros(now),
        Micros(out.session.expires_at));
    return out;
  });
}

std::optional<workflow::Session> PgAccountStore::FindSession(const std::string& token,
                                                             Clock::time_point now) {
  if (token.size() != 64) return std::nullopt;
  return Write(pool_, [&](pqxx::work& t) -> std::optional<workflow::Session> {
    auto r = t.exec_params(
        "SELECT a.id, a.username, a.display_name, a.role, a.active, s.csrf_token, "
        "(extract(epoch FROM s.expires_at) * 1000000)::bigint FROM sessions s JOIN accounts a "
        "ON a.id = s.account_id WHERE s.token_hash = $1 AND a.active AND s.expires_at > " +
            At(2),
        Sha256Hex(token), Micros(now));
    if (r.empty()) return std::nullopt;
    workflow::Session s;
    s.account = AccountFromRow(r[0], false);
    s.csrf_token = r[0][5].as<std::string>();
    s.expires_at = FromMicros(r[0][6].as<long long>());
    return s;
  });
}

void PgAccountStore::Logout(const std::string& token) {
  Write(pool_, [&](pqxx::work& t) {
    t.exec_params("DELETE FROM sessions WHERE token_hash = $1", Sha256Hex(token));
    return 0;
  });
}

}  // namespace kansli::persistence
