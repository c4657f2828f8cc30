#include "persistence/pg_store.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <thread>

#include "persistence/migrations.h"
#include "persistence/pg_common.h"
#include "persistence/translate.h"
#include "workflow/errors.h"

namespace kansli::persistence {

using workflow::Case;
using workflow::Date;
using workflow::Deadline;
using workflow::HistoryEntry;
using workflow::Organ;
using Json = nlohmann::json;

namespace {

constexpr const char* kCaseColumns =
    "id, reference, type, title, received::text, state, version, responsible_organ, "
    "consulted_organs::text, proposed_outcome, outcome, submitters::text, sender, "
    "answer_by::text, officer, notes, confidential, reported_unanswered, distributed_on::text, "
    "(extract(epoch FROM created_at) * 1000000)::bigint, "
    "(extract(epoch FROM updated_at) * 1000000)::bigint";

constexpr const char* kHistoryColumns =
    "id, case_id, seq, event, from_state, to_state, date::text, organ, paragraph, text, "
    "details::text, actor, transition_id, (extract(epoch FROM recorded_at) * 1000000)::bigint";

constexpr const char* kDeadlineColumns =
    "case_id, kind, label, due::text, met_on::text, cancelled, basis, organ, latest::text, "
    "from_meeting_plan";

// The same columns of a case_deadlines row aliased `d` (DeadlineFromRow reads
// them at `at`), and a case's summary columns (SummaryFromRow).
constexpr const char* kDeadlineColumnsD =
    "d.case_id, d.kind, d.label, d.due::text, d.met_on::text, d.cancelled, d.basis, d.organ, "
    "d.latest::text, d.from_meeting_plan";
constexpr int kDeadlineWidth = 10;
constexpr const char* kSummaryColumns =
    "c.id, c.reference, c.type, c.title, c.state, c.confidential, c.responsible_organ, "
    "c.proposed_outcome";

// Parameters: a null for an absent value.
const char* Opt(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }
std::optional<std::string> OptDate(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return workflow::FormatDate(*d);
}

std::optional<std::string> Str(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}
Date DateOf(const pqxx::field& f) { return *workflow::ParseDate(f.as<std::string>()); }
std::optional<Date> OptDateOf(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return workflow::ParseDate(f.as<std::string>());
}

Case CaseFromRow(const pqxx::row& r) {
  Case c;
  c.id = r[0].as<long long>();
  c.reference = r[1].as<std::string>();
  c.type = r[2].as<std::string>();
  c.title = r[3].as<std::string>();
  c.received = DateOf(r[4]);
  c.state = r[5].as<std::string>();
  c.version = r[6].as<long long>();
  c.responsible_organ = Str(r[7]);
  for (const auto& o : Json::parse(r[8].as<std::string>())) c.consulted_organs.push_back(o);
  c.proposed_outcome = Str(r[9]);
  c.outcome = Str(r[10]);
  for (const auto& s : Json::parse(r[11].as<std::string>()))
    c.submitters.push_back({s.value("name", ""), s.value("party", "")});
  c.sender = Str(r[12]);
  c.answer_by = OptDateOf(r[13]);
  c.officer = Str(r[14]);
  c.notes = Str(r[15]);
  c.confidential = r[16].as<bool>();
  c.reported_unanswered = r[17].as<bool>();
  c.distributed_on = OptDateOf(r[18]);
  c.created_at = FromMicros(r[19].as<long long>());
  c.updated_at = FromMicros(r[20].as<long long>());
  return c;
}

HistoryEntry HistoryFromRow(const pqxx::row& r) {
  HistoryEntry h;
  h.id = r[0].as<long long>();
  h.case_id = r[1].as<long long>();
  h.seq = r[2].as<int>();
  h.event = r[3].as<std::string>();
  h.from_state = Str(r[4]);
  h.to_state = r[5].as<std::string>();
  h.date = DateOf(r[6]);
  h.organ = Str(r[7]);
  h.paragraph = Str(r[8]);
  h.text = Str(r[9]);
  h.details = Json::parse(r[10].as<std::string>());
  h.actor = r[11].as<std::string>();
  h.transition_id = r[12].as<std::string>();
  h.recorded_at = FromMicros(r[13].as<long long>());
  return h;
}

Deadline DeadlineFromRow(const pqxx::row& r, int at = 0) {
  Deadline d;
  d.kind = r[at + 1].as<std::string>();
  d.label = r[at + 2].as<std::string>();
  d.due = DateOf(r[at + 3]);
  d.met_on = OptDateOf(r[at + 4]);
  d.cancelled = r[at + 5].as<bool>();
  d.basis = r[at + 6].as<std::string>();
  d.organ = Str(r[at + 7]);
  d.latest = OptDateOf(r[at + 8]);
  d.from_meeting_plan = r[at + 9].as<bool>();
  return d;
}

// kSummaryColumns at `at`.
Case SummaryFromRow(const pqxx::row& r, int at) {
  Case c;
  c.id = r[at].as<long long>();
  c.reference = r[at + 1].as<std::string>();
  c.type = r[at + 2].as<std::string>();
  c.title = r[at + 3].as<std::string>();
  c.state = r[at + 4].as<std::string>();
  c.confidential = r[at + 5].as<bool>();
  c.responsible_organ = Str(r[at + 6]);
  c.proposed_outcome = Str(r[at + 7]);
  return c;
}

// "Motionerna om kultur-strategi!" → "motionerna:* & om:* & kultur:* & strategi:*".
std::string PrefixQuery(const std::string& q) {
  std::string out, word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!out.empty()) out += " & ";
    out += word + ":*";
    word.clear();
  };
  for (unsigned char ch : q) {
    if (std::isalnum(ch) || ch >= 0x80) {
      word += static_cast<char>(ch);
    } else {
      flush();
    }
  }
  flush();
  return out;
}

// Positional parameters of a query whose filters vary: values are bound as
// $1, $2, ..., never spliced into the SQL text.
class Params {
 public:
  // Binds `v` (null when absent) and returns its placeholder.
  std::string Add(std::optional<std::string> v) {
    values_.push_back(std::move(v));
    return "$" + std::to_string(values_.size());
  }
  pqxx::result Exec(pqxx::transaction_base& t, const std::string& sql) const {
    std::vector<const char*> raw;
    for (const auto& v : values_) raw.push_back(v ? v->c_str() : nullptr);
    return t.exec_params(sql, pqxx::prepare::make_dynamic_params(raw));
  }

 private:
  std::vector<std::optional<std::string>> values_;
};

std::vector<Organ> ReadOrgans(pqxx::transaction_base& t) {
  std::vector<Organ> out;
  for (const auto& r : t.exec_prepared("organs_all")) {
    out.push_back(Organ{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                        Str(r[3]), Str(r[4])});
  }
  return out;
}

std::vector<HistoryEntry> ReadHistory(pqxx::transaction_base& t, std::int64_t case_id) {
  std::vector<HistoryEntry> out;
  for (const auto& r : t.exec_prepared("history_of", case_id)) out.push_back(HistoryFromRow(r));
  return out;
}

Json SubmittersJson(const Case& c) {
  Json s = Json::array();
  for (const auto& m : c.submitters) s.push_back({{"name", m.name}, {"party", m.party}});
  return s;
}

constexpr const char* kMeetingColumns =
    "m.id, m.organ, o.name, m.date::text, m.time, m.place, m.cancelled";

workflow::Meeting MeetingFromRow(const pqxx::row& r) {
  workflow::Meeting m;
  m.id = r[0].as<long long>();
  m.organ = r[1].as<std::string>();
  m.organ_name = Str(r[2]);
  m.date = DateOf(r[3]);
  m.time = Str(r[4]);
  m.place = Str(r[5]);
  m.cancelled = r[6].as<bool>();
  return m;
}

// "{1,2,3}": ids as one bigint[] parameter.
std::string IdArray(const std::vector<std::int64_t>& ids) {
  std::string out = "{";
  for (auto id : ids) out += (out.size() > 1 ? "," : "") + std::to_string(id);
  return out + "}";
}

Json ReminderJson(const workflow::PlannedReminder& r) {
  return {{"deadline_seq", r.deadline_seq},
          {"deadline_kind", r.deadline_kind},
          {"deadline_due", workflow::FormatDate(r.deadline_due)},
          {"step", r.step},
          {"fire_on", workflow::FormatDate(r.fire_on)},
          {"fire_at_us", Micros(r.fire_at)},
          {"escalate", r.escalate}};
}

class PgUnitOfWork final : public workflow::UnitOfWork {
 public:
  PgUnitOfWork(pqxx::work& t, OrganCache& organs) : t_(t), organs_(organs) {}

  std::vector<Organ> Organs() override {
    if (auto cached = organs_.Get()) return *cached;
    auto fresh = ReadOrgans(t_);
    if (!organs_changed_) organs_.Put(fresh);
    return fresh;
  }

