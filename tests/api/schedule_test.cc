// Deadlines back-scheduled from meeting plans, paragraph numbers per organ and
// year, and meeting agendas, over HTTP against the real server.
#include <doctest/doctest.h>

#include "tests/api/api_support.h"
#include "tests/support/env.h"

namespace kansli::test {
namespace {

json Deadline(const json& c, const std::string& kind) {
  for (const auto& d : c.at("deadlines"))
    if (d.at("kind") == kind) return d;
  FAIL("no deadline of kind ", kind, " in ", c.at("deadlines").dump());
  return json();
}

long long AddMeeting(const Http& http, const std::string& organ, const std::string& date) {
  const auto r = http.Post("/api/v1/meetings", json{{"organ", organ}, {"date", date}}.dump());
  REQUIRE_MESSAGE(r.status == 201, r.body);
  return r.Json().at("id").get<long long>();
}

long long Replay(const Http& registrar, const Http& secretary, const json& fixture) {
  const long long id = CreateCase(registrar, ForPosting(fixture.at("create"))).at("id");
  for (const auto& e : fixture.at("events")) SendEvent(secretary, id, ForPosting(e));
  return id;
}

json Section(const json& agenda, const std::string& code) {
  for (const auto& s : agenda.at("sections"))
    if (s.at("code") == code) return s;
  FAIL("no section ", code, " in ", agenda.dump());
  return json();
}

bool Lists(const json& section, long long case_id) {
  for (const auto& item : section.at("items"))
    if (item.at("case").at("id") == case_id) return true;
  return false;
}

json Agenda(const Http& http, long long meeting) {
  const auto r = http.Get("/api/v1/meetings/" + std::to_string(meeting) + "/agenda");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  return r.Json();
}

TEST_SUITE("api") {
  TEST_CASE(
      "The remiss RJL 2022/2018 with ANA's 2022 meetings is decided on 2022-10-12 and its "
      "proposal was due and met on 2022-09-21") {
    PrivateServer p;
    const auto sec = p.server.As("secretary");
    // The fixture's source: ANA's presidium met 2022-09-21 (§ 129), the nämnd 2022-10-12.
    AddMeeting(sec, "ana-pres", "2022-09-21");
    const long long ana = AddMeeting(sec, "ana", "2022-10-12");
    const long long id = Replay(p.server.As("registrar"), sec, ReadJsonFile(RemissFixturePath()));

    json c = GetCase(p.server.As("reader"), id);
    const json decision = Deadline(c, "decision_meeting");
    CHECK(decision.at("due") == "2022-10-12");
    CHECK(decision.at("latest") == "2022-10-24");  // answer by 2022-10-31, 7 days to send
    CHECK(decision.at("from_meeting_plan") == true);
    CHECK(decision.at("organ") == "ana");
    CHECK(decision.at("met") == false);
    const json proposal = Deadline(c, "proposal_due");
    CHECK(proposal.at("due") == "2022-09-21");
    CHECK(proposal.at("organ") == "ana-pres");
    CHECK(proposal.at("met_on") == "2022-09-21");
    const json history = History(p.server.As("reader"), id);
    CHECK(history.back().at("event") == "propose_response");
    CHECK(history.back().at("paragraph") == "§ 129");

    // The nämnd decides at its meeting: the paragraph is the next of ANA's 2022 series.
    SendEvent(sec, id,
              {{"event", "note"}, {"organ", "ana"}, {"meeting", ana}, {"paragraph", "§ 140"}});
    c = SendEvent(sec, id, {{"event", "decide_response"}, {"organ", "ana"}, {"meeting", ana}});
    CHECK(Deadline(c, "decision_meeting").at("met_on") == "2022-10-12");
    CHECK(History(p.server.As("reader"), id).back().at("paragraph") == "§ 141");
  }

  TEST_CASE("Meetings planned after a remiss was distributed reschedule its deadlines") {
    PrivateServer p;
    const auto sec = p.server.As("secretary");
    const long long id = Replay(p.server.As("registrar"), sec, ReadJsonFile(RemissFixturePath()));
    json c = GetCase(p.server.As("reader"), id);
    json decision = Deadline(c, "decision_meeting");
    CHECK(decision.at("from_meeting_plan") == false);
    CHECK(decision.at("due") == "2022-10-24");
    CHECK(decision.at("basis").get<std::string>().find("saknas för 2022") != std::string::npos);

    AddMeeting(sec, "ana", "2022-10-12");
    AddMeeting(sec, "ana-pres", "2022-09-21");
    c = GetCase(p.server.As("reader"), id);
    CHECK(Deadline(c, "decision_meeting").at("due") == "2022-10-12");
    CHECK(Deadline(c, "decision_meeting").at("from_meeting_plan") == true);
    CHECK(Deadline(c, "proposal_due").at("due") == "2022-09-21");
  }

  TEST_CASE("Adding, moving and cancelling fullmäktige's meetings moves a motion's report_due") {
    PrivateServer p;
    const auto sec = p.server.As("secretary");
    const long long id = CreateCase(p.server.As("registrar"), MotionBody("Laddstolpar")).at("id");
    json c = GetCase(sec, id);
    CHECK(Deadline(c, "decision_due").at("due") == "2024-02-01");
    CHECK(Deadline(c, "report_due").at("from_meeting_plan") == false);

    AddMeeting(sec, "rf", "2023-11-21");
    const long long january = AddMeeting(sec, "rf", "2024-01-30");
    CHECK(Deadline(GetCase(sec, id), "report_due").at("due") == "2024-01-30");

    // Moved past the one-year date: the November meeting is the last one in time.
    auto r = sec.Request("PATCH", "/api/v1/meetings/" + std::to_string(january),
                         json{{"date", "2024-02-06"}}.dump(), {});
    REQUIRE(r.status == 200);
    CHECK(Deadline(GetCase(sec, id), "report_due").at("due") == "2023-11-21");

    const long long extra = AddMeeting(sec, "rf", "2024-01-16");
    CHECK(Deadline(GetCase(sec, id), "report_due").at("due") == "2024-01-16");
    r = sec.Request("DELETE", "/api/v1/meetings/" + std::to_string(extra), "", {});
    REQUIRE(r.status == 200);
    CHECK(Deadline(GetCase(sec, id), "report_due").at("due") == "2023-11-21");
  }

  TEST_CASE("Events at a meeting are numbered in the organ's series and clashes are refused") {
    PrivateServer p;
    const auto sec = p.server.As("secretary");
    const auto reg = p.server.As("registrar");
    const long long meeting = AddMeeting(sec, "rf-pres", "2023-02-22");
    const long long a = CreateCase(reg, MotionBody("Cykelvägar")).at("id");
    const long long b = CreateCase(reg, MotionBody("Kollektivtrafik")).at("id");

    SendEvent(sec, a,
              {{"event", "distribute"}, {"organ", "rf-pres"}, {"meeting", meeting}, {"to", "fs"}});
    CHECK(History(sec, a).back().at("paragraph") == "§ 1");
    CHECK(History(sec, a).back().at("date") == "2023-02-22");
    // The organ's meeting that day is found by date.
    SendEvent(
        sec, b,
        {{"event", "distribute"}, {"organ", "rf-pres"}, {"date", "2023-02-22"}, {"to", "tim"}});
    CHECK(History(sec, b).back().at("paragraph") == "§ 2");
    // One § may cover several cases at one meeting.
    SendEvent(
        sec, a,
        {{"event", "note"}, {"organ", "rf-pres"}, {"meeting", meeting}, {"paragraph", "§ 2"}});

    // The same number at another sitting of the organ that year: 409, nothing changes.
    const json before = GetCase(sec, b);
    auto r = sec.PostJson(
        CasesPath(b, "/events"),
        {{"event", "note"}, {"organ", "rf-pres"}, {"date", "2023-03-15"}, {"paragraph", "§ 2"}});
    CHECK(r.status == 409);
    CHECK(r.body.find("2023-02-22") != std::string::npos);
    CHECK(GetCase(sec, b).at("version") == before.at("version"));
    // A number given by hand moves the series on.
    SendEvent(
        sec, b,
        {{"event", "note"}, {"organ", "rf-pres"}, {"date", "2023-03-15"}, {"paragraph", "§ 9"}});
    AddMeeting(sec, "rf-pres", "2023-04-05");
    SendEvent(sec, b, {{"event", "note"}, {"organ", "rf-pres"}, {"date", "2023-04-05"}});
    CHECK(History(sec, b).back().at("paragraph") == "§ 10");
    // Another organ's series starts at 1; a new year starts again.
    const long long fs = AddMeeting(sec, "fs", "2023-03-07");
    SendEvent(sec, b, {{"event", "note"}, {"organ", "fs"}, {"meeting", fs}});
    CHECK(History(sec, b).back().at("paragraph") == "§ 1");
    // Free-text paragraphs (a delegate's "§8/2022") are kept and not numbered.
    SendEvent(sec, b,
              {{"event", "note"},
               {"organ", "pers-del"},
               {"date", "2023-03-15"},
               {"paragraph", "§8/2023"}});
    CHECK(History(sec, b).back().at("paragraph") == "§8/2023");
  }

  TEST_CASE("An event names a meeting of its own organ, on the meeting's day, or gets 422") {
    PrivateServer p;
    const auto sec = p.server.As("secretary");
    const long long meeting = AddMeeting(sec, "fs", "2023-02-22");
    const long long id = CreateCase(p.server.As("registrar"), MotionBody("Vård")).at("id");
    auto field_of = [&](const json& event) {
      const auto r = sec.PostJson(CasesPath(id, "/events"), event);
      CHECK(r.status == 422);
      return r.Json().at("error").at("details").value("field", "");
    };
    CHECK(field_of({{"event", "note"}, {"organ", "tim"}, {"meeting", meeting}}) == "meeting");
    CHECK(field_of(
              {{"event", "note"}, {"organ", "fs"}, {"meeting", meeting}, {"date", "2023-02-23"}}) ==
          "date");
    CHECK(field_of({{"event", "note"}, {"organ", "fs"}, {"meeting", 999999}}) == "meeting");
    CHECK(field_of({{"event", "note"}, {"organ", "fs"}, {"meeting", "första"}}) == "meeting");
    sec.Request("DELETE", "/api/v1/meetings/" + std::to_string(meeting), "", {});
    CHECK(field_of({{"event", "note"}, {"organ", "fs"}, {"meeting", meeting}}) == "meeting");
    CHECK(History(sec, id).size() == 1);
  }

  TEST_CASE("A meeting's agenda lists what must be handled there for the deadlines to hold") {
    PrivateServer p;
    const auto sec = p.server.As("secretary");
    const auto reg = p.server.As("registrar");
    const auto reader = p.server.As("reader");
    const long long rf = AddMeeting(sec, "rf", "2024-01-30");
    AddMeeting(sec, "rf", "2024-04-16");
    const long long ana_pres = AddMeeting(sec, "ana-pres", "2023-03-08");
    const long long ana = AddMeeting(sec, "ana", "2023-03-22");
    AddMeeting(sec, "ana", "2023-04-26");
    const long long rf_pres = AddMeeting(sec, "rf-pres", "2023-03-02");

    // A motion received 2023-02-01 must be decided or reported at RF on 2024-01-30.
    const long long waiting = CreateCase(reg, MotionBody("Ett år")).at("id");
    // A motion the board has proposed is ready for decision.
    const long long ready = CreateCase(reg, MotionBody("Redo")).at("id");
    SendEvent(
        sec, ready,
        {{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}, {"date", "2023-02-02"}});
    SendEvent(sec, ready,
              {{"event", "begin_preparation"}, {"organ", "fs"}, {"date", "2023-02-03"}});
    SendEvent(sec, ready,
              {{"event", "adopt_answer"},
               {"organ", "fs"},
               {"outcome", "rejected"},
               {"date", "2023-02-10"}});
    SendEvent(sec, ready,
              {{"event", "board_propose"},
               {"organ", "rs"},
               {"outcome", "rejected"},
               {"date", "2023-02-20"}});
    // A remiss to ANA answered by 2023-04-20: decided at ANA 2023-03-22 (the last meeting at
    // least a week before), proposed by its presidium 2023-03-08.
    json body = RemissBody("Strategi", "2023-02-10", "2023-04-20");
    body["to"] = "ana";
    const long long remiss = CreateCase(reg, body).at("id");

    json a = Agenda(reader, rf);
    CHECK(a.at("meeting").at("organ") == "rf");
    CHECK(a.at("next_meeting").at("date") == "2024-04-16");
    CHECK(Lists(Section(a, "scheduled_here"), waiting));
    CHECK(Section(a, "scheduled_here").at("items")[0].at("deadline").at("kind") == "report_due");
    CHECK(Lists(Section(a, "ready_for_decision"), ready));
    CHECK_FALSE(Lists(Section(a, "ready_for_decision"), waiting));
    CHECK(Section(a, "ready_for_decision").at("total") == 1);

    a = Agenda(reader, ana);
    CHECK(Lists(Section(a, "scheduled_here"), remiss));
    // The answer-by date falls before ANA's next meeting (2023-04-26).
    CHECK(Lists(Section(a, "due_before_next_meeting"), remiss));
    // Its proposal was due at the presidium on 2023-03-08: overdue by the nämnd's meeting.
    const json overdue = Section(a, "overdue");
    REQUIRE(Lists(overdue, remiss));
    CHECK(overdue.at("items")[0].at("deadline").at("kind") == "proposal_due");

    a = Agenda(reader, ana_pres);
    CHECK(Lists(Section(a, "scheduled_here"), remiss));
    CHECK(Section(a, "scheduled_here").at("items")[0].at("deadline").at("kind") == "proposal_due");
    CHECK(Lists(Section(a, "needs_proposal"), remiss));

    a = Agenda(reader, rf_pres);
    CHECK(Lists(Section(a, "to_distribute"), waiting));
    CHECK_FALSE(Lists(Section(a, "to_distribute"), ready));

    CHECK(reader.Get("/api/v1/meetings/999999/agenda").status == 404);
    CHECK(reader.Get("/api/v1/meetings/x/agenda").status == 404);
  }
}

}  // namespace
}  // namespace kansli::test
