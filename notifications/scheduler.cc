#include "notifications/scheduler.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <map>
#include <random>
#include <tuple>

#include "notifications/messages.h"

namespace kansli::notifications {

namespace {

std::string RandomId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[40];
  std::snprintf(buf, sizeof buf, "sched-%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

const workflow::Organ* Find(const std::vector<workflow::Organ>& organs,
                            const std::optional<std::string>& code) {
  if (!code) return nullptr;
  for (const auto& o : organs)
    if (o.code == *code) return &o;
  return nullptr;
}

}  // namespace

ReminderScheduler::ReminderScheduler(workflow::Transactions& tx, const workflow::Clock& clock,
                                     SchedulerSettings settings)
    : tx_(tx), clock_(clock), settings_(std::move(settings)) {}

FireResult ReminderScheduler::FireDue() {
  FireResult result;
  tx_.Run(RandomId(), [&](workflow::UnitOfWork& uow) {
    result = FireResult{};
    const auto now = clock_.Now();
    const workflow::Date today = workflow::StockholmDate(now);
    auto claimed = uow.ClaimDueReminders(now, settings_.batch);
    if (claimed.empty()) return;
    if (settings_.fault == "die_after_claim") {
      spdlog::warn("event=test_fault fault=die_after_claim claimed={}", claimed.size());
      std::_Exit(70);
    }
    // Of several due reminders of one deadline only the latest goes out.
    using Key = std::tuple<std::int64_t, int, std::string, std::string>;
    std::map<Key, std::size_t> latest;
    for (std::size_t i = 0; i < claimed.size(); ++i) {
      const auto& r = claimed[i];
      const Key k{r.case_id, r.planned.deadline_seq, r.planned.deadline_kind,
                  workflow::FormatDate(r.planned.deadline_due)};
      auto it = latest.find(k);
      if (it == latest.end() || claimed[it->second].planned.fire_at < r.planned.fire_at)
        latest[k] = i;
    }
    const auto organs = uow.Organs();
    const auto recipients = uow.Recipients();
    const auto webhooks = uow.Webhooks();
    const auto rules = uow.ReadReminderRules();
    // Re-read the cases: a deadline may have been met or moved since planning.
    std::vector<std::int64_t> ids;
    for (const auto& r : claimed) ids.push_back(r.case_id);
    std::map<std::int64_t, workflow::Case> cases;
    for (auto& c : uow.ReadCases(ids)) cases.emplace(c.id, std::move(c));
    const auto last = uow.LastHistory(ids);
    std::vector<workflow::UnitOfWork::ReminderOutcome> outcomes;
    std::vector<workflow::NewNotification> notifications;
    std::vector<workflow::StoredReminder> next_steps;
    for (std::size_t i = 0; i < claimed.size(); ++i) {
      const auto& r = claimed[i];
      const Key k{r.case_id, r.planned.deadline_seq, r.planned.deadline_kind,
                  workflow::FormatDate(r.planned.deadline_due)};
      if (latest[k] != i) {
        outcomes.push_back({r.id, "dropped", "ersatt av en senare påminnelse"});
        continue;
      }
      auto found = cases.find(r.case_id);
      const workflow::Case* c = found == cases.end() ? nullptr : &found->second;
      const auto seq = static_cast<std::size_t>(r.planned.deadline_seq);
      const workflow::Deadline* d =
          c && seq >= 1 && seq <= c->deadlines.size() ? &c->deadlines[seq - 1] : nullptr;
      std::string why;
      if (!d || d->kind != r.planned.deadline_kind) {
        why = "fristen finns inte längre";
      } else if (d->met_on) {
        why = "fristen uppfylld " + workflow::FormatDate(*d->met_on);
      } else if (d->cancelled) {
        why = "ärendet avslutat";
      } else if (d->due != r.planned.deadline_due) {
        why = "fristen flyttad till " + workflow::FormatDate(d->due);
      }
      if (!why.empty()) {
        outcomes.push_back({r.id, "dropped", why});
        continue;
      }
      std::optional<workflow::HistoryEntry> last_handling;
      if (auto h = last.find(r.case_id); h != last.end()) last_handling = h->second;
      // Whether it escalates is judged by the days overdue today.
      workflow::PlannedReminder now_step = r.planned;
      const workflow::ReminderRule rule = rules.Rule(r.planned.deadline_kind);
      const int overdue = workflow::DaysBetween(d->due, today);
      now_step.escalate =
          r.planned.escalate || (rule.escalate_after > 0 && overdue >= rule.escalate_after);
      auto n = ComposeReminder(
          ReminderContext{*c, *d, now_step, last_handling, organs, today, settings_.base_url});
      n.reminder_id = r.id;
      const auto organ = d->organ ? d->organ : c->responsible_organ;
      const workflow::Organ* o = Find(organs, organ);
      if (settings_.email) {
        for (const auto& p : workflow::RecipientsFor(*c, organ, o ? o->presidium : std::nullopt,
                                                     now_step.escalate, recipients))
          n.deliveries.push_back({"email", p.email, std::nullopt});
      }
      for (const auto& w : webhooks) n.deliveries.push_back({"webhook", w.url, w.id});
      notifications.push_back(std::move(n));
      outcomes.push_back({r.id, "fired", ""});
      if (r.planned.step.rfind("overdue:", 0) == 0 || r.planned.step == "on_day") {
        if (auto next = workflow::NextOverdue(r.planned, rule, today, settings_.reminder_hour))
          next_steps.push_back({0, r.case_id, *next});
      }
    }
    uow.InsertNotifications(notifications, now);
    uow.FinishReminders(outcomes);
    if (!next_steps.empty()) uow.AddReminders(next_steps);
    result.fired = static_cast<int>(notifications.size());
    result.dropped = static_cast<int>(outcomes.size() - notifications.size());
  });
  if (result.fired + result.dropped > 0)
    spdlog::info("event=reminders_fired fired={} dropped={}", result.fired, result.dropped);
  return result;
}

}  // namespace kansli::notifications
