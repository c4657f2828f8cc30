// In-memory fakes of the workflow ports (UnitOfWork, Transactions, CaseReader)
// for unit tests: no database, no network. Everything lives in one FakeDb of
// std::maps; FakeTransactions::Run copies it before running the work and puts
// the copy back when the work throws, so a test can check that a rejected
// command changed nothing (the way a rolled-back database transaction would).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "workflow/deadlines.h"
#include "workflow/errors.h"
#include "workflow/model.h"
#include "workflow/ports.h"
#include "workflow/reference.h"

namespace kansli::workflow::fakes {

// One idempotency key as stored: the request it was claimed for and, once the
// claiming transaction saved it, the response.
struct IdempotencyRecord {
  std::string request_hash;
  std::optional<StoredResponse> response;
};

// The whole "database". Copyable, so a transaction can snapshot it.
struct FakeDb {
  std::vector<Organ> organs;
  std::map<std::int64_t, Case> cases;
  std::map<std::int64_t, std::vector<HistoryEntry>> history;
  std::map<std::int64_t, std::vector<Deadline>> deadlines;
  // The last number handed out (or reserved) per (prefix, year).
  std::map<std::pair<std::string, int>, long long> series;
  // (scope, key) -> record.
  std::map<std::pair<std::string, std::string>, IdempotencyRecord> idempotency;
  std::vector<Meeting> meetings;
  // Paragraph numbers: the last per (organ, year), and the day of each use.
  std::map<std::pair<std::string, int>, int> paragraph_series;
  std::map<std::tuple<std::string, int, int>, Date> paragraph_uses;
  ReminderRules reminder_rules;
  std::vector<Recipient> recipients;
  std::vector<Webhook> webhooks;
  std::vector<StoredReminder> reminders;  // pending only: ReplaceReminders keeps the plan
  std::vector<NewNotification> notifications;
  std::int64_t next_reminder_id = 1;
  std::int64_t next_case_id = 1;
  std::int64_t next_history_id = 1;
  // What AppendHistory stamps as recorded_at.
  std::chrono::system_clock::time_point recorded_at{};

  // Fault injection: the UnitOfWork method of this name ("AppendHistory",
  // "UpdateCase", ...) throws Unavailable. Not part of the snapshot's meaning.
  std::string fail_in;

  // All history rows of all cases, for counting.
  std::size_t HistoryRows() const {
    std::size_t n = 0;
    for (const auto& [id, rows] : history) n += rows.size();
    return n;
  }
};

class FakeUnitOfWork final : public UnitOfWork {
 public:
  explicit FakeUnitOfWork(FakeDb& db) : db_(db) {}

  std::vector<Organ> Organs() override {
    Maybe("Organs");
    return db_.organs;
  }

  void InsertMeeting(Meeting& m) override {
    Maybe("InsertMeeting");
    CheckFree(m);
    m.id = static_cast<std::int64_t>(db_.meetings.size()) + 1;
    db_.meetings.push_back(m);
  }

  std::optional<Meeting> LockMeeting(std::int64_t id) override {
    for (const auto& m : db_.meetings)
      if (m.id == id) return m;
    return std::nullopt;
  }

  void UpdateMeeting(const Meeting& m) override {
    Maybe("UpdateMeeting");
    if (!m.cancelled) CheckFree(m);
    for (auto& x : db_.meetings)
      if (x.id == m.id) x = m;
  }

  std::optional<Meeting> MeetingOn(const std::string& organ, const Date& day) override {
    for (const auto& m : db_.meetings)
      if (!m.cancelled && m.organ == organ && m.date == day) return m;
    return std::nullopt;
  }

  std::vector<Date> MeetingDates(const std::string& organ) override {
    std::vector<Date> out;
    for (const auto& m : db_.meetings)
      if (!m.cancelled && m.organ == organ) out.push_back(m.date);
    std::sort(out.begin(), out.end(),
              [](const Date& a, const Date& b) { return date::sys_days{a} < date::sys_days{b}; });
    return out;
  }

  std::vector<std::int64_t> CasesScheduledAround(const std::string& organ,
                                                 const Date& day) override {
    std::set<std::int64_t> ids;
    const auto d = date::sys_days{day};
    for (const auto& [id, list] : db_.deadlines) {
      for (const auto& x : list) {
        if (!x.latest || x.cancelled || x.organ != organ) continue;
        const auto latest = date::sys_days{*x.latest};
        if (x.from_meeting_plan ? (latest >= d && date::sys_days{x.due} <= d)
                                : x.latest->year() >= day.year())
          ids.insert(id);
      }
    }
    return {ids.begin(), ids.end()};
  }

