// GET /api/v1/calendar.ics: an organ's meetings and open deadlines as
// iCalendar, parsed by Python's icalendar package (Debian python3-icalendar)
// as a calendar client would, and checked line by line against RFC 5545.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/api/api_support.h"
#include "tests/support/env.h"
#include "tests/support/process.h"

namespace kansli::test {
namespace {

const std::string kCalendar = "/api/v1/calendar.ics";

// Parses the feed with icalendar and prints what a client would show; fails
// (non-zero exit) when anything did not parse.
constexpr const char* kParse = R"PY(
import json, sys
import icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
errors = [(c.name, c.errors) for c in cal.walk() if getattr(c, 'errors', None)]
if errors:
    sys.exit('parse errors: %r' % errors)
out = {k: str(cal.get(k)) for k in ('VERSION', 'PRODID', 'CALSCALE', 'X-WR-CALNAME')}
out['events'] = []
for ev in cal.walk('VEVENT'):
    start = ev.decoded('DTSTART')
    out['events'].append({
        'uid': str(ev.get('UID')),
        'summary': str(ev.get('SUMMARY')),
        'description': str(ev.get('DESCRIPTION', '')),
        'location': str(ev.get('LOCATION', '')),
        'start': start.isoformat(),
        'all_day': not hasattr(start, 'hour'),
        'end': ev.decoded('DTEND').isoformat(),
        'stamp': ev.decoded('DTSTAMP').isoformat(),
    })
print(json.dumps(out, ensure_ascii=False))
)PY";

// The feed as icalendar reads it.
json ParseWithPython(const std::string& body) {
  const auto path = TestOutputDir() / ("calendar-" + UniqueSuffix() + ".ics");
  {
    std::ofstream f(path, std::ios::binary);
    f << body;
  }
  const auto r = RunCommand({"/usr/bin/python3", "-c", kParse, path.string()});
  INFO("python3 icalendar: ", r.Describe(), "; the feed is in ", path.string());
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

// RFC 5545 3.1: CRLF line ends, at most 75 octets a line.
void CheckLines(const std::string& body) {
  REQUIRE(body.size() >= 2);
  CHECK(body.substr(body.size() - 2) == "\r\n");
  std::size_t start = 0;
  while (start < body.size()) {
    const auto end = body.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    const std::string line = body.substr(start, end - start);
    CAPTURE(line);
    CHECK(line.size() <= 75);
    CHECK(line.find('\n') == std::string::npos);
    start = end + 2;
  }
}

// The events by summary (a summary may repeat: then the list of their starts).
std::map<std::string, std::vector<std::string>> StartsBySummary(const json& feed) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& e : feed.at("events"))
    out[e.at("summary").get<std::string>()].push_back(e.at("start").get<std::string>());
  return out;
}

