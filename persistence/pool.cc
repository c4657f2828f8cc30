#include "persistence/pool.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>

#include "persistence/translate.h"
#include "workflow/errors.h"

namespace kansli::persistence {

namespace {

using Clock = std::chrono::steady_clock;

// How long the helper's own side connections (cancel, probe) may take.
constexpr std::chrono::seconds kSideLimit{3};

// The connection string with libpq's connect_timeout added, unless it names one.
std::string WithConnectTimeout(const std::string& dsn, int seconds) {
  if (seconds <= 0 || dsn.find("connect_timeout") != std::string::npos) return dsn;
  const std::string kv = "connect_timeout=" + std::to_string(seconds);
  if (dsn.rfind("postgresql://", 0) == 0 || dsn.rfind("postgres://", 0) == 0)
    return dsn + (dsn.find('?') == std::string::npos ? "?" : "&") + kv;
  return dsn.empty() ? kv : dsn + " " + kv;
}

// A PostgreSQL int[] literal.
std::string IntArray(const std::vector<int>& v) {
  std::string s = "{";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "}";
}

}  // namespace

Lease::Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> conn, std::uint64_t watch)
    : pool_(pool), conn_(std::move(conn)), watch_(watch) {}

Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_),
      conn_(std::move(other.conn_)),
      discard_(other.discard_),
      watch_(other.watch_) {
  other.pool_ = nullptr;
  other.watch_ = 0;
}

Lease::~Lease() {
  if (pool_ && conn_) pool_->Return(std::move(conn_), discard_, watch_);
}

ConnectionPool::ConnectionPool(PoolSettings settings) : settings_(std::move(settings)) {
  watchdog_ = std::thread([this] { WatchdogLoop(); });
  helper_ = std::thread([this] { HelperLoop(); });
}

ConnectionPool::~ConnectionPool() {
  {
    std::lock_guard<std::mutex> g(mu_);
    stopping_ = true;
  }
  helper_cv_.notify_all();
  // The helper first: the watchdog still cuts a side connection it may be blocked on.
  if (helper_.joinable()) helper_.join();
  {
    std::lock_guard<std::mutex> g(mu_);
    watchdog_stop_ = true;
  }
  watch_cv_.notify_all();
  if (watchdog_.joinable()) watchdog_.join();
}

std::unique_ptr<pqxx::connection> ConnectionPool::Connect(Clock::time_point cut_at) {
  int seconds = settings_.connect_timeout_s;
  if (seconds > 0 && cut_at != Clock::time_point::max()) {
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(cut_at - Clock::now());
    seconds = std::max(2, std::min(seconds, static_cast<int>(left.count())));
  }
  return std::make_unique<pqxx::connection>(WithConnectTimeout(settings_.dsn, seconds));
}

std::unique_ptr<pqxx::connection> ConnectionPool::Open(Clock::time_point cut_at,
                                                       std::uint64_t* watch) {
  std::unique_ptr<pqxx::connection> c;
  try {
    c = Connect(cut_at);
  } catch (const pqxx::broken_connection&) {
    std::lock_guard<std::mutex> g(mu_);
    TripLocked("a new connection failed");
    throw workflow::Unavailable("the database is not reachable");
  }
  if (watch) *watch = StartWatch(*c, cut_at, true);
  auto unwatch = [&] {
    if (watch && *watch) EndWatch(*watch);
    if (watch) *watch = 0;
  };
  try {
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
    unwatch();
    throw workflow::Unavailable("the database is not reachable");
  } catch (const pqxx::sql_error& e) {
    unwatch();
    ThrowTranslated(e);
  } catch (...) {
    unwatch();
    throw;
  }
}

Lease ConnectionPool::Acquire() { return Acquire(Clock::time_point::max()); }