  int NextParagraph(const std::string& organ, int year) override {
    return ++db_.paragraph_series[{organ, year}];
  }

  std::optional<Date> UseParagraph(const std::string& organ, int year, int number,
                                   const Date& day) override {
    auto [it, added] = db_.paragraph_uses.emplace(std::make_tuple(organ, year, number), day);
    if (!added && it->second != day) return it->second;
    int& last = db_.paragraph_series[{organ, year}];
    last = std::max(last, number);
    return std::nullopt;
  }

  void CheckFree(const Meeting& m) const {
    for (const auto& x : db_.meetings)
      if (x.id != m.id && !x.cancelled && x.organ == m.organ && x.date == m.date)
        throw Conflict("the value is already taken");
  }

  void UpsertOrgan(const Organ& organ) override {
    Maybe("UpsertOrgan");
    for (auto& o : db_.organs) {
      if (o.code == organ.code) {
        o = organ;
        return;
      }
    }
    db_.organs.push_back(organ);
  }

  std::optional<std::int64_t> FindCaseByReference(const std::string& reference) override {
    Maybe("FindCaseByReference");
    for (const auto& [id, c] : db_.cases)
      if (c.reference == reference) return id;
    return std::nullopt;
  }

  std::optional<Case> LockCase(std::int64_t id) override {
    Maybe("LockCase");
    auto it = db_.cases.find(id);
    if (it == db_.cases.end()) return std::nullopt;
    return it->second;
  }

  std::vector<HistoryEntry> History(std::int64_t case_id) override {
    Maybe("History");
    auto it = db_.history.find(case_id);
    return it == db_.history.end() ? std::vector<HistoryEntry>{} : it->second;
  }

  Reference AllocateReference(const std::string& prefix, int year) override {
    Maybe("AllocateReference");
    const long long n = ++db_.series[{prefix, year}];
    return Reference{prefix, year, n};
  }

  void ReserveReference(const Reference& ref) override {
    Maybe("ReserveReference");
    if (FindCaseByReference(ref.ToString()))
      throw Conflict("the reference " + ref.ToString() + " is already a case's");
    long long& last = db_.series[{ref.prefix, ref.year}];
    last = std::max(last, ref.number);
  }

  void InsertCase(Case& c) override {
    Maybe("InsertCase");
    if (FindCaseByReference(c.reference))
      throw Conflict("the reference " + c.reference + " is already a case's");
    c.id = db_.next_case_id++;
    db_.cases[c.id] = c;
  }

  void UpdateCase(const Case& c) override {
    Maybe("UpdateCase");
    auto it = db_.cases.find(c.id);
    if (it == db_.cases.end()) throw StorageError("UpdateCase: no case " + std::to_string(c.id));
    it->second = c;
  }

  void AppendHistory(HistoryEntry& e) override {
    Maybe("AppendHistory");
    if (!db_.cases.count(e.case_id))
      throw StorageError("AppendHistory: no case " + std::to_string(e.case_id));
    e.id = db_.next_history_id++;
    e.recorded_at = db_.recorded_at;
    db_.history[e.case_id].push_back(e);
  }

  void ReplaceDeadlines(std::int64_t case_id, const std::vector<Deadline>& deadlines) override {
    Maybe("ReplaceDeadlines");
    db_.deadlines[case_id] = deadlines;
  }

  std::vector<Deadline> Deadlines(std::int64_t case_id) override {
    Maybe("Deadlines");
    auto it = db_.deadlines.find(case_id);
    return it == db_.deadlines.end() ? std::vector<Deadline>{} : it->second;
  }