TEST_SUITE("api") {
  TEST_CASE("The calendar feed of fs parses with icalendar and holds its meetings and deadlines") {
    ServerOptions o = PrivateServer::DefaultOptions();
    o.demo_load = true;
    o.env["KANSLI_PUBLIC_URL"] = "https://kansli.example.se/";
    PrivateServer p(o);
    const auto& s = p.server;
    const auto registrar = s.As("registrar");
    const auto secretary = s.As("secretary");
    // Today is 2023-03-01: the feed starts on 2022-03-01.

    // A motion whose title needs escaping and folding, at fs.
    const std::string tricky =
        "Cyklar, bussar; tåg \\ färjor – en mycket lång rubrik om kollektivtrafiken i Jönköpings "
        "län";
    const long long tricky_id = CreateCase(registrar, MotionBody(tricky, "2023-02-01"))["id"];
    SendEvent(
        secretary, tricky_id,
        {{"event", "distribute"}, {"date", "2023-02-02"}, {"organ", "rf-pres"}, {"to", "fs"}});
    // A confidential one, also at fs.
    json secret_body = MotionBody("Hemlig rubrik", "2023-02-01");
    secret_body["confidential"] = true;
    const long long secret_id = CreateCase(registrar, secret_body)["id"];
    SendEvent(
        secretary, secret_id,
        {{"event", "distribute"}, {"date", "2023-02-02"}, {"organ", "rf-pres"}, {"to", "fs"}});
    // A meeting with a place that needs escaping, and a cancelled one.
    const auto added = registrar.PostJson(
        "/api/v1/meetings",
        {{"organ", "fs"}, {"date", "2023-12-12"}, {"time", "13:00"}, {"place", "Sal A, plan 2"}});
    REQUIRE(added.status == 201);
    const auto cancelled =
        registrar.PostJson("/api/v1/meetings", {{"organ", "fs"}, {"date", "2023-12-19"}});
    REQUIRE(cancelled.status == 201);
    REQUIRE(registrar
                .Request("DELETE",
                         "/api/v1/meetings/" +
                             std::to_string(cancelled.Json().at("id").get<long long>()),
                         "", {})
                .status == 200);

    const auto reader = s.As("reader");
    const auto r = reader.Get(kCalendar + "?organ=fs");
    INFO(r.Describe());
    REQUIRE(r.status == 200);
    CHECK(r.Header("Content-Type") == "text/calendar; charset=utf-8");
    CheckLines(r.body);
    const json feed = ParseWithPython(r.body);
    CHECK(feed.at("VERSION") == "2.0");
    CHECK(feed.at("PRODID") == "-//Kansli//Kansli//SV");
    CHECK(feed.at("CALSCALE") == "GREGORIAN");
    CHECK(feed.at("X-WR-CALNAME") == "Kansli – Nämnd för folkhälsa och sjukvård");

    const auto by_summary = StartsBySummary(feed);
    // Every planned fs meeting from 2022-03-01 on, as an all-day event; none cancelled.
    const json meetings = reader.Get("/api/v1/meetings?organ=fs&from=2022-03-01").Json();
    std::vector<std::string> expected_days;
    for (const auto& m : meetings.at("items")) expected_days.push_back(m.at("date"));
    REQUIRE(expected_days.size() >= 2);
    CHECK(by_summary.at("Sammanträde: Nämnd för folkhälsa och sjukvård") == expected_days);
    std::set<std::string> days(expected_days.begin(), expected_days.end());
    CHECK(days.count("2023-12-12") == 1);
    CHECK(days.count("2023-12-19") == 0);
    for (const auto& e : feed.at("events")) {
      CAPTURE(e.dump());
      CHECK(e.at("all_day") == true);
      CHECK(e.at("stamp") == "2023-03-01T09:00:00+00:00");
      if (e.at("start") == "2023-12-12") {
        CHECK(e.at("location") == "Sal A, plan 2");
        CHECK(e.at("description").get<std::string>().find("Tid: 13:00") != std::string::npos);
        CHECK(e.at("end") == "2023-12-13");
      }
    }

    // The demo motion's open deadlines from 2022-03-01 on; its answer_due
    // (2022-02-21) is before the window.
    CHECK(by_summary.at("Beslut i fullmäktige (KL 5 kap. 35 §): RJL 2021/1342 Kultur för hälsa") ==
          std::vector<std::string>{"2022-06-15"});
    CHECK(by_summary.count("Svar från ansvarig nämnd: RJL 2021/1342 Kultur för hälsa") == 0);
    // The new motion's answer_due (2023-02-02 + 6 months = 2023-08-02), with
    // its title intact after escaping and folding; the link in the description.
    const json tricky_case = GetCase(registrar, tricky_id);
    const std::string tricky_ref = tricky_case.at("reference");
    std::string answer_due;
    for (const auto& d : tricky_case.at("deadlines"))
      if (d.at("kind") == "answer_due") answer_due = d.at("due");
    REQUIRE(!answer_due.empty());
    CHECK(by_summary.at("Svar från ansvarig nämnd: " + tricky_ref + " " + tricky) ==
          std::vector<std::string>{answer_due});
    int linked = 0;
    const std::string uid_start = "deadline-" + std::to_string(tricky_id) + "-answer_due-";
    for (const auto& e : feed.at("events")) {
      const std::string uid = e.at("uid");
      if (uid.rfind(uid_start, 0) != 0) continue;
      CHECK(uid.size() > uid_start.size() + 7);
      CHECK(uid.substr(uid.size() - 7) == "@kansli");
      CHECK(e.at("description")
                .get<std::string>()
                .find("https://kansli.example.se/cases/" + std::to_string(tricky_id)) !=
            std::string::npos);
      ++linked;
    }
    CHECK(linked == 1);
    // Readers see the confidential title redacted.
    CHECK(r.body.find("Hemlig") == std::string::npos);
    const std::string secret_ref = GetCase(registrar, secret_id).at("reference");
    CHECK(by_summary.count("Svar från ansvarig nämnd: " + secret_ref + " Sekretessmarkerat") == 1);
    const auto registrar_feed = registrar.Get(kCalendar + "?organ=fs");
    CHECK(registrar_feed.body.find("Hemlig rubrik") != std::string::npos);

    // UIDs: unique, and the same on the next fetch.
    std::set<std::string> uids;
    for (const auto& e : feed.at("events")) uids.insert(e.at("uid").get<std::string>());
    CHECK(uids.size() == feed.at("events").size());
    const json refetched = ParseWithPython(reader.Get(kCalendar + "?organ=fs").body);
    std::set<std::string> again;
    for (const auto& e : refetched.at("events")) again.insert(e.at("uid").get<std::string>());
    CHECK(again == uids);

    // All organs: fullmäktige's meetings too.
    const auto all = reader.Get(kCalendar);
    REQUIRE(all.status == 200);
    CheckLines(all.body);
    const json all_feed = ParseWithPython(all.body);
    CHECK(all_feed.at("X-WR-CALNAME") == "Kansli – alla organ");
    CHECK(StartsBySummary(all_feed).count("Sammanträde: Regionfullmäktige") == 1);
    CHECK(all_feed.at("events").size() > feed.at("events").size());

    // An unknown organ: 422 naming it; no token: 401.
    const auto unknown = reader.Get(kCalendar + "?organ=xyz");
    CHECK(unknown.status == 422);
    CHECK(unknown.Json().at("error").at("details").at("field") == "organ");
    CHECK(s.Anonymous().Get(kCalendar).status == 401);
  }
}

}  // namespace
}  // namespace kansli::test
