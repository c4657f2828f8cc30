// The words of a reminder: Swedish, plain, everything a handläggare needs to
// act without opening the case first.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "workflow/model.h"
#include "workflow/ports.h"
#include "workflow/reminders.h"

namespace kansli::notifications {

struct ReminderContext {
  const workflow::Case& c;
  const workflow::Deadline& deadline;
  const workflow::PlannedReminder& reminder;
  std::optional<workflow::HistoryEntry> last_handling;
  const std::vector<workflow::Organ>& organs;
  workflow::Date today;  // the message is worded for the day it is sent
  std::string base_url;  // e.g. http://127.0.0.1:8080; the case is <base_url>/cases/<id>
};

// Subject, body and webhook payload of a reminder (deliveries left empty).
// "Påminnelse: RJL 2021/1342 Kultur för hälsa – Svar från ansvarig nämnd om 7 dagar (2022-02-21)";
// escalations say "Eskalering" and "försenad N dagar".
workflow::NewNotification ComposeReminder(const ReminderContext& ctx);

}  // namespace kansli::notifications