  void UpsertOrgan(const Organ& o) override {
    t_.exec_prepared("organ_upsert", o.code, o.name, o.kind, Opt(o.parent), Opt(o.presidium));
    organs_changed_ = true;
    organs_.Clear();
  }

  bool organs_changed() const { return organs_changed_; }
  // A case history row was written: the unit of work is a case transition.
  bool wrote_history() const { return wrote_history_; }

  std::vector<Deadline> Deadlines(std::int64_t case_id) override {
    std::vector<Deadline> out;
    for (const auto& d : t_.exec_prepared("deadlines_of", case_id))
      out.push_back(DeadlineFromRow(d));
    return out;
  }

  void InsertMeeting(workflow::Meeting& m) override {
    auto r = t_.exec_prepared("meeting_insert", m.organ, workflow::FormatDate(m.date), Opt(m.time),
                              Opt(m.place));
    m.id = r[0][0].as<long long>();
  }

  std::optional<workflow::Meeting> LockMeeting(std::int64_t id) override {
    auto r = t_.exec_prepared("meeting_lock", id);
    if (r.empty()) return std::nullopt;
    return MeetingFromRow(r[0]);
  }

  void UpdateMeeting(const workflow::Meeting& m) override {
    t_.exec_prepared("meeting_update", m.id, workflow::FormatDate(m.date), Opt(m.time),
                     Opt(m.place), m.cancelled);
  }

  std::optional<std::int64_t> FindCaseByReference(const std::string& reference) override {
    auto r = t_.exec_prepared("case_by_reference", reference);
    if (r.empty()) return std::nullopt;
    return r[0][0].as<long long>();
  }

  std::optional<Case> LockCase(std::int64_t id) override {
    auto r = t_.exec_prepared("case_lock", id);
    if (r.empty()) return std::nullopt;
    return CaseFromRow(r[0]);
  }

  std::vector<HistoryEntry> History(std::int64_t case_id) override {
    return ReadHistory(t_, case_id);
  }

  workflow::Reference AllocateReference(const std::string& prefix, int year) override {
    auto r = t_.exec_prepared("reference_next", prefix, year);
    return workflow::Reference{prefix, year, r[0][0].as<long long>()};
  }

  void ReserveReference(const workflow::Reference& ref) override {
    if (FindCaseByReference(ref.ToString()))
      throw workflow::Conflict("the diarienummer " + ref.ToString() + " is already registered");
    t_.exec_prepared("reference_reserve", ref.prefix, ref.year, ref.number);
  }

  void InsertCase(Case& c) override {
    auto r = t_.exec_prepared(
        "case_insert", c.reference, c.type, c.title, workflow::FormatDate(c.received), c.state,
        c.version, Opt(c.responsible_organ), Json(c.consulted_organs).dump(),
        Opt(c.proposed_outcome), Opt(c.outcome), SubmittersJson(c).dump(), Opt(c.sender),
        Opt(OptDate(c.answer_by)), Opt(c.officer), Opt(c.notes), c.confidential,
        c.reported_unanswered, Opt(OptDate(c.distributed_on)), Micros(c.created_at),
        Micros(c.updated_at));
    c.id = r[0][0].as<long long>();
  }

  void UpdateCase(const Case& c) override {
    t_.exec_prepared("case_update", c.id, c.state, c.version, Opt(c.responsible_organ),
                     Json(c.consulted_organs).dump(), Opt(c.proposed_outcome), Opt(c.outcome),
                     Opt(c.officer), Opt(OptDate(c.answer_by)), c.reported_unanswered,
                     Opt(OptDate(c.distributed_on)), Micros(c.updated_at));
  }

  void AppendHistory(HistoryEntry& e) override {
    if (e.recorded_at == std::chrono::system_clock::time_point{})
      e.recorded_at = std::chrono::system_clock::now();
    auto r =
        t_.exec_prepared("history_insert", e.case_id, e.seq, e.event, Opt(e.from_state), e.to_state,
                         workflow::FormatDate(e.date), Opt(e.organ), Opt(e.paragraph), Opt(e.text),
                         e.details.dump(), e.actor, e.transition_id, Micros(e.recorded_at));
    e.id = r[0][0].as<long long>();
    wrote_history_ = true;
  }

  void ReplaceDeadlines(std::int64_t case_id, const std::vector<Deadline>& ds) override {
    // One statement, however many deadlines: rows as JSON.
    Json rows = Json::array();
    int seq = 0;
    for (const auto& d : ds) {
      rows.push_back({{"seq", ++seq},
                      {"kind", d.kind},
                      {"label", d.label},
                      {"due", workflow::FormatDate(d.due)},
                      {"met_on", d.met_on ? Json(workflow::FormatDate(*d.met_on)) : Json(nullptr)},
                      {"cancelled", d.cancelled},
                      {"basis", d.basis},
                      {"organ", d.organ ? Json(*d.organ) : Json(nullptr)},
                      {"latest", d.latest ? Json(workflow::FormatDate(*d.latest)) : Json(nullptr)},
                      {"from_meeting_plan", d.from_meeting_plan}});
    }
    t_.exec_prepared("deadlines_replace", case_id, rows.dump());
  }

  std::optional<workflow::Meeting> MeetingOn(const std::string& organ, const Date& day) override {
    auto r = t_.exec_prepared("meeting_on", organ, workflow::FormatDate(day));
    if (r.empty()) return std::nullopt;
    return MeetingFromRow(r[0]);
  }

  std::vector<Date> MeetingDates(const std::string& organ) override {
    std::vector<Date> out;
    for (const auto& r : t_.exec_prepared("meeting_dates", organ)) out.push_back(DateOf(r[0]));
    return out;
  }

  std::vector<std::int64_t> CasesScheduledAround(const std::string& organ,
                                                 const Date& day) override {
    std::vector<std::int64_t> out;
    for (const auto& r :
         t_.exec_prepared("cases_scheduled_around", organ, workflow::FormatDate(day)))
      out.push_back(r[0].as<long long>());
    return out;
  }

  int NextParagraph(const std::string& organ, int year) override {
    return t_.exec_prepared("paragraph_next", organ, year)[0][0].as<int>();
  }

  std::optional<Date> UseParagraph(const std::string& organ, int year, int number,
                                   const Date& day) override {
    const std::string d = workflow::FormatDate(day);
    if (t_.exec_prepared("paragraph_use", organ, year, number, d).empty()) {
      auto r = t_.exec_prepared("paragraph_used_on", organ, year, number);
      if (!r.empty() && r[0][0].as<std::string>() != d) return DateOf(r[0][0]);
    }
    t_.exec_prepared("paragraph_reserve", organ, year, number);
    return std::nullopt;
  }

  workflow::ReminderRules ReadReminderRules() override {
    workflow::ReminderRules rules;
    for (const auto& r : t_.exec_prepared("reminder_rules_all")) {
      workflow::ReminderRule rule;
      rule.kind = r[0].as<std::string>();
      rule.days_before.clear();
      for (const auto& d : Json::parse(r[1].as<std::string>())) rule.days_before.push_back(d);
      rule.on_the_day = r[2].as<bool>();
      rule.overdue_every = r[3].as<int>();
      rule.escalate_after = r[4].as<int>();
      rules.by_kind[rule.kind] = rule;
    }
    return rules;
  }

  void SaveReminderRule(const workflow::ReminderRule& rule) override {
    t_.exec_prepared("reminder_rule_save", rule.kind, Json(rule.days_before).dump(),
                     rule.on_the_day, rule.overdue_every, rule.escalate_after);
  }

  std::vector<workflow::Recipient> Recipients() override {
    std::vector<workflow::Recipient> out;
    for (const auto& r : t_.exec_prepared("recipients_active"))
      out.push_back(workflow::Recipient{r[0].as<long long>(), r[1].as<std::string>(),
                                        r[2].as<std::string>(), r[3].as<std::string>(), Str(r[4]),
                                        true});
    return out;
  }

  void InsertRecipient(workflow::Recipient& x) override {
    x.id = t_.exec_prepared("recipient_insert", x.name, x.email, x.function, Opt(x.organ))[0][0]
               .as<long long>();
  }

  bool DeactivateRecipient(std::int64_t id) override {
    return t_.exec_prepared("recipient_deactivate", id).affected_rows() > 0;
  }

  std::vector<workflow::Webhook> Webhooks() override {
    std::vector<workflow::Webhook> out;
    for (const auto& r : t_.exec_prepared("webhooks_active"))
      out.push_back(
          workflow::Webhook{r[0].as<long long>(), r[1].as<std::string>(), r[2].as<std::string>()});
    return out;
  }

  void InsertWebhook(workflow::Webhook& w) override {
    w.id = t_.exec_prepared("webhook_insert", w.url, w.secret)[0][0].as<long long>();
  }

  bool DeactivateWebhook(std::int64_t id) override {
    return t_.exec_prepared("webhook_deactivate", id).affected_rows() > 0;
  }

