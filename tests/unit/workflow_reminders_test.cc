// When reminders go out and to whom (workflow/reminders.h).
#include "workflow/reminders.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "workflow/clock.h"
#include "workflow/errors.h"

namespace kansli::workflow {
namespace {

using namespace date::literals;

Deadline Due(const std::string& kind, Date due) {
  Deadline d;
  d.kind = kind;
  d.due = due;
  return d;
}

std::vector<std::string> Steps(const std::vector<PlannedReminder>& rs) {
  std::vector<std::string> out;
  for (const auto& r : rs) out.push_back(r.step + " " + FormatDate(r.fire_on));
  return out;
}

TEST_CASE(
    "By default a deadline is reminded 30, 14, 7 and 1 days before, on the day and a week after") {
  const auto rs =
      PlanReminders({Due("answer_due", 2023_y / 8 / 2)}, ReminderRules{}, 2023_y / 3 / 1);
  CHECK(Steps(rs) == std::vector<std::string>{"before:30 2023-07-03", "before:14 2023-07-19",
                                              "before:7 2023-07-26", "before:1 2023-08-01",
                                              "on_day 2023-08-02", "overdue:7 2023-08-09"});
  for (const auto& r : rs) {
    CHECK(r.deadline_seq == 1);
    CHECK_FALSE(r.escalate);
  }
  // At 07:00 in Stockholm (summer time: 05:00 UTC).
  CHECK(FormatInstant(rs[0].fire_at) == "2023-07-03T07:00:00+02:00");
}

TEST_CASE("Steps already past are not planned and an overdue deadline gets its next weekly step") {
  const auto rs =
      PlanReminders({Due("decision_due", 2022_y / 6 / 15)}, ReminderRules{}, 2022_y / 7 / 1);
  // 16 days overdue on 2022-07-01: the next step is 21 days, which escalates.
  REQUIRE(rs.size() == 1);
  CHECK(rs[0].step == "overdue:21");
  CHECK(rs[0].fire_on == 2022_y / 7 / 6);
  CHECK(rs[0].escalate);
}

TEST_CASE("Met and cancelled deadlines have no reminders") {
  Deadline met = Due("answer_due", 2023_y / 8 / 2);
  met.met_on = 2023_y / 5 / 1;
  Deadline cancelled = Due("views_due", 2023_y / 8 / 2);
  cancelled.cancelled = true;
  CHECK(PlanReminders({met, cancelled}, ReminderRules{}, 2023_y / 3 / 1).empty());
}

TEST_CASE("Rules per kind replace the default rule \"*\", which covers the other kinds") {
  ReminderRules rules;
  rules.by_kind["*"] = ReminderRule{"*", {7}, false, 0, 0};
  rules.by_kind["views_due"] = ReminderRule{"views_due", {3, 3, 10}, true, 2, 4};
  const auto rs = PlanReminders(
      {Due("answer_due", 2023_y / 8 / 2), Due("views_due", 2023_y / 8 / 2)}, rules, 2023_y / 3 / 1);
  CHECK(Steps(rs) == std::vector<std::string>{"before:7 2023-07-26", "before:10 2023-07-23",
                                              "before:3 2023-07-30", "on_day 2023-08-02",
                                              "overdue:2 2023-08-04"});
  CHECK(rs[1].deadline_seq == 2);
}

TEST_CASE("The next overdue step follows the fired one, or today after a pause") {
  PlannedReminder fired{1, "answer_due", 2023_y / 8 / 2, "overdue:7", 2023_y / 8 / 9, {}, false};
  const ReminderRule rule;
  auto next = NextOverdue(fired, rule, 2023_y / 8 / 9);
  REQUIRE(next.has_value());
  CHECK(next->step == "overdue:14");
  CHECK(next->escalate);
  next = NextOverdue(fired, rule, 2023_y / 9 / 1);  // the scheduler was away for weeks
  REQUIRE(next.has_value());
  CHECK(next->step == "overdue:35");
  ReminderRule never = rule;
  never.overdue_every = 0;
  CHECK_FALSE(NextOverdue(fired, never, 2023_y / 8 / 9).has_value());
}

TEST_CASE(
    "Reminders reach the officer and the organ's secretary, escalations also the chair and the "
    "kansli") {
  const std::vector<Recipient> all = {
      {1, "Anna", "anna@rjl.test", "officer", std::nullopt, true},
      {2, "Sekr FS", "fs@rjl.test", "secretary", std::string("fs"), true},
      {3, "Sekr TIM", "tim@rjl.test", "secretary", std::string("tim"), true},
      {4, "Ordf FS", "ordf@rjl.test", "chair", std::string("fs-pres"), true},
      {5, "Kansliet", "kansli@rjl.test", "kansli", std::nullopt, true},
      {6, "Anna igen", "anna@rjl.test", "secretary", std::string("fs"), true}};
  Case c;
  c.officer = "Anna";
  auto emails = [](const std::vector<Recipient>& rs) {
    std::vector<std::string> out;
    for (const auto& r : rs) out.push_back(r.email);
    return out;
  };
  CHECK(emails(RecipientsFor(c, std::string("fs"), std::string("fs-pres"), false, all)) ==
        std::vector<std::string>{"anna@rjl.test", "fs@rjl.test"});
  CHECK(
      emails(RecipientsFor(c, std::string("fs"), std::string("fs-pres"), true, all)) ==
      std::vector<std::string>{"anna@rjl.test", "fs@rjl.test", "ordf@rjl.test", "kansli@rjl.test"});
  Case nobody;
  CHECK(emails(RecipientsFor(nobody, std::string("ana"), std::nullopt, false, all)) ==
        std::vector<std::string>{"kansli@rjl.test"});
}

TEST_CASE("Rules, recipients and webhooks are validated") {
  ReminderRule r;
  r.kind = "answer_due";
  CHECK_NOTHROW(ValidateReminderRule(r));
  r.days_before = {0};
  CHECK_THROWS_AS(ValidateReminderRule(r), ValidationError);
  r.days_before = {7};
  r.overdue_every = -1;
  CHECK_THROWS_AS(ValidateReminderRule(r), ValidationError);
  CHECK_THROWS_AS(ValidateRecipient({0, "A", "a.rjl.test", "kansli", std::nullopt, true}),
                  ValidationError);
  CHECK_THROWS_AS(ValidateRecipient({0, "A", "a@rjl.test", "chair", std::nullopt, true}),
                  ValidationError);
  CHECK_THROWS_AS(ValidateRecipient({0, "A", "a@rjl.test", "boss", std::nullopt, true}),
                  ValidationError);
  CHECK_NOTHROW(ValidateRecipient({0, "A", "a@rjl.test", "kansli", std::nullopt, true}));
  CHECK_THROWS_AS(ValidateWebhook({0, "file:///etc/passwd", "0123456789abcdef", true}),
                  ValidationError);
  CHECK_THROWS_AS(ValidateWebhook({0, "https://x.test/h", "short", true}), ValidationError);
  CHECK_NOTHROW(ValidateWebhook({0, "https://x.test/h", "0123456789abcdef", true}));
}

}  // namespace
}  // namespace kansli::workflow