  ReminderRules ReadReminderRules() override { return db_.reminder_rules; }
  void SaveReminderRule(const ReminderRule& rule) override {
    db_.reminder_rules.by_kind[rule.kind] = rule;
  }
  std::vector<Recipient> Recipients() override { return db_.recipients; }
  void InsertRecipient(Recipient& r) override {
    r.id = static_cast<std::int64_t>(db_.recipients.size()) + 1;
    db_.recipients.push_back(r);
  }
  bool DeactivateRecipient(std::int64_t id) override {
    auto it = std::find_if(db_.recipients.begin(), db_.recipients.end(),
                           [&](const Recipient& r) { return r.id == id; });
    if (it == db_.recipients.end()) return false;
    db_.recipients.erase(it);
    return true;
  }
  std::vector<Webhook> Webhooks() override { return db_.webhooks; }
  void InsertWebhook(Webhook& w) override {
    w.id = static_cast<std::int64_t>(db_.webhooks.size()) + 1;
    db_.webhooks.push_back(w);
  }
  bool DeactivateWebhook(std::int64_t id) override {
    auto it = std::find_if(db_.webhooks.begin(), db_.webhooks.end(),
                           [&](const Webhook& w) { return w.id == id; });
    if (it == db_.webhooks.end()) return false;
    db_.webhooks.erase(it);
    return true;
  }
  void ReplaceReminders(std::int64_t case_id,
                        const std::vector<PlannedReminder>& planned) override {
    auto& v = db_.reminders;
    v.erase(std::remove_if(v.begin(), v.end(),
                           [&](const StoredReminder& r) { return r.case_id == case_id; }),
            v.end());
    for (const auto& p : planned) AddReminder(case_id, p);
  }
  std::vector<StoredReminder> ClaimDueReminders(Instant now, int limit) override {
    std::vector<StoredReminder> out;
    for (const auto& r : db_.reminders)
      if (r.planned.fire_at <= now && static_cast<int>(out.size()) < limit) out.push_back(r);
    return out;
  }
  std::vector<Case> ReadCases(const std::vector<std::int64_t>& ids) override {
    std::vector<Case> out;
    for (auto id : ids) {
      auto it = db_.cases.find(id);
      if (it == db_.cases.end()) continue;
      Case c = it->second;
      c.deadlines = Deadlines(id);
      out.push_back(c);
    }
    return out;
  }
  std::map<std::int64_t, HistoryEntry> LastHistory(const std::vector<std::int64_t>& ids) override {
    std::map<std::int64_t, HistoryEntry> out;
    for (auto id : ids) {
      auto it = db_.history.find(id);
      if (it != db_.history.end() && !it->second.empty()) out[id] = it->second.back();
    }
    return out;
  }
  void FinishReminders(const std::vector<ReminderOutcome>& outcomes) override {
    auto& v = db_.reminders;
    for (const auto& o : outcomes)
      v.erase(
          std::remove_if(v.begin(), v.end(), [&](const StoredReminder& r) { return r.id == o.id; }),
          v.end());
  }
  void AddReminders(const std::vector<StoredReminder>& reminders) override {
    for (const auto& r : reminders) AddReminder(r.case_id, r.planned);
  }
  void AddReminder(std::int64_t case_id, const PlannedReminder& r) {
    db_.reminders.push_back(StoredReminder{db_.next_reminder_id++, case_id, r});
  }
  void InsertNotifications(const std::vector<NewNotification>& ns, Instant) override {
    for (const auto& n : ns) db_.notifications.push_back(n);
  }

  std::optional<StoredResponse> ClaimIdempotencyKey(const std::string& scope,
                                                    const std::string& key,
                                                    const std::string& request_hash) override {
    Maybe("ClaimIdempotencyKey");
    auto it = db_.idempotency.find({scope, key});
    if (it == db_.idempotency.end()) {
      db_.idempotency[{scope, key}] = IdempotencyRecord{request_hash, std::nullopt};
      return std::nullopt;
    }
    if (it->second.request_hash != request_hash)
      throw IdempotencyMismatch("the key '" + key + "' was used with a different request");
    // Single-threaded: a claim without a response cannot outlive its transaction.
    if (!it->second.response) throw StorageError("claimed key without a response");
    return it->second.response;
  }

  void SaveIdempotentResponse(const std::string& scope, const std::string& key,
                              const StoredResponse& response) override {
    Maybe("SaveIdempotentResponse");
    auto it = db_.idempotency.find({scope, key});
    if (it == db_.idempotency.end()) throw StorageError("response saved for an unclaimed key");
    it->second.response = response;
  }

 private:
  void Maybe(const char* method) const {
    if (db_.fail_in == method) throw Unavailable(std::string("injected failure in ") + method);
  }

  FakeDb& db_;
};

// Runs each command against the FakeDb; on an exception restores the state
// from before the command (a rollback) and rethrows.
class FakeTransactions final : public Transactions {
 public:
  explicit FakeTransactions(FakeDb& db) : db_(db) {}

  void Run(const std::string& transition_id,
           const std::function<void(UnitOfWork&)>& work) override {
    transition_ids.push_back(transition_id);
    FakeDb snapshot = db_;
    try {
      FakeUnitOfWork uow(db_);
      work(uow);
      ++commits;
    } catch (...) {
      const std::string fail_in = db_.fail_in;
      db_ = std::move(snapshot);
      db_.fail_in = fail_in;
      ++rollbacks;
      throw;
    }
  }

  int commits = 0;
  int rollbacks = 0;
  std::vector<std::string> transition_ids;  // one per Run, in order

