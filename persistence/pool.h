// A fixed-size pool of PostgreSQL connections shared by request threads, with
// client-side time limits that hold even when PostgreSQL does not answer at all.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/pqxx>

namespace kansli::persistence {

struct PoolSettings {
  std::string dsn;
  int size = 8;
  // How long Acquire waits for a free connection before giving up.
  std::chrono::milliseconds acquire_timeout{5000};
  // Server-side limits set on every connection (0 = off).
  int statement_timeout_ms = 10000;
  int lock_timeout_ms = 5000;
  int idle_in_transaction_timeout_ms = 30000;
  // Client-side limits, enforced by the pool itself. libpq's connect_timeout
  // for new connections, in whole seconds (libpq treats less than 2 as 2); a
  // connection string that names connect_timeout itself keeps its own.
  int connect_timeout_s = 5;
  // The watchdog's limit on one lease, counted from the call to Acquire
  // (0 = no watchdog): a lease still out after it has its socket shut down,
  // so a call blocked on a silent server fails with pqxx::broken_connection.
  std::chrono::milliseconds lease_limit{12000};
  // How long before the cut the watchdog asks PostgreSQL to cancel the
  // lease's statement (pg_cancel_backend from a side connection).
  std::chrono::milliseconds cancel_lead{1000};
  // After a cut or a failed connect the pool refuses at once (Unavailable)
  // until a probe on a fresh connection succeeds; probes run this often.
  std::chrono::milliseconds probe_interval{500};
};

class ConnectionPool;

// A borrowed connection; returned to the pool on destruction. Call Discard()
// after the connection broke so the pool opens a fresh one next time.
class Lease {
 public:
  Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> conn, std::uint64_t watch = 0);
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
  std::uint64_t watch_ = 0;
};

// Thread-safe. Connections are opened lazily and re-opened after a failure.
//
// Two threads of its own: the watchdog (never blocks, never touches a
// connection: it holds a dup() of each leased socket and only ever calls
// shutdown() on that, under the pool's mutex) and the helper (blocking work:
// cancelling statements, closing connections, probing a silent database).
class ConnectionPool {
 public:
  explicit ConnectionPool(PoolSettings settings);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Borrows a connection, opening one if needed. Throws workflow::Unavailable
  // when none is free within acquire_timeout, when the database cannot be
  // reached, or at once while the database is known not to answer. The lease
  // is cut lease_limit after this call.
  Lease Acquire();
  // The same, but the lease is cut at `cut_at` (if sooner than lease_limit)
  // and the wait for a free connection ends there too.
  Lease Acquire(std::chrono::steady_clock::time_point cut_at);

  const PoolSettings& settings() const { return settings_; }

  struct Stats {
    long long cuts = 0;        // leases whose socket the watchdog shut down
    long long cancels = 0;     // statements it asked PostgreSQL to cancel
    long long refusals = 0;    // Acquire calls refused at once (database not answering)
    long long recoveries = 0;  // probes that ended such a period
    bool answering = true;     // false while Acquire refuses at once
  };
  Stats stats();

 private:
  friend class Lease;
  struct Watch {
    int fd = -1;  // dup() of the connection's socket, owned by the watch
    int pid = 0;  // the backend's process id
    std::chrono::steady_clock::time_point cancel_at, cut_at;
    bool cancelled = false;    // past cancel_at (or never to be cancelled)
    bool cancel_sent = false;  // a cancel was asked for
    bool cut = false;
  };

  void Return(std::unique_ptr<pqxx::connection> conn, bool discard, std::uint64_t watch);
  std::unique_ptr<pqxx::connection> Connect(std::chrono::steady_clock::time_point cut_at);
  std::unique_ptr<pqxx::connection> Open(std::chrono::steady_clock::time_point cut_at,
                                         std::uint64_t* watch);
  std::uint64_t StartWatch(pqxx::connection& c, std::chrono::steady_clock::time_point cut_at,
                           bool cancellable);
  bool EndWatch(std::uint64_t id);  // true when the watchdog cancelled or cut it
  void TripLocked(const char* why);
  void WatchdogLoop();
  void HelperLoop();
  void CancelBackends(const std::vector<int>& pids);
  bool Probe(const std::vector<int>& suspects);

  PoolSettings settings_;
  std::mutex mu_;
  std::condition_variable cv_;         // a connection was returned, or the state changed
  std::condition_variable watch_cv_;   // wakes the watchdog
  std::condition_variable helper_cv_;  // wakes the helper
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int open_ = 0;  // connections lent out or idle
  std::map<std::uint64_t, Watch> watches_;
  std::uint64_t next_watch_ = 1;
  bool answering_ = true;
  std::vector<int> suspects_;                                // backends whose client side was cut
  std::vector<int> cancels_;                                 // backends to cancel (helper)
  std::vector<std::unique_ptr<pqxx::connection>> to_close_;  // closed by the helper
  Stats stats_;
  bool stopping_ = false;       // stops the helper
  bool watchdog_stop_ = false;  // stops the watchdog (after the helper)
  std::thread watchdog_;
  std::thread helper_;
};

// Prepares every named statement the repositories use on a new connection.
void PrepareStatements(pqxx::connection& c);

}  // namespace kansli::persistence
