// The reminder scheduler (flow 2): fires due reminders into the outbox.
#pragma once

#include <cstdint>
#include <string>

#include "workflow/clock.h"
#include "workflow/ports.h"

namespace kansli::notifications {

struct SchedulerSettings {
  std::string base_url = "http://127.0.0.1:8080";  // for the link in each message
  bool email = false;                              // write e-mail deliveries (SMTP configured)
  int reminder_hour = workflow::kDefaultReminderHour;
  int batch = 500;  // reminders claimed per transaction
  // For the crash tests: "die_after_claim" ends the process after claiming,
  // before commit (KANSLI_TEST_FAULT).
  std::string fault;
};

struct FireResult {
  int fired = 0;    // notifications written
  int dropped = 0;  // reminders whose deadline was met, moved or superseded
};

// Thread-safe: each call is its own transaction; several schedulers (threads
// or processes) may run against one database.
class ReminderScheduler {
 public:
  ReminderScheduler(workflow::Transactions& tx, const workflow::Clock& clock,
                    SchedulerSettings settings);

  // Claims up to `batch` due reminders (FOR UPDATE SKIP LOCKED) and, in the
  // same transaction, re-reads their cases (a few statements per batch, not
  // per reminder): a reminder whose deadline is met,
  // cancelled or moved is dropped with a note; of several due for one deadline
  // (after a pause) only the latest goes out, worded for today; the others
  // fired become notifications with one delivery per recipient address (when
  // e-mail is on) and per active webhook, and an overdue reminder plans the
  // next one. Throws workflow::Unavailable when the database is away.
  FireResult FireDue();

 private:
  workflow::Transactions& tx_;
  const workflow::Clock& clock_;
  SchedulerSettings settings_;
};

}  // namespace kansli::notifications
