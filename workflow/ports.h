// The ports workflow owns and the adapters (persistence/) implement.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "workflow/model.h"
#include "workflow/reference.h"
#include "workflow/reminders.h"

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

using Instant = std::chrono::system_clock::time_point;

// A planned reminder as stored.
struct StoredReminder {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  PlannedReminder planned;
};

// A message to write to the outbox, with one delivery per channel target.
struct NewDelivery {
  std::string channel;  // "email" | "webhook"
  std::string target;   // the address, or the webhook's URL
  std::optional<std::int64_t> webhook_id;
};
struct NewNotification {
  std::optional<std::int64_t> case_id;
  std::optional<std::int64_t> reminder_id;
  std::string kind;  // "reminder", "escalation"
  std::string subject;
  std::string body;                                   // plain text, Swedish
  nlohmann::json payload = nlohmann::json::object();  // what a webhook receives
  std::vector<NewDelivery> deliveries;
};

// A delivery as the dispatcher sends it.
struct Delivery {
  std::int64_t id = 0;
  std::int64_t notification_id = 0;
  std::string channel;
  std::string target;
  std::string secret;  // the webhook's, for the signature
  std::string subject;
  std::string body;
  std::string payload;  // JSON text
  int attempts = 0;     // before this one
};

struct DeliveryStatus {
  std::int64_t id = 0;
  std::string channel;
  std::string target;
  std::string status;  // pending | sent | dead
  int attempts = 0;
  std::optional<std::string> last_error;
  std::optional<Instant> next_attempt_at;
  std::optional<Instant> sent_at;
};

struct NotificationView {
  std::int64_t id = 0;
  std::optional<std::int64_t> case_id;
  std::optional<std::string> case_reference;
  std::string kind;
  std::string subject;
  std::string body;
  Instant created_at{};
  std::vector<DeliveryStatus> deliveries;
};

struct NotificationFilter {
  std::optional<std::int64_t> case_id;
  // pending (some delivery not yet sent), sent (all sent), dead (some dead).
  std::optional<std::string> status;
  int limit = 50;
  int offset = 0;
};

struct NotificationPage {
  std::vector<NotificationView> items;
  long long total = 0;
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
  // The organ's meeting (not cancelled) on `day`, if any.
  virtual std::optional<Meeting> MeetingOn(const std::string& organ, const Date& day) = 0;
  // The days the organ meets (cancelled meetings left out), ascending.
  virtual std::vector<Date> MeetingDates(const std::string& organ) = 0;
  // The cases with a deadline (met or not, not cancelled) back-scheduled from `organ`'s plan that a
  // meeting of the organ on `day` (added, moved from or to, or cancelled) can
  // move: the latest allowed day is on or after `day` and the deadline is now
  // on or before `day`, or it has no plan and its latest day is in day's year
  // or later. Ascending ids.
  virtual std::vector<std::int64_t> CasesScheduledAround(const std::string& organ,
                                                         const Date& day) = 0;

  // Paragraph numbers (§) run per organ and calendar year. NextParagraph
  // hands out the number after the highest one handed out or used in the
  // series (the series row stays locked until commit, so concurrent callers
  // get consecutive numbers). UseParagraph records that the organ's sitting
  // on `day` used `number`; when that number was already used at another
  // sitting of the series it records nothing and returns that sitting's day.
  virtual int NextParagraph(const std::string& organ, int year) = 0;
  virtual std::optional<Date> UseParagraph(const std::string& organ, int year, int number,
                                           const Date& day) = 0;

  // Reminder rules, people and webhooks (reminders.h).
  virtual ReminderRules ReadReminderRules() = 0;
  virtual void SaveReminderRule(const ReminderRule& rule) = 0;
  virtual std::vector<Recipient> Recipients() = 0;  // active ones
  virtual void InsertRecipient(Recipient& r) = 0;   // sets id
  virtual bool DeactivateRecipient(std::int64_t id) = 0;
  virtual std::vector<Webhook> Webhooks() = 0;  // active ones
  virtual void InsertWebhook(Webhook& w) = 0;   // sets id
  virtual bool DeactivateWebhook(std::int64_t id) = 0;