  void ReplaceReminders(std::int64_t case_id,
                        const std::vector<workflow::PlannedReminder>& planned) override {
    Json rows = Json::array();
    for (const auto& r : planned) rows.push_back(ReminderJson(r));
    t_.exec_prepared("reminders_replace", case_id, rows.dump());
  }

  std::vector<workflow::StoredReminder> ClaimDueReminders(workflow::Instant now,
                                                          int limit) override {
    std::vector<workflow::StoredReminder> out;
    for (const auto& r : t_.exec_prepared("reminders_claim", Micros(now), limit)) {
      workflow::StoredReminder x;
      x.id = r[0].as<long long>();
      x.case_id = r[1].as<long long>();
      x.planned.deadline_seq = r[2].as<int>();
      x.planned.deadline_kind = r[3].as<std::string>();
      x.planned.deadline_due = DateOf(r[4]);
      x.planned.step = r[5].as<std::string>();
      x.planned.fire_on = DateOf(r[6]);
      x.planned.fire_at = FromMicros(r[7].as<long long>());
      x.planned.escalate = r[8].as<bool>();
      out.push_back(std::move(x));
    }
    return out;
  }

  std::vector<Case> ReadCases(const std::vector<std::int64_t>& ids) override {
    const std::string array = IdArray(ids);
    std::vector<Case> out;
    std::map<long long, std::size_t> at;
    for (const auto& r : t_.exec_prepared("cases_by_ids", array)) {
      at[r[0].as<long long>()] = out.size();
      out.push_back(CaseFromRow(r));
    }
    for (const auto& d : t_.exec_prepared("deadlines_of_many", array))
      out[at.at(d[0].as<long long>())].deadlines.push_back(DeadlineFromRow(d));
    return out;
  }

  std::map<std::int64_t, HistoryEntry> LastHistory(
      const std::vector<std::int64_t>& case_ids) override {
    std::map<std::int64_t, HistoryEntry> out;
    for (const auto& r : t_.exec_prepared("history_last_of_many", IdArray(case_ids))) {
      auto h = HistoryFromRow(r);
      out.emplace(h.case_id, std::move(h));
    }
    return out;
  }

  void FinishReminders(const std::vector<ReminderOutcome>& outcomes) override {
    if (outcomes.empty()) return;
    Json rows = Json::array();
    for (const auto& o : outcomes)
      rows.push_back({{"id", o.id},
                      {"status", o.status},
                      {"note", o.note.empty() ? Json(nullptr) : Json(o.note)}});
    t_.exec_prepared("reminders_finish", rows.dump());
  }

  void AddReminders(const std::vector<workflow::StoredReminder>& reminders) override {
    Json rows = Json::array();
    for (const auto& r : reminders) {
      Json j = ReminderJson(r.planned);
      j["case_id"] = r.case_id;
      rows.push_back(j);
    }
    t_.exec_prepared("reminders_add", rows.dump());
  }

  void InsertNotifications(const std::vector<workflow::NewNotification>& ns,
                           workflow::Instant now) override {
    if (ns.empty()) return;
    // One statement for the batch; deliveries find their notification by its
    // position in the batch (`n`).
    Json rows = Json::array();
    Json deliveries = Json::array();
    for (std::size_t i = 0; i < ns.size(); ++i) {
      const auto& n = ns[i];
      rows.push_back({{"n", i},
                      {"case_id", n.case_id ? Json(*n.case_id) : Json(nullptr)},
                      {"reminder_id", n.reminder_id ? Json(*n.reminder_id) : Json(nullptr)},
                      {"kind", n.kind},
                      {"subject", n.subject},
                      {"body", n.body},
                      {"payload", n.payload}});
      for (const auto& d : n.deliveries)
        deliveries.push_back({{"n", i},
                              {"k", deliveries.size()},
                              {"channel", d.channel},
                              {"target", d.target},
                              {"webhook_id", d.webhook_id ? Json(*d.webhook_id) : Json(nullptr)}});
    }
    t_.exec_prepared("notifications_insert", rows.dump(), deliveries.dump(), Micros(now));
  }

  std::optional<workflow::StoredResponse> ClaimIdempotencyKey(const std::string& scope,
                                                              const std::string& key,
                                                              const std::string& hash) override {
    if (!t_.exec_prepared("idempotency_claim", scope, key, hash).empty()) return std::nullopt;
    auto r = t_.exec_prepared("idempotency_get", scope, key);
    if (r.empty() || r[0][1].is_null())
      throw workflow::StorageError("an idempotency key could not be read back");
    if (r[0][0].as<std::string>() != hash)
      throw workflow::IdempotencyMismatch(
          "this Idempotency-Key was already used for a different request");
    return workflow::StoredResponse{r[0][1].as<int>(), r[0][2].as<std::string>()};
  }

  void SaveIdempotentResponse(const std::string& scope, const std::string& key,
                              const workflow::StoredResponse& resp) override {
    t_.exec_prepared("idempotency_save", scope, key, resp.status, resp.body);
  }

 private:
  pqxx::work& t_;
  OrganCache& organs_;
  bool organs_changed_ = false;
  bool wrote_history_ = false;
};

// Crash tests only (KANSLI_TEST_FAULT): "in_doubt_after_commit[:N]" commits the first N case
// transitions of the process and then throws pqxx::in_doubt_error, as when the connection
// breaks after the server committed; "in_doubt_after_rollback[:N]" rolls them back and throws
// the same, as when it breaks before. N defaults to 1.
enum class CommitFault { kNone, kAfterCommit, kAfterRollback };

struct CommitFaultSetting {
  CommitFault fault = CommitFault::kNone;
  std::atomic<int> left{0};
};

CommitFaultSetting& CommitFaultFromEnvironment() {
  static CommitFaultSetting* setting = [] {
    auto* s = new CommitFaultSetting();
    const char* env = std::getenv("KANSLI_TEST_FAULT");
    const std::string value = env ? env : "";
    const auto colon = value.find(':');
    const std::string name = value.substr(0, colon);
    if (name == "in_doubt_after_commit") s->fault = CommitFault::kAfterCommit;
    if (name == "in_doubt_after_rollback") s->fault = CommitFault::kAfterRollback;
    int n = 1;
    if (colon != std::string::npos) n = std::atoi(value.c_str() + colon + 1);
    s->left = n > 0 ? n : 1;
    return s;
  }();
  return *setting;
}

// True (once per configured use) when `which` is the fault to inject now.
bool TakeCommitFault(CommitFault which) {
  auto& s = CommitFaultFromEnvironment();
  if (s.fault != which) return false;
  int left = s.left.load();
  while (left > 0)
    if (s.left.compare_exchange_weak(left, left - 1)) return true;
  return false;
}

}  // namespace

std::optional<std::vector<Organ>> OrganCache::Get() {
  std::lock_guard<std::mutex> g(mu_);
  if (!organs_ || std::chrono::steady_clock::now() >= expires_) return std::nullopt;
  return organs_;
}

void OrganCache::Put(std::vector<Organ> organs) {
  std::lock_guard<std::mutex> g(mu_);
  organs_ = std::move(organs);
  expires_ = std::chrono::steady_clock::now() + ttl_;
}

void OrganCache::Clear() {
  std::lock_guard<std::mutex> g(mu_);
  organs_.reset();
}

