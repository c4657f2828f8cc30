// The iCalendar writer (api/ical.h): TEXT escaping, line folding at 75
// octets without splitting UTF-8, the document, and the Kansli feed.
#include "api/ical.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace kansli::api {
namespace {

using namespace date::literals;

// The lines of a document, without their CRLF; fails when a line ends otherwise.
std::vector<std::string> Lines(const std::string& doc) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < doc.size()) {
    const auto end = doc.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    const std::string line = doc.substr(start, end - start);
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.find('\r') == std::string::npos);
    out.push_back(line);
    start = end + 2;
  }
  return out;
}

// Undoes the folding (RFC 5545 3.1): a CRLF followed by one space is removed.
std::string Unfold(const std::string& folded) {
  std::string out;
  for (std::size_t i = 0; i < folded.size(); ++i) {
    if (folded.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    out += folded[i];
  }
  return out;
}

// Whether `s` is valid UTF-8 (a folded line must be, on its own).
bool ValidUtf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80             ? 0
                          : (c & 0xE0) == 0xC0 ? 1
                          : (c & 0xF0) == 0xE0 ? 2
                          : (c & 0xF8) == 0xF0 ? 3
                                               : 4;
    if (n == 4 || i + n >= s.size() + (n == 0 ? 1 : 0)) return false;
    for (std::size_t k = 1; k <= n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n + 1;
  }
  return true;
}

TEST_CASE("ical: TEXT escapes backslash semicolon comma and line breaks") {
  CHECK(ICalText("a\\b;c,d") == "a\\\\b\\;c\\,d");
  CHECK(ICalText("rad 1\nrad 2\r\nrad 3\rrad 4") == "rad 1\\nrad 2\\nrad 3\\nrad 4");
  CHECK(ICalText("tab\tstays") == "tab\tstays");
  CHECK(ICalText(std::string("bell\x07") + "x") == "bell x");
  CHECK(ICalText("Kultur för hälsa: §§ 23–24") == "Kultur för hälsa: §§ 23–24");
  CHECK(ICalText("") == "");
}

TEST_CASE("ical: a short line is not folded and ends with CRLF") {
  CHECK(ICalFold("SUMMARY:kort") == "SUMMARY:kort\r\n");
  const std::string exactly75(75, 'x');
  CHECK(ICalFold(exactly75) == exactly75 + "\r\n");
}

TEST_CASE("ical: long lines fold at 75 octets with a leading space") {
  const std::string line = "DESCRIPTION:" + std::string(200, 'a');
  const std::string folded = ICalFold(line);
  const auto lines = Lines(folded);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].size() == 75);
  CHECK(lines[1].size() == 75);
  CHECK(lines[1][0] == ' ');
  CHECK(lines[2][0] == ' ');
  CHECK(Unfold(folded) == line + "\r\n");
}

TEST_CASE("ical: folding never splits a UTF-8 sequence") {
  // Two-, three- and four-byte characters at every offset around the fold.
  for (const std::string ch : {"å", "–", "😀"}) {
    for (int pad = 0; pad < 4; ++pad) {
      std::string line = "SUMMARY:" + std::string(pad, 'x');
      for (int i = 0; i < 60; ++i) line += ch;
      CAPTURE(ch);
      CAPTURE(pad);
      const std::string folded = ICalFold(line);
      for (const auto& l : Lines(folded)) {
        CHECK(l.size() <= 75);
        CHECK(ValidUtf8(l.substr(l[0] == ' ' ? 1 : 0)));
      }
      CHECK(Unfold(folded) == line + "\r\n");
    }
  }
}

TEST_CASE("ical: the document has the calendar properties and all-day events") {
  ICalCalendar cal;
  cal.name = "Kansli – Nämnd för folkhälsa och sjukvård";
  cal.stamp = date::sys_days{2023_y / 3 / 1} + std::chrono::hours(9);
  ICalEvent e;
  e.uid = "meeting-7@kansli";
  e.date = 2023_y / 12 / 31;
  e.summary = "Sammanträde: Nämnd för folkhälsa och sjukvård";
  e.description = "Rad ett\nRad två, med komma";
  e.location = "Sal A; plan 2";
  e.url = "http://127.0.0.1:8080/cases/3";
  e.categories = {"Sammanträde"};
  e.transparent = true;
  cal.events.push_back(e);
  const std::string doc = WriteICalendar(cal);
  const auto lines = Lines(Unfold(doc));
  const std::vector<std::string> expected = {
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Kansli//Kansli//SV",
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      "X-WR-CALNAME:Kansli – Nämnd för folkhälsa och sjukvård",
      "X-WR-TIMEZONE:Europe/Stockholm",
      "BEGIN:VEVENT",
      "UID:meeting-7@kansli",
      "DTSTAMP:20230301T090000Z",
      "DTSTART;VALUE=DATE:20231231",
      "DTEND;VALUE=DATE:20240101",
      "SUMMARY:Sammanträde: Nämnd för folkhälsa och sjukvård",
      "DESCRIPTION:Rad ett\\nRad två\\, med komma",
      "LOCATION:Sal A\\; plan 2",
      "URL:http://127.0.0.1:8080/cases/3",
      "CATEGORIES:Sammanträde",
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
      "END:VCALENDAR"};
  CHECK(lines == expected);
  for (const auto& l : Lines(doc)) CHECK(l.size() <= 75);
}

