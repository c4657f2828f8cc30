// A fixed-size pool of PostgreSQL connections shared by request threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace kansli::persistence {

struct PoolSettings {
  std::string dsn;
  int size = 8;
  // How long Acquire waits for a free connection before giving up.
  std::chrono::milliseconds acquire_timeout{10000};
  // Server-side limits set on every connection (0 = off).
  int statement_timeout_ms = 10000;
  int lock_timeout_ms = 5000;
  int idle_in_transaction_timeout_ms = 30000;
};

class ConnectionPool;

// A borrowed connection; returned to the pool on destruction. Call Discard()
// after the connection broke so the pool opens a fresh one next time.
class Lease {
 public:
  Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> conn);
  Lease(Lease&&) noexcept;
  Lease& operator=(Lease&&) = delete;
  ~Lease();
  pqxx::connection& operator*() { return *conn_; }
  pqxx::connection* operator->() { return conn_.get(); }
  void Discard() { discard_ = true; }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<pqxx::connection> conn_;
  bool discard_ = false;
};

// Thread-safe. Connections are opened lazily and re-opened after a failure.
class ConnectionPool {
 public:
  explicit ConnectionPool(PoolSettings settings);
  ~ConnectionPool();

  // Borrows a connection, opening one if needed. Throws workflow::Unavailable
  // when none is free within acquire_timeout or the database cannot be reached.
  Lease Acquire();

  const PoolSettings& settings() const { return settings_; }

 private:
  friend class Lease;
  void Return(std::unique_ptr<pqxx::connection> conn, bool discard);
  std::unique_ptr<pqxx::connection> Open();

  PoolSettings settings_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int open_ = 0;  // connections lent out or idle
};

// Prepares every named statement the repositories use on a new connection.
void PrepareStatements(pqxx::connection& c);

}  // namespace kansli::persistence