void PrepareStatements(pqxx::connection& c) {
  const std::string cases = kCaseColumns;
  c.prepare("organs_all", "SELECT code, name, kind, parent, presidium FROM organs ORDER BY code");
  c.prepare("organ_upsert",
            "INSERT INTO organs (code, name, kind, parent, presidium) VALUES ($1, $2, $3, $4, $5) "
            "ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, "
            "parent = EXCLUDED.parent, presidium = EXCLUDED.presidium, updated_at = now()");
  c.prepare("meeting_insert",
            "INSERT INTO meetings (organ, date, time, place) VALUES ($1, $2::date, $3, $4) "
            "RETURNING id");
  c.prepare("meeting_lock", std::string("SELECT ") + kMeetingColumns +
                                " FROM meetings m JOIN organs o ON o.code = m.organ "
                                "WHERE m.id = $1 FOR UPDATE OF m");
  c.prepare("meeting_update",
            "UPDATE meetings SET date = $2::date, time = $3, place = $4, cancelled = $5, "
            "updated_at = now() WHERE id = $1");
  c.prepare("case_by_reference", "SELECT id FROM cases WHERE reference = $1");
  c.prepare("case_lock", "SELECT " + cases + " FROM cases WHERE id = $1 FOR UPDATE");
  c.prepare("case_get", "SELECT " + cases + " FROM cases WHERE id = $1");
  c.prepare("history_of", std::string("SELECT ") + kHistoryColumns +
                              " FROM case_history WHERE case_id = $1 ORDER BY seq");
  c.prepare("deadlines_of", std::string("SELECT ") + kDeadlineColumns +
                                " FROM case_deadlines WHERE case_id = $1 ORDER BY seq");
  c.prepare("deadlines_of_many", std::string("SELECT ") + kDeadlineColumns +
                                     " FROM case_deadlines WHERE case_id = ANY($1::bigint[]) "
                                     "ORDER BY case_id, seq");
  c.prepare("reference_next",
            "INSERT INTO reference_counters (prefix, year, last_number) VALUES ($1, $2, 1) "
            "ON CONFLICT (prefix, year) DO UPDATE "
            "SET last_number = reference_counters.last_number + 1 RETURNING last_number");
  c.prepare("reference_reserve",
            "INSERT INTO reference_counters (prefix, year, last_number) VALUES ($1, $2, $3) "
            "ON CONFLICT (prefix, year) DO UPDATE "
            "SET last_number = GREATEST(reference_counters.last_number, EXCLUDED.last_number)");
  c.prepare("case_insert",
            "INSERT INTO cases (reference, type, title, received, state, version, "
            "responsible_organ, consulted_organs, proposed_outcome, outcome, submitters, sender, "
            "answer_by, officer, notes, confidential, reported_unanswered, distributed_on, "
            "created_at, updated_at) VALUES ($1, $2, $3, $4::date, $5, $6, $7, $8::jsonb, $9, "
            "$10, $11::jsonb, $12, $13::date, $14, $15, $16, $17, $18::date, "
            "'epoch'::timestamptz + $19::bigint * interval '1 microsecond', "
            "'epoch'::timestamptz + $20::bigint * interval '1 microsecond') RETURNING id");
  c.prepare("case_update",
            "UPDATE cases SET state = $2, version = $3, responsible_organ = $4, "
            "consulted_organs = $5::jsonb, proposed_outcome = $6, outcome = $7, officer = $8, "
            "answer_by = $9::date, reported_unanswered = $10, distributed_on = $11::date, "
            "updated_at = 'epoch'::timestamptz + $12::bigint * interval '1 microsecond' "
            "WHERE id = $1");
  c.prepare("history_insert",
            "INSERT INTO case_history (case_id, seq, event, from_state, to_state, date, organ, "
            "paragraph, text, details, actor, transition_id, recorded_at) VALUES ($1, $2, $3, $4, "
            "$5, $6::date, $7, $8, $9, $10::jsonb, $11, $12, "
            "'epoch'::timestamptz + $13::bigint * interval '1 microsecond') RETURNING id");
  // Upserts rows 1..n and deletes the rest; the two touch disjoint rows, so
  // one statement does both.
  c.prepare(
      "deadlines_replace",
      "WITH r AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(seq int, kind text, "
      "label text, due date, met_on date, cancelled boolean, basis text, organ text, "
      "latest date, from_meeting_plan boolean)), "
      "d AS (DELETE FROM case_deadlines WHERE case_id = $1 AND seq > (SELECT count(*) FROM r)) "
      "INSERT INTO case_deadlines (case_id, seq, kind, label, due, met_on, cancelled, basis, "
      "organ, latest, from_meeting_plan) SELECT $1, seq, kind, label, due, met_on, cancelled, "
      "basis, organ, latest, from_meeting_plan FROM r "
      "ON CONFLICT (case_id, seq) DO UPDATE SET kind = EXCLUDED.kind, label = EXCLUDED.label, "
      "due = EXCLUDED.due, met_on = EXCLUDED.met_on, cancelled = EXCLUDED.cancelled, "
      "basis = EXCLUDED.basis, organ = EXCLUDED.organ, latest = EXCLUDED.latest, "
      "from_meeting_plan = EXCLUDED.from_meeting_plan");
  c.prepare("meeting_on", std::string("SELECT ") + kMeetingColumns +
                              " FROM meetings m JOIN organs o ON o.code = m.organ "
                              "WHERE m.organ = $1 AND m.date = $2::date AND NOT m.cancelled");
  c.prepare("meeting_get",
            std::string("SELECT ") + kMeetingColumns +
                " FROM meetings m JOIN organs o ON o.code = m.organ WHERE m.id = $1");
  c.prepare("meeting_next", std::string("SELECT ") + kMeetingColumns +
                                " FROM meetings m JOIN organs o ON o.code = m.organ "
                                "WHERE m.organ = $1 AND m.date > $2::date AND NOT m.cancelled "
                                "ORDER BY m.date LIMIT 1");
  c.prepare("meeting_dates",
            "SELECT date::text FROM meetings WHERE organ = $1 AND NOT cancelled ORDER BY date");
  c.prepare("cases_scheduled_around",
            "SELECT DISTINCT case_id FROM case_deadlines WHERE organ = $1 AND latest IS NOT NULL "
            "AND NOT cancelled AND ((from_meeting_plan AND latest >= $2::date "
            "AND due <= $2::date) OR (NOT from_meeting_plan AND "
            "latest >= date_trunc('year', $2::date)::date)) ORDER BY case_id");
  c.prepare("paragraph_next",
            "INSERT INTO paragraph_series (organ, year, last_number) VALUES ($1, $2, 1) "
            "ON CONFLICT (organ, year) DO UPDATE "
            "SET last_number = paragraph_series.last_number + 1 RETURNING last_number");
  c.prepare("paragraph_use",
            "INSERT INTO paragraph_uses (organ, year, number, day) VALUES ($1, $2, $3, $4::date) "
            "ON CONFLICT DO NOTHING RETURNING 1");
  c.prepare("paragraph_used_on",
            "SELECT day::text FROM paragraph_uses WHERE organ = $1 AND year = $2 AND number = $3");
  c.prepare("paragraph_reserve",
            "INSERT INTO paragraph_series (organ, year, last_number) VALUES ($1, $2, $3) "
            "ON CONFLICT (organ, year) DO UPDATE "
            "SET last_number = GREATEST(paragraph_series.last_number, EXCLUDED.last_number)");
  c.prepare("reminder_rules_all",
            "SELECT kind, to_json(days_before)::text, on_the_day, overdue_every, escalate_after "
            "FROM reminder_rules ORDER BY kind");
  c.prepare("reminder_rule_save",
            "INSERT INTO reminder_rules (kind, days_before, on_the_day, overdue_every, "
            "escalate_after) SELECT $1, ARRAY(SELECT jsonb_array_elements_text($2::jsonb)::int), "
            "$3, $4, $5 ON CONFLICT (kind) DO UPDATE SET days_before = EXCLUDED.days_before, "
            "on_the_day = EXCLUDED.on_the_day, overdue_every = EXCLUDED.overdue_every, "
            "escalate_after = EXCLUDED.escalate_after, updated_at = now()");
  c.prepare("recipients_active",
            "SELECT id, name, email, function, organ FROM recipients WHERE active ORDER BY id");
  c.prepare("recipient_insert",
            "INSERT INTO recipients (name, email, function, organ) VALUES ($1, $2, $3, $4) "
            "RETURNING id");
  c.prepare("recipient_deactivate",
            "UPDATE recipients SET active = false WHERE id = $1 AND active");
  c.prepare("webhooks_active", "SELECT id, url, secret FROM webhooks WHERE active ORDER BY id");
  c.prepare("webhook_insert", "INSERT INTO webhooks (url, secret) VALUES ($1, $2) RETURNING id");
  c.prepare("webhook_deactivate", "UPDATE webhooks SET active = false WHERE id = $1 AND active");
  const std::string reminder_rows =
      "SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(deadline_seq int, deadline_kind text, "
      "deadline_due date, step text, fire_on date, fire_at_us bigint, escalate boolean)";
  // Pending reminders that the new plan no longer has are cancelled; the plan's
  // rows are inserted, or made pending again when they had been cancelled.
  c.prepare("reminders_replace",
            "WITH r AS (" + reminder_rows +
                "), gone AS (UPDATE reminders m SET status = 'cancelled', done_at = now(), "
                "note = 'fristen uppfylld, flyttad eller avslutad' WHERE m.case_id = $1 AND "
                "m.status = 'pending' AND NOT EXISTS (SELECT 1 FROM r WHERE r.deadline_seq = "
                "m.deadline_seq AND r.deadline_kind = m.deadline_kind AND r.deadline_due = "
                "m.deadline_due AND r.step = m.step)) "
                "INSERT INTO reminders (case_id, deadline_seq, deadline_kind, deadline_due, step, "
                "fire_on, fire_at, escalate) SELECT $1, deadline_seq, deadline_kind, deadline_due, "
                "step, fire_on, 'epoch'::timestamptz + fire_at_us * interval '1 microsecond', "
                "escalate FROM r ON CONFLICT (case_id, deadline_seq, deadline_kind, deadline_due, "
                "step) DO UPDATE SET status = 'pending', note = NULL, done_at = NULL, "
                "fire_on = EXCLUDED.fire_on, fire_at = EXCLUDED.fire_at, escalate = "
                "EXCLUDED.escalate WHERE reminders.status = 'cancelled'");
  c.prepare("reminders_add",
            "INSERT INTO reminders (case_id, deadline_seq, deadline_kind, deadline_due, step, "
            "fire_on, fire_at, escalate) SELECT case_id, deadline_seq, deadline_kind, "
            "deadline_due, step, fire_on, 'epoch'::timestamptz + fire_at_us * interval '1 "
            "microsecond', escalate FROM jsonb_to_recordset($1::jsonb) AS x(case_id bigint, "
            "deadline_seq int, deadline_kind text, deadline_due date, step text, fire_on date, "
            "fire_at_us bigint, escalate boolean) ON CONFLICT DO NOTHING");
  c.prepare("cases_by_ids", "SELECT " + cases + " FROM cases WHERE id = ANY($1::bigint[])");
  c.prepare("history_last_of_many",
            std::string("SELECT DISTINCT ON (case_id) ") + kHistoryColumns +
                " FROM case_history WHERE case_id = ANY($1::bigint[]) ORDER BY case_id, seq DESC");
  c.prepare("reminders_finish",
            "UPDATE reminders m SET status = x.status, note = x.note, done_at = now() FROM "
            "jsonb_to_recordset($1::jsonb) AS x(id bigint, status text, note text) "
            "WHERE m.id = x.id");
  c.prepare("notifications_insert",
            "WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(n int, case_id bigint, "
            "reminder_id bigint, kind text, subject text, body text, payload jsonb)), "
            "ins AS (INSERT INTO notifications (case_id, reminder_id, kind, subject, body, "
            "payload, created_at) SELECT case_id, reminder_id, kind, subject, body, payload, "
            "'epoch'::timestamptz + $3::bigint * interval '1 microsecond' FROM x ORDER BY n "
            "RETURNING id, reminder_id, case_id, created_at), "
            "numbered AS (SELECT ins.*, x.n FROM ins JOIN x ON x.reminder_id IS NOT DISTINCT FROM "
            "ins.reminder_id AND x.case_id IS NOT DISTINCT FROM ins.case_id) "
            "INSERT INTO deliveries (notification_id, channel, target, webhook_id, "
            "next_attempt_at) SELECT numbered.id, d.channel, d.target, d.webhook_id, "
            "numbered.created_at FROM jsonb_to_recordset($2::jsonb) AS d(n int, k int, channel "
            "text, target text, webhook_id bigint) JOIN numbered ON numbered.n = d.n ORDER BY d.k");
  c.prepare("reminders_claim",
            "SELECT id, case_id, deadline_seq, deadline_kind, deadline_due::text, step, "
            "fire_on::text, (extract(epoch FROM fire_at) * 1000000)::bigint, escalate "
            "FROM reminders WHERE status = 'pending' AND "
            "fire_at <= 'epoch'::timestamptz + $1::bigint * interval '1 microsecond' "
            "ORDER BY fire_at, id LIMIT $2 FOR UPDATE SKIP LOCKED");
  c.prepare("idempotency_claim",
            "INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING RETURNING 1");
  c.prepare(
      "idempotency_get",
      "SELECT request_hash, status, body FROM idempotency_keys WHERE scope = $1 AND key = $2");
  c.prepare("idempotency_save",
            "UPDATE idempotency_keys SET status = $3, body = $4 WHERE scope = $1 AND key = $2");
  c.prepare("transition_exists", "SELECT 1 FROM case_history WHERE transition_id = $1 LIMIT 1");
  c.prepare("token_insert", "INSERT INTO api_tokens (name, role, token_hash) VALUES ($1, $2, $3)");
  c.prepare("token_by_hash",
            "SELECT id, name, role FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL");
  c.prepare("token_list",
            "SELECT id, name, role, revoked_at IS NOT NULL FROM api_tokens ORDER BY id");
  c.prepare("token_revoke",
            "UPDATE api_tokens SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL");
}

