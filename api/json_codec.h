// The JSON shapes of api.md: workflow values to response bodies, fields in a
// fixed, readable order. Every coded value carries its Swedish label next to it.
#pragma once

#include <nlohmann/json.hpp>

#include "workflow/case_service.h"
#include "workflow/model.h"

namespace kansli::api {

struct ViewOptions {
  workflow::Date today;
  // Readers (the public) do not see the notes and texts of confidential cases.
  bool redact_confidential = false;
};

nlohmann::ordered_json CaseJson(const workflow::Case& c, const ViewOptions& v);
nlohmann::ordered_json DeadlineJson(const workflow::Deadline& d, const workflow::Date& today);
nlohmann::ordered_json HistoryJson(const workflow::HistoryEntry& h, const std::string& case_type,
                                   bool redact);
nlohmann::ordered_json OrganJson(const workflow::Organ& o);
nlohmann::ordered_json MeetingJson(const workflow::Meeting& m);
// A case in a list of deadlines or an agenda: who, what, where it stands.
nlohmann::ordered_json CaseSummaryJson(const workflow::Case& c, const ViewOptions& v);
nlohmann::ordered_json AgendaJson(const workflow::Agenda& a, const ViewOptions& v);
nlohmann::ordered_json ReminderRuleJson(const workflow::ReminderRule& r);
nlohmann::ordered_json RecipientJson(const workflow::Recipient& r);
// The secret only when `with_secret` (once, when the webhook is created).
nlohmann::ordered_json WebhookJson(const workflow::Webhook& w, bool with_secret);
nlohmann::ordered_json NotificationJson(const workflow::NotificationView& n);
nlohmann::ordered_json ActionJson(const workflow::Action& a);

// {"error": {"code", "message", "details"}}
nlohmann::ordered_json ErrorJson(
    const std::string& code, const std::string& message,
    const nlohmann::ordered_json& details = nlohmann::ordered_json::object());

}  // namespace kansli::api