  // Makes `planned` the case's pending reminders: pending ones not in it are
  // cancelled (a deadline met or moved), new ones inserted, a cancelled one
  // planned again is pending again; fired ones stay as they were.
  virtual void ReplaceReminders(std::int64_t case_id,
                                const std::vector<PlannedReminder>& planned) = 0;
  // Claims up to `limit` pending reminders due at `now` (fire_at <= now),
  // oldest first, locked until commit; rows another transaction holds are
  // skipped (FOR UPDATE SKIP LOCKED), so concurrent schedulers share the work
  // and a crashed one's claims return with its rollback.
  virtual std::vector<StoredReminder> ClaimDueReminders(Instant now, int limit) = 0;
  // The cases of `ids` (those that exist) with their deadlines, and each
  // one's last history row, for the reminders about them (no locks: a
  // reminder races a concurrent change at worst by one message).
  virtual std::vector<Case> ReadCases(const std::vector<std::int64_t>& ids) = 0;
  virtual std::map<std::int64_t, HistoryEntry> LastHistory(
      const std::vector<std::int64_t>& case_ids) = 0;
  // Marks claimed reminders fired or dropped (`note` says why it was dropped).
  struct ReminderOutcome {
    std::int64_t id = 0;
    std::string status;  // fired | dropped
    std::string note;
  };
  virtual void FinishReminders(const std::vector<ReminderOutcome>& outcomes) = 0;
  // Adds reminders (the next overdue steps); one that exists stays as it is.
  virtual void AddReminders(const std::vector<StoredReminder>& reminders) = 0;  // id ignored
  // Writes the notifications and their deliveries (the outbox). Each one of a
  // batch comes from a distinct reminder (reminder_id set).
  virtual void InsertNotifications(const std::vector<NewNotification>& ns, Instant now) = 0;

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

// The outbox of deliveries: claimed with a lease, sent after commit, at least
// once. Each call is its own short transaction. Thread-safe.
class Outbox {
 public:
  virtual ~Outbox() = default;
  // Leases up to `limit` pending deliveries whose next attempt is due at
  // `now` and whose lease (if any) has run out: claimed_by = worker,
  // lease_until = now + lease. A worker that dies leaves its lease to expire.
  virtual std::vector<Delivery> Claim(const std::string& worker, Instant now,
                                      std::chrono::seconds lease, int limit) = 0;
  // Records the outcome of an attempt by the lease holder; false when the
  // lease was lost meanwhile (another worker owns the delivery now).
  virtual bool MarkSent(std::int64_t id, const std::string& worker, Instant now) = 0;
  virtual bool MarkFailed(std::int64_t id, const std::string& worker, const std::string& error,
                          Instant next_attempt, bool dead) = 0;
  // A dead delivery becomes pending again with a fresh attempt count;
  // false when it is not dead (or unknown).
  virtual bool Retry(std::int64_t id, Instant now) = 0;
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

// A meeting's agenda (GET /meetings/{id}/agenda): the cases that must be
// handled there for their deadlines to hold, in sections.
struct AgendaItem {
  Case case_summary;                 // id, reference, type, title, state, organs; no deadlines
  std::optional<Deadline> deadline;  // the deadline that puts the case here, if one does
};

struct AgendaSection {
  std::string code;     // scheduled_here, due_before_next_meeting, overdue, ready_for_decision, ...
  long long total = 0;  // all matching; `items` holds at most AgendaRequest::limit
  std::vector<AgendaItem> items;  // most urgent first
};

struct AgendaRequest {
  Meeting meeting;
  Date until;  // the organ's next meeting (or a horizon): due_before_next_meeting is [date, until)
  std::vector<std::string> sections;  // the section codes to read, in order
  // For sections about another organ's cases (a presidium preparing for its
  // nämnd): that organ; else the meeting's organ.
  std::string subject_organ;
  int limit = 100;
};

// The KL 5 kap. 35 § report's input (workflow/reports.h): a motion and its history.
struct MotionRecord {
  Case motion;                        // without deadlines
  std::vector<HistoryEntry> history;  // posting order (seq)
};

// GET /calendar.ics: the meetings and open deadlines a feed shows.
struct CalendarFilter {
  // Meetings of this organ; deadlines whose organ or whose case's responsible
  // organ it is. All organs when absent.
  std::optional<std::string> organ;
  Date from;  // meetings on or after it, deadlines due on or after it
};
struct CalendarDeadline {
  int seq = 0;  // the deadline's place in its case's list (case_deadlines.seq)
  Deadline deadline;
  Case case_summary;  // id, reference, type, title, state, confidential, responsible organ
};
struct CalendarEntries {
  std::vector<Meeting> meetings;            // not cancelled, by date and organ (with organ_name)
  std::vector<CalendarDeadline> deadlines;  // unmet, not cancelled, by due
};

// Open cases counted for the overview (GET /stats).
struct CaseStats {
  struct Count {
    std::string type;
    std::string state;                 // by_state only
    std::optional<std::string> organ;  // by_organ only (none: not distributed)
    long long count = 0;
  };
  long long open_total = 0;
  long long overdue_cases = 0;
  std::vector<Count> by_type, by_state, by_organ;
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
  virtual std::optional<Meeting> GetMeeting(std::int64_t id) = 0;
  // The organ's first meeting (not cancelled) after `day`.
  virtual std::optional<Meeting> NextMeeting(const std::string& organ, const Date& day) = 0;
  // The sections of AgendaRequest::sections, in one snapshot (see
  // workflow/agenda.h for what each section holds).
  virtual std::vector<AgendaSection> ReadAgenda(const AgendaRequest& request) = 0;
  // Open cases by type, state and responsible organ; overdue as of `today`.
  virtual CaseStats Stats(const Date& today) = 0;
  // Newest first, each with its deliveries.
  virtual NotificationPage ListNotifications(const NotificationFilter& filter) = 0;
  // The motions received on or before `as_of` that no history row dated on
  // or before it moved to one of `final_states`, ascending by id, each with
  // its history rows dated on or before `as_of`. One snapshot, two statements
  // (cases, then all their history rows), however many motions.
  virtual std::vector<MotionRecord> MotionsOpenOn(const Date& as_of,
                                                  const std::vector<std::string>& final_states) = 0;
  // The feed of GET /calendar.ics, in one snapshot.
  virtual CalendarEntries ReadCalendar(const CalendarFilter& filter) = 0;
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
