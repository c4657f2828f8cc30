#include "persistence/pool.h"

#include "persistence/translate.h"
#include "workflow/errors.h"

namespace kansli::persistence {

Lease::Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> conn)
    : pool_(pool), conn_(std::move(conn)) {}

Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), conn_(std::move(other.conn_)), discard_(other.discard_) {
  other.pool_ = nullptr;
}

Lease::~Lease() {
  if (pool_ && conn_) pool_->Return(std::move(conn_), discard_);
}

ConnectionPool::ConnectionPool(PoolSettings settings) : settings_(std::move(settings)) {}

ConnectionPool::~ConnectionPool() = default;

std::unique_ptr<pqxx::connection> ConnectionPool::Open() {
  try {
    auto c = std::make_unique<pqxx::connection>(settings_.dsn);
    pqxx::nontransaction n(*c);
    n.exec(
        // Short indexed queries: JIT compilation and parallel-worker start-up
        // would cost more than the queries themselves (bench/deadlines_scale).
        "SET DateStyle = ISO; SET TimeZone = 'Europe/Stockholm'; SET jit = off; "
        "SET max_parallel_workers_per_gather = 0; "
        "SET statement_timeout = " +
        std::to_string(settings_.statement_timeout_ms) + "; SET lock_timeout = " +
        std::to_string(settings_.lock_timeout_ms) + "; SET idle_in_transaction_session_timeout = " +
        std::to_string(settings_.idle_in_transaction_timeout_ms));
    n.commit();
    PrepareStatements(*c);
    return c;
  } catch (const pqxx::broken_connection&) {
    throw workflow::Unavailable("the database is not reachable");
  } catch (const pqxx::sql_error& e) {
    ThrowTranslated(e);
  }
}

Lease ConnectionPool::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  const auto deadline = std::chrono::steady_clock::now() + settings_.acquire_timeout;
  while (idle_.empty() && open_ >= settings_.size) {
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= settings_.size)
      throw workflow::Unavailable("all database connections are busy");
  }
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(c));
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(this, Open());
  } catch (...) {
    std::lock_guard<std::mutex> g(mu_);
    --open_;
    cv_.notify_one();
    throw;
  }
}

void ConnectionPool::Return(std::unique_ptr<pqxx::connection> conn, bool discard) {
  std::lock_guard<std::mutex> g(mu_);
  if (discard || !conn->is_open()) {
    --open_;
  } else {
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

}  // namespace kansli::persistence
