// The JSON shapes of api.md: workflow values to response bodies, fields in a
// fixed, readable order. Every coded value carries its Swedish label next to it.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

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

// ---------------------------------------------------------------------------
// Request decoding: the router's request bodies and list queries. Pure, so that
// it can be tested (and fuzzed: tests/fuzz/) without a server.

// A request body that is not acceptable JSON; what() says why (400 malformed_json).
class MalformedJson : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// No value may lie inside more than this many arrays and objects.
constexpr int kMaxJsonDepth = 64;

// Parses a request body. Throws MalformedJson when it is empty, not JSON, not
// UTF-8, or nested deeper than kMaxJsonDepth (refused while parsing, before
// the deep value is built).
nlohmann::json ParseRequestJson(const std::string& body);

// Decoded query parameters: name → value. An empty value counts as absent.
using QueryParams = std::map<std::string, std::string>;

// One query parameter; a malformed one throws workflow::ValidationError naming
// it (422 validation_failed).
std::optional<std::string> TextParam(const QueryParams& q, const std::string& name);
// Digits only (at most 9), from `min` to `max`; `def` when absent.
int IntParam(const QueryParams& q, const std::string& name, int def, int min, int max);
// "true" or "false".
std::optional<bool> BoolParam(const QueryParams& q, const std::string& name);
// YYYY-MM-DD.
std::optional<workflow::Date> DateParam(const QueryParams& q, const std::string& name);

// The filters of the list endpoints (api.md), checked in the order of their
// parameters; the first malformed one throws workflow::ValidationError.
// GET /cases: a `reference` is normalised ("rjl 2021/1342" → "RJL 2021/1342"),
// a missing prefix taken from `reference_prefix`.
workflow::CaseFilter DecodeCaseFilter(const QueryParams& q, const std::string& reference_prefix);
// GET /deadlines.
workflow::DeadlineFilter DecodeDeadlineFilter(const QueryParams& q);
// GET /notifications.
workflow::NotificationFilter DecodeNotificationFilter(const QueryParams& q);
// GET /meetings.
workflow::MeetingFilter DecodeMeetingFilter(const QueryParams& q);

}  // namespace kansli::api
