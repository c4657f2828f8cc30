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
    for (std::size_t i = 0; i < claimed.size(); ++i) {
      const auto& r = claimed[i];
      const Key k{r.case_id, r.planned.deadline_seq, r.planned.deadline_kind,
                  workflow::FormatDate(r.planned.deadline_due)};
      if (latest[k] != i) {
        uow.FinishReminder(r.id, "dropped", "ersatt av en senare påminnelse");
        ++result.dropped;
        continue;
      }
      // Re-read the case: the deadline may have been met or moved since planning.
      auto c = uow.LockCase(r.case_id);
      const auto deadlines = c ? uow.Deadlines(r.case_id) : std::vector<workflow::Deadline>{};
      const auto seq = static_cast<std::size_t>(r.planned.deadline_seq);
      const workflow::Deadline* d =
          seq >= 1 && seq <= deadlines.size() ? &deadlines[seq - 1] : nullptr;
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
        uow.FinishReminder(r.id, "dropped", why);
        ++result.dropped;
        continue;
      }
      c->deadlines = deadlines;
      const auto history = uow.History(r.case_id);
      std::optional<workflow::HistoryEntry> last;
      if (!history.empty()) last = history.back();
      // The message says whether it escalates by the days overdue today.
      workflow::PlannedReminder now_step = r.planned;
      const workflow::ReminderRule rule = rules.Rule(r.planned.deadline_kind);
      const int overdue = workflow::DaysBetween(d->due, today);
      now_step.escalate =
          r.planned.escalate || (rule.escalate_after > 0 && overdue >= rule.escalate_after);
      auto n = ComposeReminder(
          ReminderContext{*c, *d, now_step, last, organs, today, settings_.base_url});
      n.reminder_id = r.id;
      const auto organ = d->organ ? d->organ : c->responsible_organ;
      const workflow::Organ* o = Find(organs, organ);
      if (settings_.email) {
        for (const auto& p : workflow::RecipientsFor(*c, organ, o ? o->presidium : std::nullopt,
                                                     now_step.escalate, recipients))
          n.deliveries.push_back({"email", p.email, std::nullopt});
      }
      for (const auto& w : webhooks) n.deliveries.push_back({"webhook", w.url, w.id});
      uow.InsertNotification(n, now);
      uow.FinishReminder(r.id, "fired", "");
      if (r.planned.step.rfind("overdue:", 0) == 0 || r.planned.step == "on_day") {
        if (auto next = workflow::NextOverdue(r.planned, rule, today, settings_.reminder_hour))
          uow.AddReminder(r.case_id, *next);
      }
      ++result.fired;
    }
  });
  if (result.fired + result.dropped > 0)
    spdlog::info("event=reminders_fired fired={} dropped={}", result.fired, result.dropped);
  return result;
}

}  // namespace kansli::notifications
