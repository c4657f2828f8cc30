// CaseService: the one path by which cases come into being and change.
// Every command runs in ONE transaction: lock the case, restore its machine
// from the stored state name, offer the event, and on success write the new
// state and version, the history row and the recomputed deadlines.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "workflow/clock.h"
#include "workflow/commands.h"
#include "workflow/deadlines.h"
#include "workflow/meetings.h"
#include "workflow/model.h"
#include "workflow/ports.h"
#include "workflow/reminders.h"
#include "workflow/reports.h"
#include "workflow/vocabulary.h"

namespace kansli::workflow {

struct Actor {
  std::string name;  // token or account name, kept in the history
  std::string role;  // one of kRoles
};

struct CommandOptions {
  // If-Match: the version the caller last saw.
  std::optional<std::int64_t> expected_version;
  // Idempotency-Key, scoped to the actor; `request` is a canonical text of
  // the request (method, path, normalised body), compared on a repeat.
  std::optional<std::string> idempotency_key;
  std::string request;
  // Renders the response to store for an idempotent command (called inside
  // the transaction, after the change). Required when idempotency_key is set.
  std::function<StoredResponse(const Case&)> render;
};

struct CommandResult {
  Case changed;                            // the case after the command (unset when `replayed`)
  std::string from_state;                  // the state before it
  std::optional<StoredResponse> response;  // from `render`, or the replayed one
  bool replayed = false;                   // a repeated idempotent command
};

struct Action {
  std::string event;
  std::string label;
  std::vector<FieldSpec> fields;
  bool permitted = false;  // whether the asking role may send it
};

// A meeting's agenda with the meeting after it.
struct Agenda {
  Meeting meeting;
  std::optional<Meeting> next_meeting;
  Date until;  // the end (exclusive) of due_before_next_meeting
  std::vector<AgendaSection> sections;
};

struct ServiceSettings {
  std::string reference_prefix = "RJL";
  // Reminders go out at this hour (Europe/Stockholm) on their day.
  int reminder_hour = kDefaultReminderHour;
  DeadlineSettings deadlines;
  // The organ recorded as acting when a remiss is registered and distributed
  // in one request (the registry); falls back to the answering organ.
  std::string registry_organ = "rlk";
};

class CaseService {
 public:
  CaseService(Transactions& tx, CaseReader& reader, const Clock& clock, ServiceSettings settings);

  // Registers a case (and, for a remiss with `to`, distributes it).
  // Throws Forbidden, ValidationError, Conflict (reference taken),
  // IdempotencyMismatch, Unavailable.
  CommandResult Register(const RegisterCommand& cmd, const Actor& actor,
                         const CommandOptions& opts);

  // Applies one event. An event at a meeting (`meeting`, or the acting organ's
  // meeting on the event's date) without a `paragraph` gets the next number
  // of the organ's series for that year; a given "§ N" is checked against
  // the series (Conflict when another sitting of the organ that year used it).
  // Throws NotFound, Forbidden, StaleVersion, InvalidTransition,
  // ValidationError, Conflict, IdempotencyMismatch, Unavailable.
  CommandResult Apply(std::int64_t case_id, const EventCommand& cmd, const Actor& actor,
                      const CommandOptions& opts);

  // Distributes several motions in ONE transaction (the presidium's
  // fördelning): each item as a `distribute` event by `organ` on `date` (at
  // `meeting`, numbered like any event at a meeting). All or nothing: an item
  // that fails throws its error with Error::item() set to its index.
  struct DistributionItem {
    std::int64_t case_id = 0;
    std::optional<std::int64_t> version;  // If-Match of that case
    std::string to;
    std::vector<std::string> consult;
    std::optional<std::string> text;
  };
  struct DistributionCommand {
    std::optional<Date> date;
    std::string organ;
    std::optional<std::int64_t> meeting;
    std::vector<DistributionItem> items;
  };
  std::vector<Case> Distribute(const DistributionCommand& d, const Actor& actor);

  // Adds or replaces an organ (admin only). `parent` and `presidium` must be
  // existing organs (or the organ itself). Returns true when it was added.
  // Throws Forbidden, ValidationError, Unavailable.
  bool SaveOrgan(const Organ& organ, const Actor& actor);

