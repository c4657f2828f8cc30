#include "workflow/case_service.h"

#include <algorithm>
#include <cctype>
#include <random>
#include <set>

#include "states/machine.h"
#include "workflow/errors.h"

namespace kansli::workflow {

namespace {

std::string NewTransitionId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* kHex = "0123456789abcdef";
  std::string id(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t v = rng();
    for (int i = 0; i < 16; ++i) id[half * 16 + i] = kHex[(v >> (i * 4)) & 0xF];
  }
  return id;
}

const Organ* FindOrgan(const std::vector<Organ>& organs, const std::string& code) {
  for (const auto& o : organs)
    if (o.code == code) return &o;
  return nullptr;
}

void RequireOrgan(const std::vector<Organ>& organs, const std::string& field,
                  const std::string& code) {
  if (!FindOrgan(organs, code))
    throw ValidationError(field, "unknown organ '" + code + "' in '" + field + "'");
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// Fields that events of other kinds do not take: rejecting them keeps a
// misdirected field from being silently ignored.
void RejectForeignFields(const std::string& type, const EventCommand& e) {
  const auto specs = EventFields(type, e.event);
  auto takes = [&](const char* name) {
    return std::any_of(specs.begin(), specs.end(),
                       [&](const FieldSpec& f) { return f.name == name; });
  };
  auto check = [&](bool present, const char* name) {
    if (present && !takes(name))
      throw ValidationError(
          name, std::string("'") + name + "' does not apply to the event '" + e.event + "'");
  };
  check(e.to.has_value(), "to");
  check(!e.consult.empty(), "consult");
  check(e.assignee.has_value(), "assignee");
  check(e.due.has_value(), "due");
  check(e.from.has_value(), "from");
  check(e.outcome.has_value(), "outcome");
  check(e.reason.has_value(), "reason");
  check(e.officer.has_value(), "officer");
  check(e.answer_by.has_value(), "answer_by");
  check(e.delegation.has_value(), "delegation");
  for (const auto& f : specs) {
    if (!f.required) continue;
    const bool given = (f.name == "to" && e.to) || (f.name == "assignee" && e.assignee) ||
                       (f.name == "from" && e.from) || (f.name == "outcome" && e.outcome) ||
                       (f.name == "answer_by" && e.answer_by);
    if (!given)
      throw ValidationError(
          f.name, "the event '" + e.event + "' needs '" + f.name + "' (" + f.description + ")");
  }
}

// The chain whose proposals are the case's proposals: the responsible organ
// and its presidium, and the board (styrelse) with its utskott and presidium,
// which prepare every motion for fullmäktige. A consulted organ only gives views.
bool InPreparingChain(const std::vector<Organ>& organs, const Case& c, const std::string& organ) {
  if (!c.responsible_organ) return false;
  if (organ == *c.responsible_organ) return true;
  const Organ* resp = FindOrgan(organs, *c.responsible_organ);
  if (resp && resp->presidium && *resp->presidium == organ) return true;
  if (std::find(c.consulted_organs.begin(), c.consulted_organs.end(), organ) !=
      c.consulted_organs.end())
    return false;
  const Organ* o = FindOrgan(organs, organ);
  if (!o) return false;
  if (o->kind == "styrelse") return true;
  if (o->parent && (o->kind == "utskott" || o->kind == "presidium")) {
    const Organ* p = FindOrgan(organs, *o->parent);
    if (p && p->kind == "styrelse") return true;
  }
  return false;
}

void ApplyEffects(Case& c, const EventCommand& e, const Date& on,
                  const std::vector<Organ>& organs) {
  const std::string& ev = e.event;
  if (ev == "distribute") {
    c.responsible_organ = e.to;
    if (c.type == "motion") c.consulted_organs = e.consult;
    if (e.officer) c.officer = e.officer;
    c.distributed_on = on;
  } else if (ev == "request_views" && e.to) {
    if (std::find(c.consulted_organs.begin(), c.consulted_organs.end(), *e.to) ==
        c.consulted_organs.end())
      c.consulted_organs.push_back(*e.to);
  } else if (ev == "recommend") {
    if (InPreparingChain(organs, c, e.organ)) c.proposed_outcome = e.outcome;
  } else if (ev == "adopt_answer" || ev == "board_propose") {
    c.proposed_outcome = e.outcome;
  } else if (ev == "decide") {
    c.outcome = e.outcome;
  } else if (ev == "report_unanswered") {
    c.reported_unanswered = true;
  } else if (ev == "extend_deadline") {
    c.answer_by = e.answer_by;
  }
}

HistoryEntry MakeEntry(const Case& c, const std::string& event, std::optional<std::string> from,
                       const Date& on, const Actor& actor, const std::string& transition_id) {
  HistoryEntry h;
  h.case_id = c.id;
  h.seq = static_cast<int>(c.version);
  h.event = event;
  h.from_state = std::move(from);
  h.to_state = c.state;
  h.date = on;
  h.actor = actor.name;
  h.transition_id = transition_id;
  h.recorded_at = c.updated_at;  // the service clock's now
  return h;
}

// Claims the command's Idempotency-Key; true (with the stored response in
// `result`) when the same request was already carried out.
bool ReplayIfRepeated(UnitOfWork& uow, const Actor& actor, const CommandOptions& opts,
                      CommandResult& result) {
  if (!opts.idempotency_key) return false;
  auto stored = uow.ClaimIdempotencyKey(actor.name, *opts.idempotency_key, opts.request);
  if (!stored) return false;
  result.response = *stored;
  result.replayed = true;
  return true;
}

// Renders the command's response (stored for a repeat when it has an
// Idempotency-Key) and records the changed case in `result`.
void Respond(UnitOfWork& uow, const Actor& actor, const CommandOptions& opts, Case c,
             CommandResult& result) {
  if (opts.render) result.response = opts.render(c);
  if (opts.idempotency_key)
    uow.SaveIdempotentResponse(actor.name, *opts.idempotency_key, *result.response);
  result.changed = std::move(c);
}

}  // namespace

CaseService::CaseService(Transactions& tx, CaseReader& reader, const Clock& clock,
                         ServiceSettings settings)
    : tx_(tx), reader_(reader), clock_(clock), settings_(std::move(settings)) {}

std::optional<std::string> CaseService::NormaliseReference(const std::string& text) const {
  auto r = ParseReference(text, settings_.reference_prefix);
  if (!r) return std::nullopt;
  return r->ToString();
}

CommandResult CaseService::Register(const RegisterCommand& cmd, const Actor& actor,
                                    const CommandOptions& opts) {
  if (!MayRegister(actor.role))
    throw Forbidden("the role '" + actor.role + "' may not register cases");
  std::optional<Reference> given;
  if (cmd.reference) {
    given = ParseReference(*cmd.reference, settings_.reference_prefix);
    if (!given)
      throw ValidationError("reference", "'reference' must be a diarienummer such as \"" +
                                             settings_.reference_prefix + " 2021/1342\"");
  }
  if (!states::MachineFor(cmd.type))
    throw ValidationError("type", "'type' must be motion or remiss");
  if (cmd.to && cmd.type != "remiss")
    throw ValidationError("to", "'to' at registration applies to a remiss");

  const std::string transition_id = NewTransitionId();
  CommandResult result;
  tx_.Run(transition_id, [&](UnitOfWork& uow) {
    result = CommandResult{};
    if (ReplayIfRepeated(uow, actor, opts, result)) return;
    const auto organs = uow.Organs();
    if (cmd.to) RequireOrgan(organs, "to", *cmd.to);

    const auto now = clock_.Now();
    const Date today = StockholmDate(now);
    Case c;
    c.type = cmd.type;
    c.title = cmd.title;
    c.received = cmd.received;
    c.submitters = cmd.submitters;
    c.sender = cmd.sender;
    c.answer_by = cmd.answer_by;
    c.officer = cmd.officer;
    c.notes = cmd.notes;
    c.confidential = cmd.confidential;
    c.state = states::MachineFor(c.type)->InitialState();
    c.version = 1;
    c.created_at = c.updated_at = now;
    if (given) {
      uow.ReserveReference(*given);
      c.reference = given->ToString();
    } else {
      // The registration year is the year the case is registered in the diarium.
      c.reference =
          uow.AllocateReference(settings_.reference_prefix, static_cast<int>(today.year()))
              .ToString();
    }
    uow.InsertCase(c);

    std::vector<HistoryEntry> history;
    HistoryEntry reg = MakeEntry(c, "register", std::nullopt, c.received, actor, transition_id);
    reg.details = EncodeRegistration(cmd);
    reg.text = c.title;
    uow.AppendHistory(reg);
    history.push_back(reg);

    if (cmd.to) {
      // Registered and distributed in one request, as registrars often do.
      EventCommand dist;
      dist.event = "distribute";
      dist.date = c.received;
      dist.organ = FindOrgan(organs, settings_.registry_organ) ? settings_.registry_organ : *cmd.to;
      dist.to = cmd.to;
      dist.officer = cmd.officer;
      const auto v = states::MachineFor(c.type)->Fire(c.state, "distribute", {});
      const std::string from = c.state;
      ApplyEffects(c, dist, c.received, organs);
      c.state = v.to_state;
      c.version += 1;
      HistoryEntry h = MakeEntry(c, "distribute", from, c.received, actor, transition_id);
      h.organ = dist.organ;
      h.details = EncodeEvent(dist);
      uow.AppendHistory(h);
      history.push_back(h);
      uow.UpdateCase(c);
    }
    Reschedule(uow, c, history, organs, false);
    Respond(uow, actor, opts, std::move(c), result);
  });
  return result;
}

CommandResult CaseService::Apply(std::int64_t case_id, const EventCommand& cmd, const Actor& actor,
                                 const CommandOptions& opts) {
  const std::string transition_id = NewTransitionId();
  CommandResult result;
  tx_.Run(transition_id, [&](UnitOfWork& uow) {
    result = CommandResult{};
    if (ReplayIfRepeated(uow, actor, opts, result)) return;
    Case c =
        ApplyIn(uow, case_id, cmd, actor, opts.expected_version, transition_id, &result.from_state);
    Respond(uow, actor, opts, std::move(c), result);
  });
  return result;
}

Case CaseService::ApplyIn(UnitOfWork& uow, std::int64_t case_id, const EventCommand& cmd,
                          const Actor& actor, std::optional<std::int64_t> expected_version,
                          const std::string& transition_id, std::string* from_state) {
  {
    auto found = uow.LockCase(case_id);
    if (!found) throw NotFound("no case with id " + std::to_string(case_id));
    Case c = std::move(*found);
    if (expected_version && *expected_version != c.version)
      throw StaleVersion(c.version, "the case has changed (version " + std::to_string(c.version) +
                                        ", you had " + std::to_string(*expected_version) +
                                        "); reload it and try again");

    const states::Machine& m = *states::MachineFor(c.type);
    if (!m.IsEvent(cmd.event))
      throw ValidationError("event", "unknown event '" + cmd.event + "' for a " + c.type +
                                         "; known events: " + Join(m.Events()));
    if (!MayRecord(actor.role, c.type, cmd.event))
      throw Forbidden("the role '" + actor.role + "' may not record '" + cmd.event + "'");
    const states::Facts facts{c.reported_unanswered};
    const auto verdict = m.Fire(c.state, cmd.event, facts);
    if (!verdict.accepted) {
      auto allowed = m.AllowedEvents(c.state, facts);
      std::string why = "the event '" + cmd.event + "' is not allowed when the " + c.type +
                        " is '" + c.state + "' (" + StateLabel(c.type, c.state) + ")";
      if (cmd.event == "write_off" && m.IsOpen(c.state) && !c.reported_unanswered)
        why +=
            "; a motion is written off only after it has been reported as unanswered "
            "(report_unanswered)";
      why += allowed.empty() ? "; no events are allowed" : "; allowed: " + Join(allowed);
      throw InvalidTransition(c.state, cmd.event, std::move(allowed), why);
    }

    RejectForeignFields(c.type, cmd);
    const auto organs = uow.Organs();
    RequireOrgan(organs, "organ", cmd.organ);
    if (cmd.to) RequireOrgan(organs, "to", *cmd.to);
    if (cmd.from) RequireOrgan(organs, "from", *cmd.from);
    if (cmd.assignee) RequireOrgan(organs, "assignee", *cmd.assignee);
    for (std::size_t i = 0; i < cmd.consult.size(); ++i)
      RequireOrgan(organs, "consult[" + std::to_string(i) + "]", cmd.consult[i]);

    const auto now = clock_.Now();
    std::optional<Meeting> at;
    if (cmd.meeting) {
      at = uow.LockMeeting(*cmd.meeting);
      if (!at || at->cancelled)
        throw ValidationError("meeting", "no planned meeting with id " +
                                             std::to_string(*cmd.meeting) +
                                             (at ? " (it was cancelled)" : ""));
      if (at->organ != cmd.organ)
        throw ValidationError("meeting", "meeting " + std::to_string(at->id) +
                                             " is a meeting of '" + at->organ + "', not of '" +
                                             cmd.organ + "'");
      if (cmd.date && *cmd.date != at->date)
        throw ValidationError("date", "'date' " + FormatDate(*cmd.date) +
                                          " is not the day of meeting " + std::to_string(at->id) +
                                          " (" + FormatDate(at->date) + ")");
    }
    const Date on = cmd.date.value_or(at ? at->date : StockholmDate(now));
    if (!at) at = uow.MeetingOn(cmd.organ, on);
    std::optional<std::string> paragraph = cmd.paragraph;
    const int year = static_cast<int>(on.year());
    if (!paragraph && at) {
      const int n = uow.NextParagraph(cmd.organ, year);
      uow.UseParagraph(cmd.organ, year, n, on);
      paragraph = FormatParagraph(n);
    } else if (paragraph) {
      if (auto n = ParseParagraph(*paragraph)) {
        if (auto used_on = uow.UseParagraph(cmd.organ, year, *n, on))
          throw Conflict(FormatParagraph(*n) + " of " + cmd.organ + "'s " + std::to_string(year) +
                         " series was already used at its meeting of " + FormatDate(*used_on) +
                         "; leave 'paragraph' out to get the next number");
      }
    }
    const bool recompute = MayChangeDeadlines(c.type, cmd.event) || !m.IsOpen(verdict.to_state);
    std::vector<HistoryEntry> history;
    if (recompute) history = uow.History(c.id);
    const std::string from = c.state;
    if (from_state) *from_state = from;
    ApplyEffects(c, cmd, on, organs);
    c.state = verdict.to_state;
    c.version += 1;
    c.updated_at = now;

    HistoryEntry h = MakeEntry(c, cmd.event, from, on, actor, transition_id);
    h.organ = cmd.organ;
    h.paragraph = paragraph;
    h.text = cmd.text;
    h.details = EncodeEvent(cmd);
    h.details["date"] = FormatDate(on);
    if (paragraph) h.details["paragraph"] = *paragraph;
    if (at) h.details["meeting"] = at->id;
    uow.AppendHistory(h);
    uow.UpdateCase(c);
    if (recompute) {
      history.push_back(h);
      Reschedule(uow, c, history, organs, false);
    } else {
      c.deadlines = uow.Deadlines(c.id);
    }
    return c;
  }
}

std::vector<Case> CaseService::Distribute(const DistributionCommand& d, const Actor& actor) {
  if (d.items.empty()) throw ValidationError("items", "'items' must list at least one motion");
  std::vector<Case> out;
  const std::string transition_id = NewTransitionId();
  tx_.Run(transition_id, [&](UnitOfWork& uow) {
    out.clear();
    for (std::size_t i = 0; i < d.items.size(); ++i) {
      const auto& item = d.items[i];
      EventCommand e;
      e.event = "distribute";
      e.date = d.date;
      e.organ = d.organ;
      e.meeting = d.meeting;
      e.to = item.to;
      e.consult = item.consult;
      e.text = item.text;
      try {
        out.push_back(ApplyIn(uow, item.case_id, e, actor, item.version, transition_id, nullptr));
      } catch (Error& err) {
        err.set_item(static_cast<int>(i));
        throw;
      }
    }
  });
  return out;
}

bool CaseService::SaveOrgan(const Organ& organ, const Actor& actor) {
  if (!MayAdminister(actor.role))
    throw Forbidden("the role '" + actor.role + "' may not change the organisation");
  bool added = false;
  tx_.Run(NewTransitionId(), [&](UnitOfWork& uow) {
    const auto organs = uow.Organs();
    added = !FindOrgan(organs, organ.code);
    for (const auto& [field, ref] :
         {std::pair{"parent", organ.parent}, std::pair{"presidium", organ.presidium}}) {
      if (ref && *ref != organ.code) RequireOrgan(organs, field, *ref);
    }
    uow.UpsertOrgan(organ);
  });
  return added;
}

namespace {

bool MayPlanMeetings(const std::string& role) {
  return role == "admin" || role == "registrar" || role == "secretary";
}

void CheckMeeting(const std::vector<Organ>& organs, Meeting& m) {
  RequireOrgan(organs, "organ", m.organ);
  m.organ_name = FindOrgan(organs, m.organ)->name;
  if (m.time) {
    const std::string& t = *m.time;
    const bool ok = t.size() == 5 && t[2] == ':' &&
                    std::isdigit(static_cast<unsigned char>(t[0])) &&
                    std::isdigit(static_cast<unsigned char>(t[1])) &&
                    std::isdigit(static_cast<unsigned char>(t[3])) &&
                    std::isdigit(static_cast<unsigned char>(t[4])) &&
                    std::stoi(t.substr(0, 2)) < 24 && std::stoi(t.substr(3, 2)) < 60;
    if (!ok) throw ValidationError("time", "'time' must be a time of day HH:MM, e.g. 13:00");
  }
  if (m.place && m.place->size() > 500)
    throw ValidationError("place", "'place' is longer than 500 bytes");
}

void ThrowDuplicateMeeting(const Meeting& m) {
  throw Conflict("the organ '" + m.organ + "' already has a meeting on " + FormatDate(m.date));
}

}  // namespace

Meeting CaseService::AddMeeting(Meeting m, const Actor& actor) {
  if (!MayPlanMeetings(actor.role))
    throw Forbidden("the role '" + actor.role + "' may not plan meetings");
  m.cancelled = false;
  tx_.Run(NewTransitionId(), [&](UnitOfWork& uow) {
    CheckMeeting(uow.Organs(), m);
    try {
      uow.InsertMeeting(m);
    } catch (const Conflict&) {
      ThrowDuplicateMeeting(m);
    }
    RescheduleAround(uow, m.organ, {m.date});
  });
  return m;
}

Meeting CaseService::MoveMeeting(std::int64_t id, const MeetingChange& change, const Actor& actor) {
  if (!MayPlanMeetings(actor.role))
    throw Forbidden("the role '" + actor.role + "' may not plan meetings");
  Meeting out;
  tx_.Run(NewTransitionId(), [&](UnitOfWork& uow) {
    auto m = uow.LockMeeting(id);
    if (!m) throw NotFound("no meeting with id " + std::to_string(id));
    const Date was = m->date;
    if (change.date) m->date = *change.date;
    if (change.time) m->time = *change.time;
    if (change.place) m->place = *change.place;
    CheckMeeting(uow.Organs(), *m);
    try {
      uow.UpdateMeeting(*m);
    } catch (const Conflict&) {
      ThrowDuplicateMeeting(*m);
    }
    if (!m->cancelled && m->date != was) RescheduleAround(uow, m->organ, {was, m->date});
    out = *m;
  });
  return out;
}

Meeting CaseService::CancelMeeting(std::int64_t id, const Actor& actor) {
  if (!MayPlanMeetings(actor.role))
    throw Forbidden("the role '" + actor.role + "' may not plan meetings");
  Meeting out;
  tx_.Run(NewTransitionId(), [&](UnitOfWork& uow) {
    auto m = uow.LockMeeting(id);
    if (!m) throw NotFound("no meeting with id " + std::to_string(id));
    if (!m->cancelled) {
      m->cancelled = true;
      uow.UpdateMeeting(*m);
      RescheduleAround(uow, m->organ, {m->date});
    }
    out = *m;
  });
  return out;
}

std::vector<Meeting> CaseService::ListMeetings(const MeetingFilter& filter) {
  return reader_.ListMeetings(filter);
}

bool CaseService::RecomputeDeadlines(std::int64_t case_id) {
  bool changed = false;
  tx_.Run(NewTransitionId(), [&](UnitOfWork& uow) {
    auto c = uow.LockCase(case_id);
    if (!c) throw NotFound("no case with id " + std::to_string(case_id));
    changed = Reschedule(uow, *c, uow.History(case_id), uow.Organs(), true);
  });
  return changed;
}

bool CaseService::Reschedule(UnitOfWork& uow, Case& c, const std::vector<HistoryEntry>& history,
                             const std::vector<Organ>& organs, bool compare) {
  MeetingPlans plans = MeetingPlans::Of(organs);
  for (const auto& code : plans.Needs(c)) plans.dates[code] = uow.MeetingDates(code);
  auto fresh = ComputeDeadlines(c, history, settings_.deadlines, plans);
  bool changed = true;
  if (compare) {
    const auto stored = uow.Deadlines(c.id);
    changed = fresh.size() != stored.size();
    for (std::size_t i = 0; !changed && i < fresh.size(); ++i) {
      const auto& a = fresh[i];
      const auto& b = stored[i];
      changed = a.kind != b.kind || a.due != b.due || a.met_on != b.met_on ||
                a.cancelled != b.cancelled || a.basis != b.basis || a.organ != b.organ ||
                a.label != b.label || a.latest != b.latest ||
                a.from_meeting_plan != b.from_meeting_plan;
    }
  }
  if (changed) uow.ReplaceDeadlines(c.id, fresh);
  // Reminders follow the deadlines in the same transaction: a deadline met or
  // moved cancels its pending ones.
  uow.ReplaceReminders(
      c.id, PlanReminders(fresh, uow.ReadReminderRules(), clock_.Today(), settings_.reminder_hour));
  c.deadlines = std::move(fresh);
  return changed;
}

void CaseService::RescheduleAround(UnitOfWork& uow, const std::string& organ,
                                   const std::vector<Date>& days) {
  std::set<std::int64_t> ids;
  for (const auto& day : days)
    for (auto id : uow.CasesScheduledAround(organ, day)) ids.insert(id);
  if (ids.empty()) return;
  const auto organs = uow.Organs();
  // Ascending ids: every writer locks cases in the same order.
  for (auto id : ids) {
    auto c = uow.LockCase(id);
    if (c) Reschedule(uow, *c, uow.History(id), organs, true);
  }
}

Agenda CaseService::MeetingAgenda(std::int64_t meeting_id, int limit) {
  auto m = reader_.GetMeeting(meeting_id);
  if (!m) throw NotFound("no meeting with id " + std::to_string(meeting_id));
  Agenda a;
  a.meeting = *m;
  a.next_meeting = reader_.NextMeeting(m->organ, m->date);
  AgendaRequest request = PlanAgenda(*m, reader_.Organs(), a.next_meeting);
  request.limit = limit;
  a.until = request.until;
  a.sections = reader_.ReadAgenda(request);
  return a;
}

Case CaseService::GetCase(std::int64_t id) {
  auto c = reader_.GetCase(id);
  if (!c) throw NotFound("no case with id " + std::to_string(id));
  return *c;
}

CasePage CaseService::ListCases(CaseFilter filter) {
  filter.today = clock_.Today();
  return reader_.ListCases(filter);
}

DeadlinePage CaseService::ListDeadlines(DeadlineFilter filter) {
  filter.today = clock_.Today();
  return reader_.ListDeadlines(filter);
}

std::vector<HistoryEntry> CaseService::History(std::int64_t case_id) {
  GetCase(case_id);
  return reader_.History(case_id);
}

std::vector<Action> CaseService::Actions(const Case& c, const std::string& role) const {
  const states::Machine& m = *states::MachineFor(c.type);
  std::vector<Action> out;
  for (const auto& e : m.AllowedEvents(c.state, states::Facts{c.reported_unanswered})) {
    out.push_back(
        Action{e, EventLabel(c.type, e), EventFields(c.type, e), MayRecord(role, c.type, e)});
  }
  return out;
}

std::vector<Organ> CaseService::Organs() { return reader_.Organs(); }

namespace {
void RequireAdmin(const Actor& actor, const std::string& what) {
  if (!MayAdminister(actor.role))
    throw Forbidden("the role '" + actor.role + "' may not change " + what);
}
}  // namespace

ReminderRules CaseService::GetReminderRules() {
  ReminderRules rules;
  tx_.Run(NewTransitionId(), [&](UnitOfWork& uow) { rules = uow.ReadReminderRules(); });
  return rules;
}

void CaseService::SaveReminderRule(const ReminderRule& rule, const Actor& actor) {
  RequireAdmin(actor, "the reminder rules");
  ValidateReminderRule(rule);
  tx_.Run(NewTransitionId(), [&](UnitOfWork& uow) { uow.SaveReminderRule(rule); });
}

std::vector<Recipient> CaseService::Recipients() {
  std::vector<Recipient> out;
  tx_.Run(NewTransitionId(), [&](UnitOfWork& uow) { out = uow.Recipients(); });
  return out;
}

Recipient CaseService::AddRecipient(Recipient r, const Actor& actor) {
  RequireAdmin(actor, "who receives reminders");
  ValidateRecipient(r);
  tx_.Run(NewTransitionId(), [&](UnitOfWork& uow) {
    if (r.organ) RequireOrgan(uow.Organs(), "organ", *r.organ);
    uow.InsertRecipient(r);
  });
  return r;
}

bool CaseService::RemoveRecipient(std::int64_t id, const Actor& actor) {
  RequireAdmin(actor, "who receives reminders");
  bool removed = false;
  tx_.Run(NewTransitionId(), [&](UnitOfWork& uow) { removed = uow.DeactivateRecipient(id); });
  return removed;
}

std::vector<Webhook> CaseService::Webhooks() {
  std::vector<Webhook> out;
  tx_.Run(NewTransitionId(), [&](UnitOfWork& uow) { out = uow.Webhooks(); });
  return out;
}

Webhook CaseService::AddWebhook(Webhook w, const Actor& actor) {
  RequireAdmin(actor, "the webhooks");
  ValidateWebhook(w);
  tx_.Run(NewTransitionId(), [&](UnitOfWork& uow) { uow.InsertWebhook(w); });
  return w;
}

bool CaseService::RemoveWebhook(std::int64_t id, const Actor& actor) {
  RequireAdmin(actor, "the webhooks");
  bool removed = false;
  tx_.Run(NewTransitionId(), [&](UnitOfWork& uow) { removed = uow.DeactivateWebhook(id); });
  return removed;
}

NotificationPage CaseService::ListNotifications(const NotificationFilter& filter) {
  return reader_.ListNotifications(filter);
}

CaseStats CaseService::Stats() { return reader_.Stats(clock_.Today()); }

}  // namespace kansli::workflow