 private:
  FakeDb& db_;
};

// Reads straight from the FakeDb (each read sees everything committed).
class FakeCaseReader final : public CaseReader {
 public:
  explicit FakeCaseReader(FakeDb& db) : db_(db) {}

  std::optional<Case> GetCase(std::int64_t id) override {
    auto it = db_.cases.find(id);
    if (it == db_.cases.end()) return std::nullopt;
    return WithDeadlines(it->second);
  }

  CasePage ListCases(const CaseFilter& filter) override {
    last_filter = filter;
    std::vector<Case> matching;
    // Newest first.
    for (auto it = db_.cases.rbegin(); it != db_.cases.rend(); ++it) {
      const Case c = WithDeadlines(it->second);
      if (filter.type && c.type != *filter.type) continue;
      if (filter.state && c.state != *filter.state) continue;
      if (filter.organ && c.responsible_organ != filter.organ &&
          std::find(c.consulted_organs.begin(), c.consulted_organs.end(), *filter.organ) ==
              c.consulted_organs.end())
        continue;
      if (filter.reference && c.reference != *filter.reference) continue;
      if (filter.q && c.title.find(*filter.q) == std::string::npos) continue;
      if (filter.overdue) {
        const bool overdue =
            std::any_of(c.deadlines.begin(), c.deadlines.end(),
                        [&](const Deadline& d) { return IsOverdue(d, filter.today); });
        if (overdue != *filter.overdue) continue;
      }
      matching.push_back(c);
    }
    CasePage page;
    page.total = static_cast<long long>(matching.size());
    for (std::size_t i = static_cast<std::size_t>(std::max(filter.offset, 0));
         i < matching.size() && page.items.size() < static_cast<std::size_t>(filter.limit); ++i)
      page.items.push_back(matching[i]);
    return page;
  }

  DeadlinePage ListDeadlines(const DeadlineFilter& filter) override {
    std::vector<CaseDeadline> open;
    for (const auto& [id, c] : db_.cases) {
      auto it = db_.deadlines.find(id);
      if (it == db_.deadlines.end()) continue;
      for (const auto& d : it->second) {
        if (d.met_on || d.cancelled) continue;
        if (filter.kind && d.kind != *filter.kind) continue;
        if (filter.overdue && IsOverdue(d, filter.today) != *filter.overdue) continue;
        open.push_back({d, c});
      }
    }
    std::stable_sort(open.begin(), open.end(), [](const CaseDeadline& a, const CaseDeadline& b) {
      return date::sys_days{a.deadline.due} < date::sys_days{b.deadline.due};
    });
    DeadlinePage page;
    page.total = static_cast<long long>(open.size());
    for (std::size_t i = static_cast<std::size_t>(filter.offset);
         i < open.size() && page.items.size() < static_cast<std::size_t>(filter.limit); ++i)
      page.items.push_back(open[i]);
    return page;
  }

  std::vector<HistoryEntry> History(std::int64_t case_id) override {
    auto it = db_.history.find(case_id);
    return it == db_.history.end() ? std::vector<HistoryEntry>{} : it->second;
  }

  std::vector<Organ> Organs() override { return db_.organs; }

  std::vector<Meeting> ListMeetings(const MeetingFilter& f) override {
    std::vector<Meeting> out;
    for (const auto& m : db_.meetings) {
      if (f.organ && m.organ != *f.organ) continue;
      if (f.from && m.date < *f.from) continue;
      if (f.to && m.date > *f.to) continue;
      if (!f.include_cancelled && m.cancelled) continue;
      out.push_back(m);
    }
    std::stable_sort(out.begin(), out.end(), [](const Meeting& a, const Meeting& b) {
      return std::pair(date::sys_days{a.date}, a.organ) <
             std::pair(date::sys_days{b.date}, b.organ);
    });
    return out;
  }

  std::optional<Meeting> GetMeeting(std::int64_t id) override {
    for (const auto& m : db_.meetings)
      if (m.id == id) return m;
    return std::nullopt;
  }

  std::optional<Meeting> NextMeeting(const std::string& organ, const Date& day) override {
    std::optional<Meeting> best;
    for (const auto& m : db_.meetings) {
      if (m.cancelled || m.organ != organ || date::sys_days{m.date} <= date::sys_days{day})
        continue;
      if (!best || date::sys_days{m.date} < date::sys_days{best->date}) best = m;
    }
    return best;
  }

