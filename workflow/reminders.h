// Reminders: when they go out for each deadline, and to whom. Pure rules;
// the scheduler (notifications/) fires them and persistence stores them.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "workflow/model.h"

namespace kansli::workflow {

// When reminders for deadlines of one kind go out.
struct ReminderRule {
  std::string kind;                            // a deadline kind, or "*" for every other kind
  std::vector<int> days_before{30, 14, 7, 1};  // each >= 1, at most 365
  bool on_the_day = true;
  int overdue_every = 7;    // days between reminders while overdue; 0: none
  int escalate_after = 14;  // days overdue from which a reminder escalates; 0: never
};

// The rules by kind; Rule() falls back to "*" and then to the defaults.
struct ReminderRules {
  std::map<std::string, ReminderRule> by_kind;
  ReminderRule Rule(const std::string& kind) const;
};

// Checks a rule from the API or the CLI. Throws ValidationError naming the field.
void ValidateReminderRule(const ReminderRule& rule);

// One planned reminder of a deadline.
//  step: "before:30", "on_day" or "overdue:14" (days overdue).
struct PlannedReminder {
  int deadline_seq = 0;  // 1-based position in the case's deadlines
  std::string deadline_kind;
  Date deadline_due;
  std::string step;
  Date fire_on;
  std::chrono::system_clock::time_point fire_at{};  // fire_on at the reminder hour, Stockholm
  bool escalate = false;
};

// Reminders go out at this hour (Europe/Stockholm) of their day.
inline constexpr int kDefaultReminderHour = 7;

// The reminders of the case's open deadlines that fire on `today` or later:
// every day-before step and the day itself still ahead, and the next overdue
// step (later ones are planned as each one fires: NextOverdue). A met or
// cancelled deadline has none. Pure; stable order.
std::vector<PlannedReminder> PlanReminders(const std::vector<Deadline>& deadlines,
                                           const ReminderRules& rules, const Date& today,
                                           int hour = kDefaultReminderHour);

// The overdue step after `fired` that falls after `today`, if the rule has one.
std::optional<PlannedReminder> NextOverdue(const PlannedReminder& fired, const ReminderRule& rule,
                                           const Date& today, int hour = kDefaultReminderHour);

// A person or mailbox that receives reminders, by function:
//  officer   — a handläggare, matched to a case by name (Case::officer);
//  secretary — an organ's nämndsekreterare;
//  chair     — an organ's (or its presidium's) chair, reached on escalation;
//  kansli    — the kansli's mailbox, reached on escalation.
struct Recipient {
  std::int64_t id = 0;
  std::string name;
  std::string email;
  std::string function;
  std::optional<std::string> organ;
  bool active = true;
};
inline const std::vector<std::string> kRecipientFunctions = {"officer", "secretary", "chair",
                                                             "kansli"};
void ValidateRecipient(const Recipient& r);

// Who gets a reminder about a deadline of `c` that concerns `organ` (the
// deadline's organ, else the case's responsible organ): the case's officer and
// the organ's secretary; on escalation also the chair of the organ or of its
// presidium (`presidium`) and the kansli mailbox. Without anyone else, the
// kansli mailbox. Each address once.
std::vector<Recipient> RecipientsFor(const Case& c, const std::optional<std::string>& organ,
                                     const std::optional<std::string>& presidium, bool escalate,
                                     const std::vector<Recipient>& all);

// A webhook endpoint: every notification is POSTed to it, signed with its secret.
struct Webhook {
  std::int64_t id = 0;
  std::string url;
  std::string secret;
  bool active = true;
};
void ValidateWebhook(const Webhook& w);

}  // namespace kansli::workflow