  // Meetings (admin, registrar, secretary). Throw Forbidden, ValidationError
  // (unknown organ, malformed time), Conflict (the organ already meets that
  // day), NotFound (unknown id), Unavailable. In the same transaction the
  // deadlines back-scheduled from the organ's plan are recomputed for every
  // case the change can move (UnitOfWork::CasesScheduledAround).
  struct MeetingChange {
    std::optional<Date> date;
    std::optional<std::optional<std::string>> time;   // set (or cleared) when present
    std::optional<std::optional<std::string>> place;  // set (or cleared) when present
  };
  Meeting AddMeeting(Meeting m, const Actor& actor);
  Meeting MoveMeeting(std::int64_t id, const MeetingChange& change, const Actor& actor);
  Meeting CancelMeeting(std::int64_t id, const Actor& actor);
  std::vector<Meeting> ListMeetings(const MeetingFilter& filter);
  // The agenda of a meeting (workflow/meetings.h); at most `limit` items per
  // section. Throws NotFound, Unavailable.
  Agenda MeetingAgenda(std::int64_t meeting_id, int limit = 100);

  // Recomputes and stores the case's deadlines from its history, for when the
  // rules changed (an upgrade, a new answer period). Returns whether they
  // changed. Throws NotFound, Unavailable.
  bool RecomputeDeadlines(std::int64_t case_id);

  // Reads. Throw NotFound (GetCase, History, Actions) and Unavailable.
  Case GetCase(std::int64_t id);
  CasePage ListCases(CaseFilter filter);
  DeadlinePage ListDeadlines(DeadlineFilter filter);
  std::vector<HistoryEntry> History(std::int64_t case_id);
  std::vector<Action> Actions(const Case& c, const std::string& role) const;
  std::vector<Organ> Organs();

  // Reminder rules, recipients and webhooks. Changes need the admin role
  // (Forbidden) and valid values (ValidationError); a changed rule applies to
  // reminders planned from then on (`kansli deadlines recompute` re-plans).
  ReminderRules GetReminderRules();
  void SaveReminderRule(const ReminderRule& rule, const Actor& actor);
  std::vector<Recipient> Recipients();
  Recipient AddRecipient(Recipient r, const Actor& actor);
  bool RemoveRecipient(std::int64_t id, const Actor& actor);  // false: no such active one
  std::vector<Webhook> Webhooks();
  Webhook AddWebhook(Webhook w, const Actor& actor);
  bool RemoveWebhook(std::int64_t id, const Actor& actor);
  NotificationPage ListNotifications(const NotificationFilter& filter);
  CaseStats Stats();  // as of today

  // The KL 5 kap. 35 § report for the end of `as_of` (workflow/reports.h),
  // and the calendar feed of `organ` (all organs when absent; ValidationError
  // on field "organ" when unknown) from kCalendarWindowYears before today.
  // Defined in reports.cc. Throw Unavailable.
  UnansweredMotionsReport UnansweredMotions(const Date& as_of);
  CalendarFeed Calendar(const std::optional<std::string>& organ);

  // Normalises "2021/1342", "Dnr. RJL 2021/1342" to "RJL 2021/1342"; nullopt if not a reference.
  std::optional<std::string> NormaliseReference(const std::string& text) const;

  const Clock& clock() const { return clock_; }
  const ServiceSettings& settings() const { return settings_; }

 private:
  // The body of Apply inside a transaction (no idempotency).
  Case ApplyIn(UnitOfWork& uow, std::int64_t case_id, const EventCommand& cmd, const Actor& actor,
               std::optional<std::int64_t> expected_version, const std::string& transition_id,
               std::string* from_state);
  // Recomputes and stores the case's deadlines (with the meeting plans they
  // need); returns whether they changed.
  bool Reschedule(UnitOfWork& uow, Case& c, const std::vector<HistoryEntry>& history,
                  const std::vector<Organ>& organs, bool compare);
  void RescheduleAround(UnitOfWork& uow, const std::string& organ, const std::vector<Date>& days);

  Transactions& tx_;
  CaseReader& reader_;
  const Clock& clock_;
  ServiceSettings settings_;
};

}  // namespace kansli::workflow
