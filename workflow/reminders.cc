#include "workflow/reminders.h"

#include <algorithm>

#include "workflow/clock.h"
#include "workflow/errors.h"

namespace kansli::workflow {

namespace {

Date Plus(const Date& d, int days) { return Date{date::sys_days{d} + date::days{days}}; }
bool Before(const Date& a, const Date& b) { return date::sys_days{a} < date::sys_days{b}; }

PlannedReminder Step(int seq, const Deadline& d, std::string step, const Date& fire_on,
                     bool escalate) {
  return PlannedReminder{seq, d.kind, d.due, std::move(step), fire_on, {}, escalate};
}

// The overdue step (days overdue, a multiple of `every`) firing first on or after `from`.
std::optional<PlannedReminder> OverdueFrom(int seq, const Deadline& d, const ReminderRule& rule,
                                           const Date& from) {
  if (rule.overdue_every <= 0) return std::nullopt;
  int days = rule.overdue_every;
  const int behind = DaysBetween(d.due, from);
  if (behind > days)
    days = ((behind + rule.overdue_every - 1) / rule.overdue_every) * rule.overdue_every;
  return Step(seq, d, "overdue:" + std::to_string(days), Plus(d.due, days),
              rule.escalate_after > 0 && days >= rule.escalate_after);
}

}  // namespace

ReminderRule ReminderRules::Rule(const std::string& kind) const {
  auto it = by_kind.find(kind);
  if (it == by_kind.end()) it = by_kind.find("*");
  ReminderRule r = it == by_kind.end() ? ReminderRule{} : it->second;
  r.kind = kind;
  return r;
}

void ValidateReminderRule(const ReminderRule& rule) {
  if (rule.kind.empty() || rule.kind.size() > 64)
    throw ValidationError("kind", "'kind' must be a deadline kind or \"*\"");
  if (rule.days_before.size() > 20)
    throw ValidationError("days_before", "'days_before' has more than 20 entries");
  for (int d : rule.days_before)
    if (d < 1 || d > 365)
      throw ValidationError("days_before", "'days_before' must hold days between 1 and 365");
  if (rule.overdue_every < 0 || rule.overdue_every > 365)
    throw ValidationError("overdue_every", "'overdue_every' must be between 0 and 365 days");
  if (rule.escalate_after < 0 || rule.escalate_after > 3650)
    throw ValidationError("escalate_after", "'escalate_after' must be between 0 and 3650 days");
}

std::vector<PlannedReminder> PlanReminders(const std::vector<Deadline>& deadlines,
                                           const ReminderRules& rules, const Date& today,
                                           int hour) {
  std::vector<PlannedReminder> out;
  for (std::size_t i = 0; i < deadlines.size(); ++i) {
    const Deadline& d = deadlines[i];
    if (d.met_on || d.cancelled) continue;
    const int seq = static_cast<int>(i) + 1;
    const ReminderRule rule = rules.Rule(d.kind);
    auto days = rule.days_before;
    std::sort(days.begin(), days.end(), std::greater<int>());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    for (int n : days) {
      const Date on = Plus(d.due, -n);
      if (!Before(on, today)) out.push_back(Step(seq, d, "before:" + std::to_string(n), on, false));
    }
    if (rule.on_the_day && !Before(d.due, today))
      out.push_back(Step(seq, d, "on_day", d.due, false));
    if (auto next = OverdueFrom(seq, d, rule, today)) out.push_back(*next);
  }
  for (auto& r : out) r.fire_at = StockholmInstant(r.fire_on, hour);
  return out;
}

std::optional<PlannedReminder> NextOverdue(const PlannedReminder& fired, const ReminderRule& rule,
                                           const Date& today, int hour) {
  Deadline d;
  d.kind = fired.deadline_kind;
  d.due = fired.deadline_due;
  const Date after = Before(today, fired.fire_on) ? fired.fire_on : today;
  auto next = OverdueFrom(fired.deadline_seq, d, rule, Plus(after, 1));
  if (next) next->fire_at = StockholmInstant(next->fire_on, hour);
  return next;
}

void ValidateRecipient(const Recipient& r) {
  if (r.name.empty() || r.name.size() > 200)
    throw ValidationError("name", "'name' must be 1-200 bytes");
  const auto at = r.email.find('@');
  if (r.email.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= r.email.size() ||
      r.email.find_first_of(" \t\r\n<>,;\"") != std::string::npos)
    throw ValidationError("email", "'email' must be an e-mail address such as namn@rjl.se");
  if (std::find(kRecipientFunctions.begin(), kRecipientFunctions.end(), r.function) ==
      kRecipientFunctions.end())
    throw ValidationError("function", "'function' must be officer, secretary, chair or kansli");
  if ((r.function == "secretary" || r.function == "chair") && !r.organ)
    throw ValidationError("organ", "a " + r.function + " serves an organ: 'organ' is required");
}

std::vector<Recipient> RecipientsFor(const Case& c, const std::optional<std::string>& organ,
                                     const std::optional<std::string>& presidium, bool escalate,
                                     const std::vector<Recipient>& all) {
  std::vector<Recipient> out;
  auto add = [&](const Recipient& r) {
    if (!r.active) return;
    for (const auto& x : out)
      if (x.email == r.email) return;
    out.push_back(r);
  };
  for (const auto& r : all) {
    if (r.function == "officer" && c.officer && r.name == *c.officer) add(r);
    if (r.function == "secretary" && organ && r.organ == organ) add(r);
  }
  if (escalate) {
    for (const auto& r : all) {
      if (r.function == "chair" && r.organ && (r.organ == organ || r.organ == presidium)) add(r);
      if (r.function == "kansli") add(r);
    }
  }
  if (out.empty())
    for (const auto& r : all)
      if (r.function == "kansli") add(r);
  return out;
}

void ValidateWebhook(const Webhook& w) {
  if (w.url.size() > 2000 || !(w.url.rfind("http://", 0) == 0 || w.url.rfind("https://", 0) == 0) ||
      w.url.find_first_of(" \t\r\n") != std::string::npos)
    throw ValidationError("url", "'url' must be an http:// or https:// address");
  if (w.secret.size() < 16 || w.secret.size() > 200)
    throw ValidationError("secret", "'secret' must be 16-200 bytes");
}

}  // namespace kansli::workflow