TEST_CASE("ical: CATEGORIES keeps one comma between values, also around an empty one") {
  ICalCalendar cal;
  ICalEvent e;
  e.uid = "u@kansli";
  e.date = 2023_y / 1 / 2;
  e.summary = "s";
  e.categories = {"", "Tidsfrist", ""};
  cal.events.push_back(e);
  e.categories = {"a,b", "c"};
  cal.events.push_back(e);
  std::vector<std::string> categories;
  for (const auto& l : Lines(Unfold(WriteICalendar(cal))))
    if (l.rfind("CATEGORIES:", 0) == 0) categories.push_back(l);
  CHECK(categories == std::vector<std::string>{"CATEGORIES:,Tidsfrist,", "CATEGORIES:a\\,b,c"});
}

TEST_CASE("ical: the Kansli feed names its events and redacts confidential titles") {
  workflow::CalendarFeed feed;
  feed.organ = workflow::Organ{"fs", "Nämnd för folkhälsa och sjukvård", "nämnd", {}, "fs-pres"};
  feed.organs = {*feed.organ, workflow::Organ{"rf", "Regionfullmäktige", "fullmäktige", {}, {}}};
  workflow::Meeting m;
  m.id = 12;
  m.organ = "fs";
  m.organ_name = "Nämnd för folkhälsa och sjukvård";
  m.date = 2023_y / 3 / 21;
  m.time = "13:00";
  m.place = "Sal A";
  feed.entries.meetings.push_back(m);
  workflow::CalendarDeadline d;
  d.seq = 2;
  d.deadline.kind = "decision_due";
  d.deadline.label = "Beslut i fullmäktige (KL 5 kap. 35 §)";
  d.deadline.due = 2023_y / 6 / 15;
  d.deadline.basis = "Inkom 2022-06-15 + 1 år";
  d.deadline.organ = "rf";
  d.case_summary.id = 5;
  d.case_summary.reference = "RJL 2022/5";
  d.case_summary.title = "Hemlig titel";
  d.case_summary.confidential = true;
  d.case_summary.responsible_organ = "fs";
  feed.entries.deadlines.push_back(d);

  const auto now = date::sys_days{2023_y / 3 / 1};
  const auto open = KansliCalendar(feed, false, "https://kansli.rjl.se", now);
  CHECK(open.name == "Kansli – Nämnd för folkhälsa och sjukvård");
  REQUIRE(open.events.size() == 2);
  CHECK(open.events[0].uid == "meeting-12@kansli");
  CHECK(open.events[0].summary == "Sammanträde: Nämnd för folkhälsa och sjukvård");
  CHECK(open.events[0].date == 2023_y / 3 / 21);
  CHECK(open.events[0].location == "Sal A");
  CHECK(open.events[0].description.find("Tid: 13:00") != std::string::npos);
  CHECK(open.events[1].uid == "deadline-5-decision_due-2@kansli");
  CHECK(open.events[1].summary == "Beslut i fullmäktige (KL 5 kap. 35 §): RJL 2022/5 Hemlig titel");
  CHECK(open.events[1].date == 2023_y / 6 / 15);
  CHECK(open.events[1].url == "https://kansli.rjl.se/cases/5");
  CHECK(open.events[1].description.find("Grund: Inkom 2022-06-15 + 1 år") != std::string::npos);
  CHECK(open.events[1].description.find("Regionfullmäktige") != std::string::npos);
  CHECK(open.events[1].description.find("https://kansli.rjl.se/cases/5") != std::string::npos);

  const auto redacted = KansliCalendar(feed, true, "https://kansli.rjl.se", now);
  CHECK(redacted.events[1].summary ==
        "Beslut i fullmäktige (KL 5 kap. 35 §): RJL 2022/5 Sekretessmarkerat");
  CHECK(redacted.events[1].description.find("Hemlig") == std::string::npos);

  feed.organ.reset();
  CHECK(KansliCalendar(feed, false, "", now).name == "Kansli – alla organ");
}

}  // namespace
}  // namespace kansli::api
