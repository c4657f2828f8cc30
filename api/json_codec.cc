#include "api/json_codec.h"

#include "workflow/deadlines.h"
#include "workflow/errors.h"
#include "workflow/reference.h"
#include "workflow/vocabulary.h"

namespace kansli::api {

using json = nlohmann::ordered_json;
using workflow::FormatDate;

namespace {
json OptString(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json OptDate(const std::optional<workflow::Date>& d) {
  return d ? json(FormatDate(*d)) : json(nullptr);
}
json OutcomeLabel(const std::optional<std::string>& o) {
  return o ? json(workflow::OutcomeLabel(*o)) : json(nullptr);
}
constexpr const char* kRedacted = "Sekretessmarkerat";
}  // namespace

json DeadlineJson(const workflow::Deadline& d, const workflow::Date& today) {
  const bool overdue = workflow::IsOverdue(d, today);
  json j = {{"kind", d.kind},
            {"label", d.label},
            {"due", FormatDate(d.due)},
            {"met", d.met_on.has_value()},
            {"met_on", OptDate(d.met_on)},
            {"overdue", overdue},
            {"cancelled", d.cancelled},
            {"basis", d.basis},
            {"organ", OptString(d.organ)}};
  if (d.latest) {
    j["from_meeting_plan"] = d.from_meeting_plan;
    j["latest"] = FormatDate(*d.latest);
  }
  const int days = workflow::DaysBetween(today, d.due);
  if (overdue) {
    j["status"] = "overdue";
    j["days_overdue"] = -days;
  } else if (d.met_on) {
    j["status"] = "met";
    j["met_late"] = date::sys_days{*d.met_on} > date::sys_days{d.due};
  } else if (d.cancelled) {
    j["status"] = "cancelled";
  } else {
    j["status"] = "open";
    j["days_left"] = days;
  }
  return j;
}

json CaseJson(const workflow::Case& c, const ViewOptions& v) {
  const bool redact = v.redact_confidential && c.confidential;
  json submitters = json::array();
  for (const auto& s : c.submitters) submitters.push_back({{"name", s.name}, {"party", s.party}});
  json deadlines = json::array();
  for (const auto& d : c.deadlines) deadlines.push_back(DeadlineJson(d, v.today));
  return json{{"id", c.id},
              {"reference", c.reference},
              {"type", c.type},
              {"type_label", workflow::CaseTypeLabel(c.type)},
              {"title", redact ? json(kRedacted) : json(c.title)},
              {"received", FormatDate(c.received)},
              {"state", c.state},
              {"state_label", workflow::StateLabel(c.type, c.state)},
              {"version", c.version},
              {"responsible_organ", OptString(c.responsible_organ)},
              {"consulted_organs", c.consulted_organs},
              {"proposed_outcome", OptString(c.proposed_outcome)},
              {"proposed_outcome_label", OutcomeLabel(c.proposed_outcome)},
              {"outcome", OptString(c.outcome)},
              {"outcome_label", OutcomeLabel(c.outcome)},
              {"deadlines", deadlines},
              {"submitters", submitters},
              {"sender", OptString(c.sender)},
              {"answer_by", OptDate(c.answer_by)},
              {"officer", OptString(c.officer)},
              {"notes", redact ? json(nullptr) : OptString(c.notes)},
              {"confidential", c.confidential},
              {"reported_unanswered", c.reported_unanswered},
              {"distributed_on", OptDate(c.distributed_on)},
              {"created_at", workflow::FormatInstant(c.created_at)},
              {"updated_at", workflow::FormatInstant(c.updated_at)}};
}

json HistoryJson(const workflow::HistoryEntry& h, const std::string& case_type, bool redact) {
  json details = json(h.details);
  if (redact) details = json::object();
  return json{{"id", h.id},
              {"seq", h.seq},
              {"event", h.event},
              {"event_label", workflow::EventLabel(case_type, h.event)},
              {"from_state", OptString(h.from_state)},
              {"to_state", h.to_state},
              {"to_state_label", workflow::StateLabel(case_type, h.to_state)},
              {"date", FormatDate(h.date)},
              {"organ", OptString(h.organ)},
              {"paragraph", OptString(h.paragraph)},
              {"text", redact && h.text ? json(kRedacted) : OptString(h.text)},
              {"details", details},
              {"actor", h.actor},
              {"recorded_at", workflow::FormatInstant(h.recorded_at)}};
}

json OrganJson(const workflow::Organ& o) {
  return json{{"code", o.code},
              {"name", o.name},
              {"kind", o.kind},
              {"parent", OptString(o.parent)},
              {"presidium", OptString(o.presidium)}};
}

json ActionJson(const workflow::Action& a) {
  json fields = json::array();
  for (const auto& f : a.fields)
    fields.push_back({{"name", f.name}, {"required", f.required}, {"description", f.description}});
  return json{
      {"event", a.event}, {"label", a.label}, {"fields", fields}, {"permitted", a.permitted}};
}

json ErrorJson(const std::string& code, const std::string& message, const json& details) {
  return json{{"error", {{"code", code}, {"message", message}, {"details", details}}}};
}

json CaseSummaryJson(const workflow::Case& c, const ViewOptions& v) {
  const bool redact = v.redact_confidential && c.confidential;
  return json{{"id", c.id},
              {"reference", c.reference},
              {"type", c.type},
              {"title", redact ? json(kRedacted) : json(c.title)},
              {"state", c.state},
              {"state_label", workflow::StateLabel(c.type, c.state)},
              {"responsible_organ", OptString(c.responsible_organ)},
              {"proposed_outcome", OptString(c.proposed_outcome)}};
}

json AgendaJson(const workflow::Agenda& a, const ViewOptions& v) {
  json sections = json::array();
  for (const auto& s : a.sections) {
    json items = json::array();
    for (const auto& item : s.items) {
      items.push_back(
          {{"case", CaseSummaryJson(item.case_summary, v)},
           {"reason", workflow::AgendaReason(s.code, item, a.meeting.date)},
           {"deadline", item.deadline ? DeadlineJson(*item.deadline, v.today) : json(nullptr)}});
    }
    sections.push_back({{"code", s.code},
                        {"label", workflow::AgendaSectionLabel(s.code)},
                        {"total", s.total},
                        {"items", items}});
  }
  return json{{"meeting", MeetingJson(a.meeting)},
              {"next_meeting", a.next_meeting ? MeetingJson(*a.next_meeting) : json(nullptr)},
              {"due_before", FormatDate(a.until)},
              {"sections", sections}};
}

json ReminderRuleJson(const workflow::ReminderRule& r) {
  return json{{"kind", r.kind},
              {"days_before", r.days_before},
              {"on_the_day", r.on_the_day},
              {"overdue_every", r.overdue_every},
              {"escalate_after", r.escalate_after}};
}

json RecipientJson(const workflow::Recipient& r) {
  return json{{"id", r.id},
              {"name", r.name},
              {"email", r.email},
              {"function", r.function},
              {"organ", OptString(r.organ)}};
}

json WebhookJson(const workflow::Webhook& w, bool with_secret) {
  json j{{"id", w.id}, {"url", w.url}};
  if (with_secret) j["secret"] = w.secret;
  return j;
}

json NotificationJson(const workflow::NotificationView& n) {
  json deliveries = json::array();
  std::string status = "sent";
  for (const auto& d : n.deliveries) {
    if (d.status == "dead") status = "dead";
    if (d.status == "pending" && status != "dead") status = "pending";
    deliveries.push_back(
        {{"id", d.id},
         {"channel", d.channel},
         {"target", d.target},
         {"status", d.status},
         {"attempts", d.attempts},
         {"last_error", OptString(d.last_error)},
         {"next_attempt_at",
          d.next_attempt_at ? json(workflow::FormatInstant(*d.next_attempt_at)) : json(nullptr)},
         {"sent_at", d.sent_at ? json(workflow::FormatInstant(*d.sent_at)) : json(nullptr)}});
  }
  return json{{"id", n.id},
              {"case_id", n.case_id ? json(*n.case_id) : json(nullptr)},
              {"case_reference", OptString(n.case_reference)},
              {"kind", n.kind},
              {"subject", n.subject},
              {"body", n.body},
              {"created_at", workflow::FormatInstant(n.created_at)},
              {"status", status},
              {"deliveries", deliveries}};
}

nlohmann::ordered_json MeetingJson(const workflow::Meeting& m) {
  using oj = nlohmann::ordered_json;
  auto opt = [](const std::optional<std::string>& v) { return v ? oj(*v) : oj(nullptr); };
  return {{"id", m.id},
          {"organ", m.organ},
          {"organ_name", opt(m.organ_name)},
          {"date", workflow::FormatDate(m.date)},
          {"time", opt(m.time)},
          {"place", opt(m.place)},
          {"cancelled", m.cancelled}};
}

nlohmann::json ParseRequestJson(const std::string& body) {
  using InJson = nlohmann::json;
  if (body.empty()) throw MalformedJson("the request body is empty; send a JSON object");
  try {
    return InJson::parse(body, [](int depth, InJson::parse_event_t, InJson&) {
      if (depth > kMaxJsonDepth) throw MalformedJson("the JSON is nested too deeply");
      return true;
    });
  } catch (const InJson::parse_error& e) {
    // nlohmann reports invalid UTF-8 and syntax errors alike, with a byte position.
    throw MalformedJson("the request body is not valid JSON (UTF-8) near byte " +
                        std::to_string(e.byte));
  } catch (const InJson::out_of_range&) {
    // A number too large for a double (1e999) is not a parse_error.
    throw MalformedJson("the request body holds a number too large to read");
  }
}

std::optional<std::string> TextParam(const QueryParams& q, const std::string& name) {
  auto it = q.find(name);
  if (it == q.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

int IntParam(const QueryParams& q, const std::string& name, int def, int min, int max) {
  const auto v = TextParam(q, name);
  if (!v) return def;
  const std::string& s = *v;
  bool ok = s.size() <= 9;
  for (char c : s) ok = ok && c >= '0' && c <= '9';
  if (!ok || std::stoi(s) < min || std::stoi(s) > max)
    throw workflow::ValidationError(name, "'" + name + "' must be a whole number from " +
                                              std::to_string(min) + " to " + std::to_string(max));
  return std::stoi(s);
}

std::optional<bool> BoolParam(const QueryParams& q, const std::string& name) {
  auto v = TextParam(q, name);
  if (!v) return std::nullopt;
  if (*v != "true" && *v != "false")
    throw workflow::ValidationError(name, "'" + name + "' must be true or false");
  return *v == "true";
}

std::optional<workflow::Date> DateParam(const QueryParams& q, const std::string& name) {
  auto v = TextParam(q, name);
  if (!v) return std::nullopt;
  auto d = workflow::ParseDate(*v);
  if (!d) throw workflow::ValidationError(name, "'" + name + "' must be a date YYYY-MM-DD");
  return d;
}

workflow::CaseFilter DecodeCaseFilter(const QueryParams& q, const std::string& reference_prefix) {
  workflow::CaseFilter f;
  f.type = TextParam(q, "type");
  if (f.type && *f.type != "motion" && *f.type != "remiss")
    throw workflow::ValidationError("type", "'type' must be motion or remiss");
  f.state = TextParam(q, "state");
  f.organ = TextParam(q, "organ");
  f.overdue = BoolParam(q, "overdue");
  f.q = TextParam(q, "q");
  if (f.q && f.q->size() > 200)
    throw workflow::ValidationError("q", "'q' is longer than 200 bytes");
  if (TextParam(q, "year")) f.year = IntParam(q, "year", 0, 1900, 2999);
  if (auto ref = TextParam(q, "reference")) {
    const auto parsed = workflow::ParseReference(*ref, reference_prefix);
    if (!parsed)
      throw workflow::ValidationError("reference",
                                      "'reference' is not a diarienummer such as RJL 2021/1342");
    f.reference = parsed->ToString();
  }
  f.limit = IntParam(q, "limit", 50, 1, 500);
  f.offset = IntParam(q, "offset", 0, 0, 100000000);
  return f;
}

workflow::DeadlineFilter DecodeDeadlineFilter(const QueryParams& q) {
  workflow::DeadlineFilter f;
  f.organ = TextParam(q, "organ");
  f.kind = TextParam(q, "kind");
  f.type = TextParam(q, "type");
  f.overdue = BoolParam(q, "overdue");
  f.due_before = DateParam(q, "due_before");
  f.limit = IntParam(q, "limit", 50, 1, 500);
  f.offset = IntParam(q, "offset", 0, 0, 100000000);
  return f;
}

workflow::NotificationFilter DecodeNotificationFilter(const QueryParams& q) {
  workflow::NotificationFilter f;
  if (TextParam(q, "case")) f.case_id = IntParam(q, "case", 0, 1, 2000000000);
  f.status = TextParam(q, "status");
  if (f.status && *f.status != "pending" && *f.status != "sent" && *f.status != "dead")
    throw workflow::ValidationError("status", "'status' must be pending, sent or dead");
  f.limit = IntParam(q, "limit", 50, 1, 500);
  f.offset = IntParam(q, "offset", 0, 0, 100000000);
  return f;
}

workflow::MeetingFilter DecodeMeetingFilter(const QueryParams& q) {
  workflow::MeetingFilter f;
  f.organ = TextParam(q, "organ");
  f.from = DateParam(q, "from");
  f.to = DateParam(q, "to");
  f.include_cancelled = BoolParam(q, "include_cancelled").value_or(false);
  return f;
}

}  // namespace kansli::api
