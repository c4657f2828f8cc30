// The ports workflow owns and the adapters (persistence/) implement.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "workflow/model.h"
#include "workflow/reference.h"

namespace kansli::workflow {

// What a repeated idempotent command answers: the first response, verbatim.
// A meeting of an organ (sammanträdesplan). A cancelled meeting keeps its row.
struct Meeting {
  std::int64_t id = 0;
  std::string organ;
  std::optional<std::string> organ_name;  // filled by reads
  Date date;
  std::optional<std::string> time;  // "HH:MM"
  std::optional<std::string> place;
  bool cancelled = false;
};

struct MeetingFilter {
  std::optional<std::string> organ;
  std::optional<Date> from;  // inclusive
  std::optional<Date> to;    // inclusive
  bool include_cancelled = false;
};

struct StoredResponse {
  int status = 0;
  std::string body;
};

// Everything one command may read and write, inside ONE database transaction.
// Methods throw Unavailable when the database cannot be reached and Conflict
// on a uniqueness violation; nothing is visible to others until commit.
class UnitOfWork {
 public:
  virtual ~UnitOfWork() = default;

  virtual std::vector<Organ> Organs() = 0;
  // Inserts or replaces an organ (by code).
  virtual void UpsertOrgan(const Organ& organ) = 0;
  // Whether a case with this reference exists.
  virtual std::optional<std::int64_t> FindCaseByReference(const std::string& reference) = 0;
  // Reads and locks the case row until commit (SELECT ... FOR UPDATE).
  virtual std::optional<Case> LockCase(std::int64_t id) = 0;
  // The case's history, oldest first.
  virtual std::vector<HistoryEntry> History(std::int64_t case_id) = 0;

  // The next number of the (prefix, year) series: consecutive, never reused,
  // no gaps (a rolled-back transaction returns its number).
  virtual Reference AllocateReference(const std::string& prefix, int year) = 0;
  // Records an imported reference so the series continues after it.
  // Throws Conflict when the reference is already a case's.
  virtual void ReserveReference(const Reference& ref) = 0;

  // Inserts the case; sets id. Throws Conflict if the reference is taken.
  virtual void InsertCase(Case& c) = 0;
  virtual void UpdateCase(const Case& c) = 0;
  // Appends to the append-only history; sets id and recorded_at.
  virtual void AppendHistory(HistoryEntry& e) = 0;
  virtual void ReplaceDeadlines(std::int64_t case_id, const std::vector<Deadline>& deadlines) = 0;
  // The deadlines last stored for the case.
  virtual std::vector<Deadline> Deadlines(std::int64_t case_id) = 0;

  // Inserts the meeting; sets id. Throws Conflict when the organ already has
  // a meeting (not cancelled) that day.
  virtual void InsertMeeting(Meeting& m) = 0;
  // Reads and locks the meeting row until commit.
  virtual std::optional<Meeting> LockMeeting(std::int64_t id) = 0;
  // Writes date, time, place and cancelled. Throws Conflict like InsertMeeting.
  virtual void UpdateMeeting(const Meeting& m) = 0;

  // Claims an idempotency key for this transaction (`request`: the canonical
  // request text; only its hash need be kept). Returns the stored
  // response if the key was used before with the same request; throws
  // IdempotencyMismatch if it was used with a different one. A concurrent
  // claim of the same key waits for the first transaction to end.
  virtual std::optional<StoredResponse> ClaimIdempotencyKey(const std::string& scope,
                                                            const std::string& key,
                                                            const std::string& request) = 0;
  virtual void SaveIdempotentResponse(const std::string& scope, const std::string& key,
                                      const StoredResponse& response) = 0;
};

class Transactions {
 public:
  virtual ~Transactions() = default;
  // Runs `work` in one transaction and commits it. Retries the whole of `work`
  // on serialization failures and deadlocks, so `work` must have no effects
  // outside the UnitOfWork. When the commit's outcome is unknown (the
  // connection broke during COMMIT) it looks up `transition_id` in the history:
  // found means committed; otherwise it throws Unavailable.
  // Throws whatever `work` throws (after rolling back), or Unavailable.
  virtual void Run(const std::string& transition_id,
                   const std::function<void(UnitOfWork&)>& work) = 0;
};

struct CaseFilter {
  std::optional<std::string> type;
  std::optional<std::string> state;
  std::optional<std::string> organ;  // responsible or consulted
  std::optional<bool> overdue;
  std::optional<std::string> q;
  // False for the public (readers): `q` then never matches a confidential
  // case, whose title and texts they may not see.
  bool search_confidential = true;
  std::optional<int> year;
  std::optional<std::string> reference;  // normalised "RJL 2021/1342"
  int limit = 50;
  int offset = 0;
  Date today;  // for `overdue`
};

struct CasePage {
  std::vector<Case> items;
  long long total = 0;
};

// GET /deadlines: the open (unmet, not cancelled) deadlines across cases.
struct DeadlineFilter {
  std::optional<std::string> organ;  // the deadline's organ or the case's responsible organ
  std::optional<std::string> kind;
  std::optional<bool> overdue;
  std::optional<Date> due_before;   // due strictly before this date
  std::optional<std::string> type;  // case type
  int limit = 50;
  int offset = 0;
  Date today;
};

// A deadline with the case it belongs to (deadlines left empty).
struct CaseDeadline {
  Deadline deadline;
  Case case_summary;
};

struct DeadlinePage {
  std::vector<CaseDeadline> items;
  long long total = 0;
};

// Reads outside any command (each call its own snapshot).
class CaseReader {
 public:
  virtual ~CaseReader() = default;
  virtual std::optional<Case> GetCase(std::int64_t id) = 0;  // with deadlines
  virtual CasePage ListCases(const CaseFilter& filter) = 0;  // with deadlines
  // Open deadlines, most urgent (earliest due) first.
  virtual DeadlinePage ListDeadlines(const DeadlineFilter& filter) = 0;
  virtual std::vector<HistoryEntry> History(std::int64_t case_id) = 0;
  virtual std::vector<Organ> Organs() = 0;
  // Meetings ordered by date, organ (with organ_name).
  virtual std::vector<Meeting> ListMeetings(const MeetingFilter& filter) = 0;
};

// An API token as stored: never the token itself, only its hash.
struct ApiToken {
  std::int64_t id = 0;
  std::string name;
  std::string role;
  bool revoked = false;
};

class TokenStore {
 public:
  virtual ~TokenStore() = default;
  // Stores a new token under `name` with `role`; returns the token text,
  // which is shown once and never stored. Throws Conflict if the name is taken.
  virtual std::string Create(const std::string& name, const std::string& role) = 0;
  // The token's owner, or nullopt if unknown or revoked.
  virtual std::optional<ApiToken> Verify(const std::string& token) = 0;
  virtual std::vector<ApiToken> List() = 0;
  // Returns false when no active token has that name.
  virtual bool Revoke(const std::string& name) = 0;
};

// For /readyz and startup: is the database reachable and its schema current?
class SystemStatus {
 public:
  virtual ~SystemStatus() = default;
  // Empty when ready; otherwise one sentence saying why not.
  virtual std::string NotReadyReason() = 0;
};

}  // namespace kansli::workflow