// --- PgTransactions -------------------------------------------------------

bool PgTransactions::TransitionCommitted(const std::string& transition_id,
                                         std::chrono::steady_clock::time_point started) {
  // A fresh connection: the old one broke during COMMIT. The database may be restarting
  // (crash recovery, then the pool's probe): keep looking while the request's time allows (a
  // lease limit from its start, plus a moment), rather than answer that the outcome is not known;
  // past that, the answer says it is not known, and a retry with the same Idempotency-Key
  // settles it.
  const auto now = std::chrono::steady_clock::now();
  const auto limit = pool_.settings().lease_limit.count() > 0 ? pool_.settings().lease_limit
                                                              : std::chrono::milliseconds(12000);
  const auto until =
      std::max(started + limit + std::chrono::seconds(2), now + std::chrono::seconds(1));
  std::string last_error;
  while (std::chrono::steady_clock::now() < until) {
    try {
      auto lease = pool_.Acquire(until);
      try {
        pqxx::read_transaction t(*lease);
        return !t.exec_prepared("transition_exists", transition_id).empty();
      } catch (...) {
        // Most likely an idle connection that broke with the database: never lend it again.
        lease.Discard();
        throw;
      }
    } catch (const std::exception& e) {
      last_error = e.what();
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
  spdlog::warn("event=commit_in_doubt_unresolved transition={} last_error=\"{}\"", transition_id,
               last_error.substr(0, last_error.find('\n')));
  throw workflow::Unavailable(
      "the database connection broke while saving; whether the change was saved is not known "
      "yet: reload the case before trying again");
}

void PgTransactions::Run(const std::string& transition_id,
                         const std::function<void(workflow::UnitOfWork&)>& work) {
  constexpr int kAttempts = 5;
  const auto started = std::chrono::steady_clock::now();
  for (int attempt = 1;; ++attempt) {
    auto lease = pool_.Acquire();
    bool transition = false;  // the unit of work wrote case history rows under transition_id
    try {
      pqxx::work t(*lease);
      PgUnitOfWork uow(t, organs_);
      work(uow);
      transition = uow.wrote_history();
      if (transition && TakeCommitFault(CommitFault::kAfterRollback)) {
        t.abort();
        spdlog::warn("event=test_fault fault=in_doubt_after_rollback transition={}", transition_id);
        throw pqxx::in_doubt_error("test fault: rolled back, then reported in doubt");
      }
      t.commit();
      // Another transaction may have cached the old organs meanwhile.
      if (uow.organs_changed()) organs_.Clear();
      if (transition && TakeCommitFault(CommitFault::kAfterCommit)) {
        spdlog::warn("event=test_fault fault=in_doubt_after_commit transition={}", transition_id);
        throw pqxx::in_doubt_error("test fault: committed, then reported in doubt");
      }
      return;
    } catch (const pqxx::in_doubt_error&) {
      lease.Discard();
      spdlog::warn("event=commit_in_doubt transition={}", transition_id);
      // Only a case transition leaves a row to look up; for any other change (a meeting, an
      // organ, a replayed answer) the outcome cannot be told, so it is not claimed either way.
      if (!transition)
        throw workflow::Unavailable(
            "the database connection broke while saving; whether the change was saved is not "
            "known: reload before trying again");
      if (TransitionCommitted(transition_id, started)) return;
      throw workflow::Unavailable("the database connection broke while saving; nothing was saved");
    } catch (const pqxx::broken_connection&) {
      lease.Discard();
      throw workflow::Unavailable("the database is not reachable");
    } catch (const pqxx::transaction_rollback&) {
      // Deadlock victim or serialization failure: nothing was written, so the
      // whole unit of work can run again.
      if (attempt < kAttempts) continue;
      throw workflow::Unavailable("the database was too busy to save the change; try again");
    } catch (const pqxx::sql_error& e) {
      if (IsRetryable(e) && attempt < kAttempts) continue;
      if (!lease->is_open()) lease.Discard();
      ThrowTranslated(e);
    }
  }
}

// --- PgCaseReader ---------------------------------------------------------

std::optional<Case> PgCaseReader::GetCase(std::int64_t id) {
  return ReadOnly(pool_, [&](pqxx::read_transaction& t) -> std::optional<Case> {
    auto r = t.exec_prepared("case_get", id);
    if (r.empty()) return std::nullopt;
    Case c = CaseFromRow(r[0]);
    for (const auto& d : t.exec_prepared("deadlines_of", id))
      c.deadlines.push_back(DeadlineFromRow(d));
    return c;
  });
}

workflow::CasePage PgCaseReader::ListCases(const workflow::CaseFilter& f) {
  return ReadOnly(pool_, [&](pqxx::read_transaction& t) -> workflow::CasePage {
    // Filters are parameters ($n), never spliced into the SQL text.
    std::string where = " WHERE true";
    Params params;
    auto param = [&](std::optional<std::string> v) { return params.Add(std::move(v)); };
    if (f.type) where += " AND c.type = " + param(f.type);
    if (f.state) where += " AND c.state = " + param(f.state);
    if (f.organ) {
      const auto p = param(f.organ);
      where += " AND (c.responsible_organ = " + p + " OR c.consulted_organs ? " + p + ")";
    }
    if (f.year)
      where += " AND extract(year FROM c.received) = " + param(std::to_string(*f.year)) + "::int";
    if (f.reference) where += " AND c.reference = " + param(f.reference);
    if (f.overdue) {
      where += std::string(*f.overdue ? " AND " : " AND NOT ") +
               "EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.met_on IS "
               "NULL AND NOT d.cancelled AND d.due < " +
               param(workflow::FormatDate(f.today)) + "::date)";
    }
    std::string order = "c.received DESC, c.id DESC";
    if (f.q) {
      // Swedish full-text search: each word of q must start a word of the
      // case (Swedish stems, or å/ä/ö folded); ranked, title words first.
      // Only letters and digits reach to_tsquery, so q cannot inject its syntax.
      const std::string tsq = PrefixQuery(*f.q);
      if (tsq.empty()) {
        where += " AND false";
      } else {
        const auto p = param(tsq);
        const std::string query =
            "(to_tsquery('swedish', " + p + ") || to_tsquery('simple', kansli_fold(" + p + ")))";
        if (!f.search_confidential) where += " AND NOT c.confidential";
        where += " AND c.search @@ " + query;
        order = "ts_rank(c.search, " + query + ") DESC, " + order;
      }
    }
    const std::string count_sql = "SELECT count(*) FROM cases c" + where;
    const std::string page_sql = "SELECT " + std::string(kCaseColumns) + " FROM cases c" + where +
                                 " ORDER BY " + order + " LIMIT " + std::to_string(f.limit) +
                                 " OFFSET " + std::to_string(f.offset);
    workflow::CasePage page;
    page.total = params.Exec(t, count_sql)[0][0].as<long long>();
    auto rows = params.Exec(t, page_sql);
    std::string ids = "{";
    for (const auto& r : rows) {
      page.items.push_back(CaseFromRow(r));
      ids += (ids.size() > 1 ? "," : "") + std::to_string(page.items.back().id);
    }
    ids += "}";
    if (!page.items.empty()) {
      std::map<long long, std::vector<Deadline>> by_case;
      for (const auto& d : t.exec_prepared("deadlines_of_many", ids))
        by_case[d[0].as<long long>()].push_back(DeadlineFromRow(d));
      for (auto& c : page.items) c.deadlines = std::move(by_case[c.id]);
    }
    return page;
  });
}

workflow::DeadlinePage PgCaseReader::ListDeadlines(const workflow::DeadlineFilter& f) {
  return ReadOnly(pool_, [&](pqxx::read_transaction& t) -> workflow::DeadlinePage {
    // Open deadlines only: the partial index case_deadlines_open_due serves the order.
    std::string where = " WHERE d.met_on IS NULL AND NOT d.cancelled";
    Params params;
    auto param = [&](std::optional<std::string> v) { return params.Add(std::move(v)); };
    if (f.organ) {
      const auto p = param(f.organ);
      where += " AND (d.organ = " + p + " OR c.responsible_organ = " + p + ")";
    }
    if (f.kind) where += " AND d.kind = " + param(f.kind);
    if (f.type) where += " AND c.type = " + param(f.type);
    if (f.overdue)
      where += std::string(" AND d.due ") + (*f.overdue ? "<" : ">=") + " " +
               param(workflow::FormatDate(f.today)) + "::date";
    if (f.due_before)
      where += " AND d.due < " + param(workflow::FormatDate(*f.due_before)) + "::date";
    const std::string from = " FROM case_deadlines d JOIN cases c ON c.id = d.case_id";
    workflow::DeadlinePage page;
    // Without a filter on the case, the count needs no join (an index-only scan).
    const std::string count_from = f.organ || f.type ? from : std::string(" FROM case_deadlines d");
    page.total = params.Exec(t, "SELECT count(*)" + count_from + where)[0][0].as<long long>();
    const std::string sql = std::string("SELECT ") + kDeadlineColumnsD + ", " + kSummaryColumns +
                            from + where + " ORDER BY d.due, d.case_id, d.seq LIMIT " +
                            std::to_string(f.limit) + " OFFSET " + std::to_string(f.offset);
    for (const auto& r : params.Exec(t, sql)) {
      workflow::CaseDeadline item;
      item.deadline = DeadlineFromRow(r);
      item.case_summary = SummaryFromRow(r, kDeadlineWidth);
      page.items.push_back(std::move(item));
    }
    return page;
  });
}

std::vector<HistoryEntry> PgCaseReader::History(std::int64_t case_id) {
  return ReadOnly(pool_, [&](pqxx::read_transaction& t) { return ReadHistory(t, case_id); });
}

std::vector<Organ> PgCaseReader::Organs() {
  if (organs_)
    if (auto cached = organs_->Get()) return *cached;
  auto fresh = ReadOnly(pool_, [&](pqxx::read_transaction& t) { return ReadOrgans(t); });
  if (organs_) organs_->Put(fresh);
  return fresh;
}

std::optional<workflow::Meeting> PgCaseReader::GetMeeting(std::int64_t id) {
  return ReadOnly(pool_, [&](pqxx::read_transaction& t) -> std::optional<workflow::Meeting> {
    auto r = t.exec_prepared("meeting_get", id);
    if (r.empty()) return std::nullopt;
    return MeetingFromRow(r[0]);
  });
}

std::optional<workflow::Meeting> PgCaseReader::NextMeeting(const std::string& organ,
                                                           const Date& day) {
  return ReadOnly(pool_, [&](pqxx::read_transaction& t) -> std::optional<workflow::Meeting> {
    auto r = t.exec_prepared("meeting_next", organ, workflow::FormatDate(day));
    if (r.empty()) return std::nullopt;
    return MeetingFromRow(r[0]);
  });
}

namespace {

constexpr const char* kOpen = "d.met_on IS NULL AND NOT d.cancelled";

// One section of an agenda: parameters $1 meeting organ, $2 meeting day,
// $3 end of due_before_next_meeting, $4 subject organ, $5 limit.
std::string AgendaSql(const std::string& code) {
  const std::string open = kOpen;
  const std::string here =
      "d.organ = $1 AND d.latest IS NOT NULL AND d.from_meeting_plan AND "
      "d.due = $2::date";
  // Deadline sections: the organ's own deadlines and those of the cases it is
  // responsible for (each branch uses its own index).
  // Every parameter typed once, whether a section uses it or not.
  const std::string with =
      "WITH params AS (SELECT $1::text, $2::date, $3::date, $4::text, $5::int) ";
  auto deadlines = [&](const std::string& cond) {
    return with +
           ", hits AS (SELECT d.case_id, d.seq FROM case_deadlines d WHERE d.organ = $1 AND " +
           open + " AND " + cond +
           " UNION SELECT d.case_id, d.seq FROM cases c JOIN case_deadlines d ON d.case_id = c.id "
           "WHERE c.responsible_organ = $1 AND " +
           open + " AND " + cond + ") SELECT count(*) OVER (), " + kDeadlineColumnsD + ", " +
           kSummaryColumns +
           " FROM hits h JOIN case_deadlines d ON d.case_id = h.case_id AND d.seq = h.seq "
           "JOIN cases c ON c.id = d.case_id ORDER BY d.due, d.case_id, d.seq LIMIT $5";
  };
  if (code == "scheduled_here")
    return with + "SELECT count(*) OVER (), " + kDeadlineColumnsD + ", " + kSummaryColumns +
           " FROM case_deadlines d JOIN cases c ON c.id = d.case_id WHERE " + here + " AND " +
           open + " ORDER BY d.kind, d.case_id, d.seq LIMIT $5";
  if (code == "due_before_next_meeting")
    return deadlines("d.due >= $2::date AND d.due < $3::date AND NOT (" + here + ")");
  if (code == "overdue") return deadlines("d.due < $2::date");
  // Case sections: each case with its most urgent open deadline.
  std::string cond;
  const std::string council_case =
      "EXISTS (SELECT 1 FROM case_deadlines k WHERE k.case_id = c.id AND k.kind = "
      "'decision_due' AND k.organ = $4 AND k.met_on IS NULL AND NOT k.cancelled)";
  if (code == "ready_for_decision")
    cond = "c.type = 'motion' AND c.state = 'ready_for_council' AND " + council_case;
  else if (code == "to_distribute")
    cond = "c.type = 'motion' AND c.state = 'registered' AND " + council_case;
  else if (code == "board_preparation")
    cond = "c.type = 'motion' AND c.state IN ('answered', 'board_preparation') AND " + council_case;
  else if (code == "proposal_ready")
    cond =
        "c.responsible_organ = $4 AND ((c.type = 'remiss' AND c.state = 'proposal_ready') OR "
        "(c.type = 'motion' AND c.state = 'in_preparation' AND c.proposed_outcome IS NOT NULL))";
  else if (code == "needs_proposal")
    cond =
        "c.responsible_organ = $4 AND c.type = 'remiss' AND "
        "c.state IN ('distributed', 'in_preparation')";
  else if (code == "in_preparation")
    cond =
        "c.responsible_organ = $4 AND c.type = 'motion' AND "
        "c.state IN ('distributed', 'in_preparation')";
  else
    throw workflow::StorageError("unknown agenda section '" + code + "'");
  return with + "SELECT count(*) OVER (), " + kDeadlineColumnsD + ", " + kSummaryColumns +
         " FROM cases c LEFT JOIN LATERAL (SELECT * FROM case_deadlines d WHERE d.case_id = c.id "
         "AND " +
         open + " ORDER BY d.due, d.seq LIMIT 1) d ON true WHERE " + cond +
         " ORDER BY d.due NULLS LAST, c.id LIMIT $5";
}

}  // namespace

std::vector<workflow::AgendaSection> PgCaseReader::ReadAgenda(const workflow::AgendaRequest& req) {
  return ReadOnly(pool_, [&](pqxx::read_transaction& t) {
    std::vector<workflow::AgendaSection> out;
    const std::string day = workflow::FormatDate(req.meeting.date);
    const std::string until = workflow::FormatDate(req.until);
    for (const auto& code : req.sections) {
      workflow::AgendaSection section;
      section.code = code;
      for (const auto& r : t.exec_params(AgendaSql(code), req.meeting.organ, day, until,
                                         req.subject_organ, req.limit)) {
        section.total = r[0].as<long long>();
        workflow::AgendaItem item;
        if (!r[1].is_null()) item.deadline = DeadlineFromRow(r, 1);
        item.case_summary = SummaryFromRow(r, 1 + kDeadlineWidth);
        section.items.push_back(std::move(item));
      }
      out.push_back(std::move(section));
    }
    return out;
  });
}

std::vector<workflow::Meeting> PgCaseReader::ListMeetings(const workflow::MeetingFilter& f) {
  return ReadOnly(pool_, [&](pqxx::read_transaction& t) {
    std::string where = " WHERE true";
    Params params;
    auto param = [&](std::optional<std::string> v) { return params.Add(std::move(v)); };
    if (f.organ) where += " AND m.organ = " + param(f.organ);
    if (f.from) where += " AND m.date >= " + param(workflow::FormatDate(*f.from)) + "::date";
    if (f.to) where += " AND m.date <= " + param(workflow::FormatDate(*f.to)) + "::date";
    if (!f.include_cancelled) where += " AND NOT m.cancelled";
    const std::string sql = std::string("SELECT ") + kMeetingColumns +
                            " FROM meetings m JOIN organs o ON o.code = m.organ" + where +
                            " ORDER BY m.date, m.organ, m.id";
    std::vector<workflow::Meeting> out;
    for (const auto& r : params.Exec(t, sql)) out.push_back(MeetingFromRow(r));
    return out;
  });
}

workflow::NotificationPage PgCaseReader::ListNotifications(const workflow::NotificationFilter& f) {
  return ReadOnly(pool_, [&](pqxx::read_transaction& t) {
    std::string where = " WHERE true";
    Params params;
    auto param = [&](std::optional<std::string> v) { return params.Add(std::move(v)); };
    if (f.case_id) where += " AND n.case_id = " + param(std::to_string(*f.case_id)) + "::bigint";
    if (f.status) {
      const std::string exists =
          "EXISTS (SELECT 1 FROM deliveries d WHERE d.notification_id = n.id";
      if (*f.status == "pending") where += " AND " + exists + " AND d.status = 'pending')";
      if (*f.status == "dead") where += " AND " + exists + " AND d.status = 'dead')";
      if (*f.status == "sent") where += " AND NOT " + exists + " AND d.status <> 'sent')";
    }
    workflow::NotificationPage page;
    page.total =
        params.Exec(t, "SELECT count(*) FROM notifications n" + where)[0][0].as<long long>();
    const std::string sql =
        "SELECT n.id, n.case_id, c.reference, n.kind, n.subject, n.body, "
        "(extract(epoch FROM n.created_at) * 1000000)::bigint FROM notifications n "
        "LEFT JOIN cases c ON c.id = n.case_id" +
        where + " ORDER BY n.id DESC LIMIT " + std::to_string(f.limit) + " OFFSET " +
        std::to_string(f.offset);
    std::string ids = "{";
    for (const auto& r : params.Exec(t, sql)) {
      workflow::NotificationView v;
      v.id = r[0].as<long long>();
      if (!r[1].is_null()) v.case_id = r[1].as<long long>();
      v.case_reference = Str(r[2]);
      v.kind = r[3].as<std::string>();
      v.subject = r[4].as<std::string>();
      v.body = r[5].as<std::string>();
      v.created_at = FromMicros(r[6].as<long long>());
      ids += (ids.size() > 1 ? "," : "") + std::to_string(v.id);
      page.items.push_back(std::move(v));
    }
    ids += "}";
    if (page.items.empty()) return page;
    std::map<long long, std::vector<workflow::DeliveryStatus>> by_notification;
    for (const auto& r :
         t.exec_params("SELECT notification_id, id, channel, target, status, attempts, last_error, "
                       "(extract(epoch FROM next_attempt_at) * 1000000)::bigint, "
                       "(extract(epoch FROM sent_at) * 1000000)::bigint FROM deliveries "
                       "WHERE notification_id = ANY($1::bigint[]) ORDER BY id",
                       ids)) {
      workflow::DeliveryStatus d;
      d.id = r[1].as<long long>();
      d.channel = r[2].as<std::string>();
      d.target = r[3].as<std::string>();
      d.status = r[4].as<std::string>();
      d.attempts = r[5].as<int>();
      d.last_error = Str(r[6]);
      if (d.status == "pending") d.next_attempt_at = FromMicros(r[7].as<long long>());
      if (!r[8].is_null()) d.sent_at = FromMicros(r[8].as<long long>());
      by_notification[r[0].as<long long>()].push_back(std::move(d));
    }
    for (auto& v : page.items) v.deliveries = std::move(by_notification[v.id]);
    return page;
  });
}

// --- Reports (the KL 5 kap. 35 § report, the calendar feed) ---------------

namespace {
// Both statements of a report read the same snapshot.
void SameSnapshot(pqxx::transaction_base& t) {
  t.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
}
}  // namespace

std::vector<workflow::MotionRecord> PgCaseReader::MotionsOpenOn(
    const Date& as_of, const std::vector<std::string>& final_states) {
  return ReadOnly(pool_, [&](pqxx::read_transaction& t) {
    SameSnapshot(t);
    const std::string day = workflow::FormatDate(as_of);
    std::string finals = "{";
    for (const auto& state : final_states) {
      if (finals.size() > 1) finals += ",";
      finals += "\"";
      for (char ch : state) {
        if (ch == '"' || ch == '\\') finals += '\\';
        finals += ch;
      }
      finals += "\"";
    }
    finals += "}";
    std::vector<workflow::MotionRecord> out;
    std::map<long long, std::size_t> at;
    std::string ids = "{";
    for (const auto& r : t.exec_params(
             std::string("SELECT ") + kCaseColumns +
                 " FROM cases c WHERE c.type = 'motion' AND c.received <= $1::date AND NOT "
                 "EXISTS (SELECT 1 FROM case_history h WHERE h.case_id = c.id AND h.date <= "
                 "$1::date AND h.to_state = ANY($2::text[])) ORDER BY c.id",
             day, finals)) {
      workflow::MotionRecord m;
      m.motion = CaseFromRow(r);
      at[m.motion.id] = out.size();
      ids += (ids.size() > 1 ? "," : "") + std::to_string(m.motion.id);
      out.push_back(std::move(m));
    }
    ids += "}";
    if (out.empty()) return out;
    for (const auto& r : t.exec_params(std::string("SELECT ") + kHistoryColumns +
                                           " FROM case_history WHERE case_id = ANY($1::bigint[]) "
                                           "AND date <= $2::date ORDER BY case_id, seq",
                                       ids, day)) {
      HistoryEntry h = HistoryFromRow(r);
      out[at.at(h.case_id)].history.push_back(std::move(h));
    }
    return out;
  });
}

workflow::CalendarEntries PgCaseReader::ReadCalendar(const workflow::CalendarFilter& f) {
  return ReadOnly(pool_, [&](pqxx::read_transaction& t) {
    SameSnapshot(t);
    const std::string from = workflow::FormatDate(f.from);
    workflow::CalendarEntries out;
    {
      Params params;
      std::string where = " WHERE NOT m.cancelled AND m.date >= " + params.Add(from) + "::date";
      if (f.organ) where += " AND m.organ = " + params.Add(f.organ);
      for (const auto& r : params.Exec(t, std::string("SELECT ") + kMeetingColumns +
                                              " FROM meetings m JOIN organs o ON o.code = m.organ" +
                                              where + " ORDER BY m.date, m.organ, m.id"))
        out.meetings.push_back(MeetingFromRow(r));
    }
    Params params;
    // Open deadlines: the partial indexes on (due) and (organ, due) serve this.
    std::string where =
        " WHERE d.met_on IS NULL AND NOT d.cancelled AND d.due >= " + params.Add(from) + "::date";
    if (f.organ) {
      const auto p = params.Add(f.organ);
      where += " AND (d.organ = " + p + " OR c.responsible_organ = " + p + ")";
    }
    for (const auto& r :
         params.Exec(t, std::string("SELECT d.seq, ") + kDeadlineColumnsD + ", " + kSummaryColumns +
                            " FROM case_deadlines d JOIN cases c ON c.id = d.case_id" + where +
                            " ORDER BY d.due, d.case_id, d.seq")) {
      workflow::CalendarDeadline item;
      item.seq = r[0].as<int>();
      item.deadline = DeadlineFromRow(r, 1);
      item.case_summary = SummaryFromRow(r, 1 + kDeadlineWidth);
      out.deadlines.push_back(std::move(item));
    }
    return out;
  });
}

workflow::CaseStats PgCaseReader::Stats(const workflow::Date& today) {
  return ReadOnly(pool_, [&](pqxx::read_transaction& t) {
    workflow::CaseStats st;
    // Open = every state but the closed ones of each type.
    const std::string open =
        "NOT ((c.type = 'motion' AND c.state IN ('decided', 'written_off', 'withdrawn')) OR "
        "(c.type = 'remiss' AND c.state IN ('answered', 'declined', 'withdrawn')))";
    for (const auto& r :
         t.exec("SELECT c.type, c.state, c.responsible_organ, count(*) FROM cases c "
                "WHERE " +
                open + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")) {
      const std::string type = r[0].as<std::string>(), state = r[1].as<std::string>();
      const auto organ = Str(r[2]);
      const long long n = r[3].as<long long>();
      st.open_total += n;
      auto add = [&](std::vector<workflow::CaseStats::Count>& v, const auto& same,
                     workflow::CaseStats::Count c) {
        for (auto& x : v)
          if (same(x)) {
            x.count += n;
            return;
          }
        c.count = n;
        v.push_back(c);
      };
      add(st.by_type, [&](const auto& x) { return x.type == type; }, {type, "", std::nullopt, 0});
      add(st.by_state, [&](const auto& x) { return x.type == type && x.state == state; },
          {type, state, std::nullopt, 0});
      add(st.by_organ, [&](const auto& x) { return x.organ == organ; }, {"", "", organ, 0});
    }
    st.overdue_cases =
        t.exec_params(
             "SELECT count(DISTINCT d.case_id) FROM case_deadlines d WHERE d.met_on IS "
             "NULL AND NOT d.cancelled AND d.due < $1::date",
             workflow::FormatDate(today))[0][0]
            .as<long long>();
    return st;
  });
}

// --- Outbox ---------------------------------------------------------------

std::vector<workflow::Delivery> PgOutbox::Claim(const std::string& worker, workflow::Instant now,
                                                std::chrono::seconds lease, int limit) {
  return Write(pool_, [&](pqxx::work& t) {
    const std::string sql =
        "WITH c AS (UPDATE deliveries d SET claimed_by = $1, lease_until = " + At(2) +
        " + $3::int * interval '1 second' WHERE d.id IN (SELECT id FROM deliveries WHERE "
        "status = 'pending' AND next_attempt_at <= " +
        At(2) + " AND (lease_until IS NULL OR lease_until <= " + At(2) +
        ") ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING d.*) "
        "SELECT c.id, c.notification_id, c.channel, c.target, coalesce(w.secret, ''), "
        "n.subject, n.body, n.payload::text, c.attempts FROM c JOIN notifications n ON n.id = "
        "c.notification_id LEFT JOIN webhooks w ON w.id = c.webhook_id ORDER BY c.id";
    std::vector<workflow::Delivery> out;
    for (const auto& r :
         t.exec_params(sql, worker, Micros(now), static_cast<int>(lease.count()), limit)) {
      workflow::Delivery d;
      d.id = r[0].as<long long>();
      d.notification_id = r[1].as<long long>();
      d.channel = r[2].as<std::string>();
      d.target = r[3].as<std::string>();
      d.secret = r[4].as<std::string>();
      d.subject = r[5].as<std::string>();
      d.body = r[6].as<std::string>();
      d.payload = r[7].as<std::string>();
      d.attempts = r[8].as<int>();
      out.push_back(std::move(d));
    }
    return out;
  });
}

bool PgOutbox::MarkSent(std::int64_t id, const std::string& worker, workflow::Instant now) {
  return Write(pool_, [&](pqxx::work& t) {
    return t.exec_params("UPDATE deliveries SET status = 'sent', sent_at = " + At(3) +
                             ", attempts = attempts + 1, claimed_by = NULL, lease_until = "
                             "NULL WHERE id = $1 AND claimed_by = $2 AND status = 'pending'",
                         id, worker, Micros(now))
               .affected_rows() > 0;
  });
}

bool PgOutbox::MarkFailed(std::int64_t id, const std::string& worker, const std::string& error,
                          workflow::Instant next_attempt, bool dead) {
  return Write(pool_, [&](pqxx::work& t) {
    return t.exec_params(
                "UPDATE deliveries SET attempts = attempts + 1, last_error = left($3, 1000), "
                "next_attempt_at = " +
                    At(4) +
                    ", status = CASE WHEN $5 THEN 'dead' ELSE 'pending' END, claimed_by = "
                    "NULL, lease_until = NULL WHERE id = $1 AND claimed_by = $2 AND status = "
                    "'pending'",
                id, worker, error, Micros(next_attempt), dead)
               .affected_rows() > 0;
  });
}

bool PgOutbox::Retry(std::int64_t id, workflow::Instant now) {
  return Write(pool_, [&](pqxx::work& t) {
    return t.exec_params(
                "UPDATE deliveries SET status = 'pending', attempts = 0, "
                "next_attempt_at = " +
                    At(2) + " WHERE id = $1 AND status = 'dead'",
                id, Micros(now))
               .affected_rows() > 0;
  });
}

// --- Tokens ---------------------------------------------------------------

std::string Sha256Hex(const std::string& text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr);
  return Hex(md, len);
}

std::string PgTokenStore::Create(const std::string& name, const std::string& role) {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw workflow::StorageError("no randomness available");
  const std::string token = "kansli_" + Hex(bytes, sizeof bytes);
  Guarded([&] {
    auto lease = pool_.Acquire();
    pqxx::work t(*lease);
    try {
      t.exec_prepared("token_insert", name, role, Sha256Hex(token));
    } catch (const pqxx::unique_violation&) {
      throw workflow::Conflict("a token named '" + name + "' already exists");
    }
    t.commit();
  });
  return token;
}

std::optional<workflow::ApiToken> PgTokenStore::Verify(const std::string& token) {
  const std::string hash = Sha256Hex(token);
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> g(mu_);
    auto it = cache_.find(hash);
    if (it != cache_.end() && it->second.expires > now) return it->second.token;
  }
  auto found = ReadOnly(pool_, [&](pqxx::read_transaction& t) -> std::optional<workflow::ApiToken> {
    auto r = t.exec_prepared("token_by_hash", hash);
    if (r.empty()) return std::nullopt;
    return workflow::ApiToken{r[0][0].as<long long>(), r[0][1].as<std::string>(),
                              r[0][2].as<std::string>(), false};
  });
  std::lock_guard<std::mutex> g(mu_);
  if (cache_.size() > 10000) cache_.clear();  // bounded: random bad tokens must not grow it
  cache_[hash] = Cached{found, now + ttl_};
  return found;
}

std::vector<workflow::ApiToken> PgTokenStore::List() {
  return ReadOnly(pool_, [&](pqxx::read_transaction& t) {
    std::vector<workflow::ApiToken> out;
    for (const auto& r : t.exec_prepared("token_list"))
      out.push_back(
          {r[0].as<long long>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<bool>()});
    return out;
  });
}

bool PgTokenStore::Revoke(const std::string& name) {
  return Guarded([&] {
    auto lease = pool_.Acquire();
    pqxx::work t(*lease);
    auto r = t.exec_prepared("token_revoke", name);
    t.commit();
    std::lock_guard<std::mutex> g(mu_);
    cache_.clear();
    return r.affected_rows() > 0;
  });
}

// --- Status ---------------------------------------------------------------

std::string PgSystemStatus::NotReadyReason() {
  try {
    auto lease = pool_.Acquire();
    try {
      return SchemaProblem(*lease);
    } catch (const pqxx::broken_connection&) {
      lease.Discard();
      return "the database is not reachable";
    }
  } catch (const workflow::Unavailable& e) {
    return e.what();
  } catch (const std::exception&) {
    return "the database is not reachable";
  }
}

}  // namespace kansli::persistence
