// PostgreSQL implementations of workflow's ports.
#pragma once

#include <chrono>
#include <map>
#include <mutex>

#include "persistence/pool.h"
#include "workflow/ports.h"

namespace kansli::persistence {

// The organisation changes rarely and is read by every command: a process
// keeps it for a few seconds. A change made through this process clears it at
// once; one made by another process is seen within the TTL. Thread-safe.
class OrganCache {
 public:
  explicit OrganCache(std::chrono::seconds ttl = std::chrono::seconds(5)) : ttl_(ttl) {}
  std::optional<std::vector<workflow::Organ>> Get();
  void Put(std::vector<workflow::Organ> organs);
  void Clear();

 private:
  std::mutex mu_;
  std::chrono::seconds ttl_;
  std::optional<std::vector<workflow::Organ>> organs_;
  std::chrono::steady_clock::time_point expires_{};
};

// Thread-safe: each Run borrows its own connection.
class PgTransactions final : public workflow::Transactions {
 public:
  explicit PgTransactions(ConnectionPool& pool) : pool_(pool) {}
  void Run(const std::string& transition_id,
           const std::function<void(workflow::UnitOfWork&)>& work) override;
  // The organisation as this process caches it; a reader may share it.
  OrganCache& organ_cache() { return organs_; }

 private:
  bool TransitionCommitted(const std::string& transition_id,
                           std::chrono::steady_clock::time_point started);
  ConnectionPool& pool_;
  OrganCache organs_;
};

// Thread-safe: each call borrows its own connection and reads one snapshot.
// Organs() goes through `organs` when given (share PgTransactions's cache, so
// a change made through this process is seen at once).
class PgCaseReader final : public workflow::CaseReader {
 public:
  explicit PgCaseReader(ConnectionPool& pool, OrganCache* organs = nullptr)
      : pool_(pool), organs_(organs) {}
  std::optional<workflow::Case> GetCase(std::int64_t id) override;
  workflow::CasePage ListCases(const workflow::CaseFilter& filter) override;
  workflow::DeadlinePage ListDeadlines(const workflow::DeadlineFilter& filter) override;
  std::vector<workflow::HistoryEntry> History(std::int64_t case_id) override;
  std::vector<workflow::Organ> Organs() override;
  std::vector<workflow::Meeting> ListMeetings(const workflow::MeetingFilter& filter) override;
  std::optional<workflow::Meeting> GetMeeting(std::int64_t id) override;
  std::optional<workflow::Meeting> NextMeeting(const std::string& organ,
                                               const workflow::Date& day) override;
  std::vector<workflow::AgendaSection> ReadAgenda(const workflow::AgendaRequest& req) override;
  workflow::NotificationPage ListNotifications(const workflow::NotificationFilter& f) override;
  workflow::CaseStats Stats(const workflow::Date& today) override;
  std::vector<workflow::MotionRecord> MotionsOpenOn(
      const workflow::Date& as_of, const std::vector<std::string>& final_states) override;
  workflow::CalendarEntries ReadCalendar(const workflow::CalendarFilter& f) override;

 private:
  ConnectionPool& pool_;
  OrganCache* organs_;
};

// Tokens are 256-bit random values; only their SHA-256 is stored. Verified
// tokens are cached for `cache_ttl`, so a revocation by another process takes
// effect within that time. Thread-safe.
class PgTokenStore final : public workflow::TokenStore {
 public:
  explicit PgTokenStore(ConnectionPool& pool,
                        std::chrono::seconds cache_ttl = std::chrono::seconds(10))
      : pool_(pool), ttl_(cache_ttl) {}
  std::string Create(const std::string& name, const std::string& role) override;
  std::optional<workflow::ApiToken> Verify(const std::string& token) override;
  std::vector<workflow::ApiToken> List() override;
  bool Revoke(const std::string& name) override;

 private:
  struct Cached {
    std::optional<workflow::ApiToken> token;
    std::chrono::steady_clock::time_point expires;
  };
  ConnectionPool& pool_;
  std::chrono::seconds ttl_;
  std::mutex mu_;
  std::map<std::string, Cached> cache_;  // by hash
};

// The outbox of deliveries (workflow::Outbox). Thread-safe.
class PgOutbox final : public workflow::Outbox {
 public:
  explicit PgOutbox(ConnectionPool& pool) : pool_(pool) {}
  std::vector<workflow::Delivery> Claim(const std::string& worker, workflow::Instant now,
                                        std::chrono::seconds lease, int limit) override;
  bool MarkSent(std::int64_t id, const std::string& worker, workflow::Instant now) override;
  bool MarkFailed(std::int64_t id, const std::string& worker, const std::string& error,
                  workflow::Instant next_attempt, bool dead) override;
  bool Retry(std::int64_t id, workflow::Instant now) override;

 private:
  ConnectionPool& pool_;
};

class PgSystemStatus final : public workflow::SystemStatus {
 public:
  explicit PgSystemStatus(ConnectionPool& pool) : pool_(pool) {}
  std::string NotReadyReason() override;

 private:
  ConnectionPool& pool_;
};

// SHA-256 of `text`, lower-case hex.
std::string Sha256Hex(const std::string& text);

}  // namespace kansli::persistence
