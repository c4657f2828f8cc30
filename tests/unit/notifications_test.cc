// The pure parts of notifications/: message text, backoff, signatures.
#include <doctest/doctest.h>

#include "notifications/channels.h"
#include "notifications/dispatcher.h"
#include "notifications/messages.h"

namespace kansli::notifications {
namespace {

using namespace date::literals;

TEST_CASE("A reminder tells the case, the deadline, its date and the days left, in Swedish") {
  workflow::Case c;
  c.id = 17;
  c.reference = "RJL 2021/1342";
  c.type = "motion";
  c.title = "Kultur för hälsa";
  c.state = "in_preparation";
  c.responsible_organ = "fs";
  c.officer = "Anna";
  workflow::Deadline d;
  d.kind = "answer_due";
  d.label = "Svar från ansvarig nämnd";
  d.due = 2022_y / 2 / 21;
  d.basis = "Fördelad 2021-08-19 + 6 månader";
  d.organ = "fs";
  workflow::PlannedReminder r{2, "answer_due", d.due, "before:7", 2022_y / 2 / 14, {}, false};
  workflow::HistoryEntry last;
  last.event = "note";
  last.date = 2022_y / 2 / 9;
  last.organ = "fs-pres";
  last.paragraph = "§ 30";
  last.text = "Informationen noteras";
  const std::vector<workflow::Organ> organs = {
      {"fs", "Nämnd för folkhälsa och sjukvård", "nämnd", std::nullopt, std::nullopt}};
  auto n = ComposeReminder({c, d, r, last, organs, 2022_y / 2 / 14, "https://kansli.test"});
  CHECK(n.subject ==
        "Påminnelse: RJL 2021/1342 Kultur för hälsa – Svar från ansvarig nämnd om 7 dagar "
        "(2022-02-21)");
  CHECK(n.kind == "reminder");
  CHECK(n.body.find("Ansvarig:      Nämnd för folkhälsa och sjukvård") != std::string::npos);
  CHECK(n.body.find("Senast:        2022-02-09 fs-pres § 30") != std::string::npos);
  CHECK(n.body.find("https://kansli.test/cases/17") != std::string::npos);
  CHECK(n.payload.at("deadline").at("days_left") == 7);

  r.escalate = true;
  n = ComposeReminder({c, d, r, last, organs, 2022_y / 3 / 7, "https://kansli.test"});
  CHECK(n.subject.rfind("Eskalering: ", 0) == 0);
  CHECK(n.subject.find("försenad 14 dagar") != std::string::npos);
  CHECK(n.kind == "escalation");

  c.confidential = true;
  n = ComposeReminder({c, d, r, last, organs, 2022_y / 3 / 7, "https://kansli.test"});
  CHECK(n.subject.find("Kultur") == std::string::npos);
  CHECK(n.body.find("Informationen noteras") == std::string::npos);
}

TEST_CASE("Backoff doubles from the base, is capped, and jitters by at most 20 %") {
  DispatcherSettings s;
  s.backoff_base = std::chrono::seconds(30);
  s.backoff_max = std::chrono::seconds(3600);
  CHECK(Backoff(s, 1, 0.5) == std::chrono::milliseconds(30000));
  CHECK(Backoff(s, 2, 0.5) == std::chrono::milliseconds(60000));
  CHECK(Backoff(s, 3, 0.0) == std::chrono::milliseconds(96000));
  CHECK(Backoff(s, 3, 1.0) == std::chrono::milliseconds(144000));
  CHECK(Backoff(s, 30, 0.5) == std::chrono::milliseconds(3600000));
}

TEST_CASE("HMAC-SHA256 matches RFC 4231 test case 2") {
  CHECK(HmacSha256Hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("An e-mail is UTF-8 plain text with an encoded subject and a stable Message-ID") {
  SmtpSettings s;
  s.url = "smtp://127.0.0.1:25";
  s.from = "kansli@rjl.se";
  EmailChannel email(s);
  workflow::Delivery d;
  d.id = 42;
  d.target = "anna@rjl.se";
  d.subject = "Påminnelse: RJL 2021/1342";
  d.body = "Rad ett\nRad två\n";
  const std::string m = email.Render(d);
  CHECK(m.find("Subject: =?UTF-8?B?") != std::string::npos);
  CHECK(m.find("Message-ID: <kansli-delivery-42@rjl.se>\r\n") != std::string::npos);
  CHECK(m.find("To: <anna@rjl.se>\r\n") != std::string::npos);
  CHECK(m.find("\r\n\r\nRad ett\r\nRad två\r\n") != std::string::npos);
}

}  // namespace
}  // namespace kansli::notifications