  // Only the deadline sections; the unit tests read the rest through PostgreSQL.
  std::vector<AgendaSection> ReadAgenda(const AgendaRequest& req) override {
    last_agenda = req;
    std::vector<AgendaSection> out;
    for (const auto& code : req.sections) out.push_back(AgendaSection{code, 0, {}});
    return out;
  }

  NotificationPage ListNotifications(const NotificationFilter&) override { return {}; }
  CaseStats Stats(const Date&) override { return {}; }

  std::vector<MotionRecord> MotionsOpenOn(const Date& as_of,
                                          const std::vector<std::string>& final_states) override {
    std::vector<MotionRecord> out;
    for (const auto& [id, c] : db_.cases) {
      if (c.type != "motion" || date::sys_days{c.received} > date::sys_days{as_of}) continue;
      MotionRecord m{c, {}};
      bool closed = false;
      for (const auto& h : History(id)) {
        if (date::sys_days{h.date} > date::sys_days{as_of}) continue;
        closed = closed || std::find(final_states.begin(), final_states.end(), h.to_state) !=
                               final_states.end();
        m.history.push_back(h);
      }
      if (!closed) out.push_back(std::move(m));
    }
    return out;
  }

  CalendarEntries ReadCalendar(const CalendarFilter& f) override {
    CalendarEntries out;
    MeetingFilter meetings;
    meetings.organ = f.organ;
    meetings.from = f.from;
    out.meetings = ListMeetings(meetings);
    for (const auto& [id, c] : db_.cases) {
      auto it = db_.deadlines.find(id);
      if (it == db_.deadlines.end()) continue;
      int seq = 0;
      for (const auto& d : it->second) {
        ++seq;
        if (d.met_on || d.cancelled || date::sys_days{d.due} < date::sys_days{f.from}) continue;
        if (f.organ && d.organ != f.organ && c.responsible_organ != f.organ) continue;
        out.deadlines.push_back({seq, d, c});
      }
    }
    std::stable_sort(out.deadlines.begin(), out.deadlines.end(),
                     [](const CalendarDeadline& a, const CalendarDeadline& b) {
                       return date::sys_days{a.deadline.due} < date::sys_days{b.deadline.due};
                     });
    return out;
  }

  std::optional<CaseFilter> last_filter;
  std::optional<AgendaRequest> last_agenda;

 private:
  Case WithDeadlines(Case c) const {
    auto it = db_.deadlines.find(c.id);
    if (it != db_.deadlines.end()) c.deadlines = it->second;
    return c;
  }

  FakeDb& db_;
};

// Region Jönköpings län's organisation (api.md), enough for the rules that
// read organ kinds, parents and presidia.
inline std::vector<Organ> RjlOrgans() {
  auto organ = [](const char* code, const char* name, const char* kind,
                  std::optional<std::string> parent, std::optional<std::string> presidium) {
    return Organ{code, name, kind, std::move(parent), std::move(presidium)};
  };
  return {
      organ("rf", "Regionfullmäktige", "fullmäktige", std::nullopt, "rf-pres"),
      organ("rf-pres", "Regionfullmäktiges presidium", "presidium", "rf", std::nullopt),
      organ("rs", "Regionstyrelsen", "styrelse", std::nullopt, "rs-pres"),
      organ("rs-au", "Regionstyrelsens arbetsutskott", "utskott", "rs", std::nullopt),
      organ("rs-pres", "Regionstyrelsens presidium", "presidium", "rs", std::nullopt),
      organ("fs", "Nämnd för folkhälsa och sjukvård", "nämnd", std::nullopt, "fs-pres"),
      organ("fs-pres", "Presidium – Nämnd för folkhälsa och sjukvård", "presidium", "fs",
            std::nullopt),
      organ("ana", "Nämnd för arbetsmarknad, näringsliv och attraktivitet", "nämnd", std::nullopt,
            "ana-pres"),
      organ("ana-pres", "Presidium – Nämnd för arbetsmarknad, näringsliv och attraktivitet",
            "presidium", "ana", std::nullopt),
      organ("ana-ku", "Kulturutskott – Nämnd för arbetsmarknad, näringsliv och attraktivitet",
            "utskott", "ana", std::nullopt),
      organ("tim", "Nämnd för trafik, infrastruktur och miljö", "nämnd", std::nullopt, "tim-pres"),
      organ("tim-pres", "Presidium – Nämnd för trafik, infrastruktur och miljö", "presidium", "tim",
            std::nullopt),
      organ("pers-del", "Personaldelegationen", "delegation", "rs", std::nullopt),
      organ("rlk", "Regionledningskontoret", "förvaltning", std::nullopt, std::nullopt),
  };
}

}  // namespace kansli::workflow::fakes