Lease ConnectionPool::Acquire(Clock::time_point cut_at) {
  const auto start = Clock::now();
  if (settings_.lease_limit.count() > 0) cut_at = std::min(cut_at, start + settings_.lease_limit);
  const bool watched = cut_at != Clock::time_point::max();
  const auto wait_until = std::min(cut_at, start + settings_.acquire_timeout);
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (!answering_) {
      ++stats_.refusals;
      throw workflow::Unavailable("the database is not answering");
    }
    // A connection that broke while idle is dropped, not lent out.
    while (!idle_.empty() && !idle_.back()->is_open()) {
      to_close_.push_back(std::move(idle_.back()));
      idle_.pop_back();
      --open_;
      helper_cv_.notify_one();
    }
    if (!idle_.empty() || open_ < settings_.size) break;
    if (cv_.wait_until(lock, wait_until) == std::cv_status::timeout && answering_ &&
        idle_.empty() && open_ >= settings_.size)
      throw workflow::Unavailable("all database connections are busy");
  }
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    lock.unlock();
    const std::uint64_t w = watched ? StartWatch(*c, cut_at, true) : 0;
    return Lease(this, std::move(c), w);
  }
  ++open_;
  lock.unlock();
  try {
    std::uint64_t w = 0;
    auto c = Open(cut_at, watched ? &w : nullptr);
    return Lease(this, std::move(c), w);
  } catch (...) {
    std::lock_guard<std::mutex> g(mu_);
    --open_;
    cv_.notify_one();
    throw;
  }
}

void ConnectionPool::Return(std::unique_ptr<pqxx::connection> conn, bool discard,
                            std::uint64_t watch) {
  // A lease the watchdog cancelled or cut is never lent again: its socket may be
  // shut, and a late cancel must not hit the next borrower's statement.
  const bool hit = watch != 0 && EndWatch(watch);
  std::unique_ptr<pqxx::connection> doomed;
  {
    std::lock_guard<std::mutex> g(mu_);
    if (discard || hit || !answering_ || !conn->is_open()) {
      --open_;
      doomed = std::move(conn);
    } else {
      idle_.push_back(std::move(conn));
    }
    cv_.notify_one();
  }
  // `doomed` closes here, outside the lock (closing only sends a Terminate message).
}

std::uint64_t ConnectionPool::StartWatch(pqxx::connection& c, Clock::time_point cut_at,
                                         bool cancellable) {
  Watch w;
  // The watch's own descriptor for the socket: whatever libpq does with its
  // descriptor (closing it, a reused number), shutdown() reaches this socket only.
  const int fd = c.sock();
  w.fd = fd >= 0 ? ::fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
  w.pid = c.backendpid();
  w.cut_at = cut_at;
  w.cancel_at = cancellable ? cut_at - settings_.cancel_lead : cut_at;
  w.cancelled = !cancellable;
  std::lock_guard<std::mutex> g(mu_);
  const std::uint64_t id = next_watch_++;
  watches_.emplace(id, w);
  watch_cv_.notify_one();
  return id;
}

bool ConnectionPool::EndWatch(std::uint64_t id) {
  std::lock_guard<std::mutex> g(mu_);
  auto it = watches_.find(id);
  if (it == watches_.end()) return false;
  const bool hit = it->second.cut || it->second.cancel_sent;
  if (it->second.fd >= 0) ::close(it->second.fd);
  watches_.erase(it);
  return hit;
}

void ConnectionPool::TripLocked(const char* why) {
  if (!answering_) return;
  answering_ = false;
  spdlog::warn("event=database_not_answering reason=\"{}\" action=refuse_until_probe_succeeds",
               why);
  // Idle connections opened before the incident are not trusted afterwards.
  for (auto& c : idle_) to_close_.push_back(std::move(c));
  open_ -= static_cast<int>(idle_.size());
  idle_.clear();
  cv_.notify_all();
  helper_cv_.notify_one();
}

void ConnectionPool::WatchdogLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!watchdog_stop_) {
    const auto now = Clock::now();
    auto next = now + std::chrono::milliseconds(200);
    for (auto& [id, w] : watches_) {
      if (w.cut) continue;
      if (now >= w.cut_at) {
        // Only the socket is touched, never the connection object, and only
        // while the watch is registered (EndWatch takes the same mutex).
        if (w.fd >= 0) ::shutdown(w.fd, SHUT_RDWR);
        w.cut = true;
        ++stats_.cuts;
        if (w.pid > 0) suspects_.push_back(w.pid);
        spdlog::warn("event=database_call_cut backend_pid={} watch={}", w.pid, id);
        TripLocked("a database call did not return in time");
        continue;
      }
      if (!w.cancelled && now >= w.cancel_at) {
        w.cancelled = true;
        if (answering_ && w.pid > 0) {
          w.cancel_sent = true;
          cancels_.push_back(w.pid);
          ++stats_.cancels;
          helper_cv_.notify_one();
        }
      }
      next = std::min(next, w.cancelled ? w.cut_at : w.cancel_at);
    }
    watch_cv_.wait_until(lock, next);
  }
}

void ConnectionPool::HelperLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  auto next_probe = Clock::now();
  while (!stopping_) {
    if (!cancels_.empty() || !to_close_.empty()) {
      auto cancels = std::move(cancels_);
      cancels_.clear();
      auto closing = std::move(to_close_);
      to_close_.clear();
      const bool answering = answering_;
      lock.unlock();
      closing.clear();
      if (answering && !cancels.empty()) CancelBackends(cancels);
      lock.lock();
      continue;
    }
    // Not answering: probe until a fresh connection works and the backends whose
    // client side was cut are gone. Answering but with such backends left (cut
    // while a probe ran): end them too, so no transaction of theirs stays open.
    if (!answering_ || !suspects_.empty()) {
      if (Clock::now() >= next_probe) {
        const auto suspects = suspects_;
        lock.unlock();
        const bool ok = Probe(suspects);
        lock.lock();
        next_probe = Clock::now() + settings_.probe_interval;
        if (ok) {
          suspects_.erase(std::remove_if(suspects_.begin(), suspects_.end(),
                                         [&](int p) {
                                           return std::find(suspects.begin(), suspects.end(), p) !=
                                                  suspects.end();
                                         }),
                          suspects_.end());
          if (!answering_) {
            answering_ = true;
            ++stats_.recoveries;
            spdlog::info("event=database_answering_again");
            cv_.notify_all();
          }
        }
        continue;
      }
      helper_cv_.wait_until(lock, next_probe);
    } else {
      helper_cv_.wait(lock);
    }
  }
}

void ConnectionPool::CancelBackends(const std::vector<int>& pids) {
  try {
    const auto until = Clock::now() + kSideLimit;
    auto c = Connect(until);
    const auto w = StartWatch(*c, until, false);
    try {
      pqxx::nontransaction n(*c);
      n.exec_params(
          "SELECT pg_cancel_backend(pid) FROM pg_stat_activity "
          "WHERE pid = ANY($1::int[]) AND usename = current_user",
          IntArray(pids));
      spdlog::warn("event=database_statement_cancelled backend_pids={}", IntArray(pids));
    } catch (const std::exception& e) {
      spdlog::warn("event=database_cancel_failed what=\"{}\"", e.what());
    }
    EndWatch(w);
  } catch (const std::exception& e) {
    spdlog::warn("event=database_cancel_failed what=\"{}\"", e.what());
  }
}

bool ConnectionPool::Probe(const std::vector<int>& suspects) {
  try {
    const auto until = Clock::now() + kSideLimit;
    auto c = Connect(until);
    const auto w = StartWatch(*c, until, false);
    bool ok = false;
    try {
      pqxx::nontransaction n(*c);
      if (suspects.empty()) {
        n.exec("SELECT 1");
        ok = true;
      } else {
        // The backends whose client side was cut may still hold a transaction
        // (or be committing one): end them and wait until they are gone, so that
        // what a later look-up finds is final.
        const std::string pids = IntArray(suspects);
        n.exec_params(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE pid = ANY($1::int[]) AND usename = current_user AND pid <> pg_backend_pid()",
            pids);
        for (int i = 0; i < 20 && !ok; ++i) {
          const auto r = n.exec_params(
              "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY($1::int[]) "
              "AND usename = current_user AND pid <> pg_backend_pid()",
              pids);
          ok = r[0][0].as<long long>() == 0;
          if (!ok) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
      }
    } catch (const std::exception&) {
      ok = false;
    }
    return !EndWatch(w) && ok;
  } catch (const std::exception&) {
    return false;
  }
}

ConnectionPool::Stats ConnectionPool::stats() {
  std::lock_guard<std::mutex> g(mu_);
  Stats s = stats_;
  s.answering = answering_;
  return s;
}

}  // namespace kansli::persistence
