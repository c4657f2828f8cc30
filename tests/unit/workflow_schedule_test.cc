// Deadlines back-scheduled from meeting plans (workflow/deadlines.h), paragraph
// numbers and agenda planning (workflow/meetings.h), and how CaseService keeps
// them in step with events and meeting changes (over the fakes).
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "tests/unit/fakes.h"
#include "workflow/case_service.h"
#include "workflow/deadlines.h"
#include "workflow/errors.h"
#include "workflow/meetings.h"

namespace kansli::workflow {
namespace {

using nlohmann::json;
using namespace date::literals;
using namespace std::chrono_literals;

HistoryEntry Row(const char* text) {
  const json body = json::parse(text);
  HistoryEntry h;
  h.event = body.at("event").get<std::string>();
  h.date = *ParseDate(body.at("date").get<std::string>());
  if (body.contains("organ")) h.organ = body["organ"].get<std::string>();
  h.details = body;
  return h;
}

Deadline One(const std::vector<Deadline>& all, const std::string& kind) {
  for (const auto& d : all)
    if (d.kind == kind) return d;
  FAIL("no deadline of kind ", kind);
  return {};
}

bool Has(const std::vector<Deadline>& all, const std::string& kind) {
  for (const auto& d : all)
    if (d.kind == kind) return true;
  return false;
}

// RJL's organs with the meetings of the fixture's source and a few of RF's.
MeetingPlans Plans() {
  MeetingPlans p = MeetingPlans::Of(fakes::RjlOrgans());
  p.dates["rf"] = {2022_y / 4 / 26, 2022_y / 6 / 14, 2022_y / 9 / 27};
  p.dates["ana"] = {2022_y / 10 / 12, 2022_y / 11 / 23};
  p.dates["ana-pres"] = {2022_y / 9 / 21, 2022_y / 11 / 9};
  return p;
}

Case Motion(const std::string& state = "in_preparation") {
  Case c;
  c.id = 1;
  c.type = "motion";
  c.received = 2021_y / 6 / 15;
  c.state = state;
  c.responsible_organ = "fs";
  return c;
}

Case Remiss(const std::string& state = "in_preparation") {
  Case c;
  c.id = 2;
  c.type = "remiss";
  c.received = 2022_y / 8 / 11;
  c.answer_by = 2022_y / 10 / 31;
  c.state = state;
  c.responsible_organ = "ana";
  return c;
}

std::vector<HistoryEntry> RemissHistory() {
  return {Row(R"({"event": "register", "date": "2022-08-11"})"),
          Row(R"({"event": "distribute", "date": "2022-08-11", "organ": "rlk", "to": "ana"})")};
}

const DeadlineSettings kDefaults{};

TEST_CASE("A motion's report is due at fullmäktige's last meeting on or before its one-year date") {
  const auto all = ComputeDeadlines(Motion(), {}, kDefaults, Plans());
  REQUIRE(all.size() == 2);
  CHECK(all[0].kind == "decision_due");
  CHECK(all[0].organ == std::optional<std::string>("rf"));
  const Deadline d = all[1];
  CHECK(d.kind == "report_due");
  CHECK(d.due == 2022_y / 6 / 14);
  CHECK(d.latest == std::optional<Date>(2022_y / 6 / 15));
  CHECK(d.from_meeting_plan);
  CHECK(d.organ == std::optional<std::string>("rf"));
  CHECK(d.basis.find("2022-06-14") != std::string::npos);
}

TEST_CASE("A meeting on the one-year date itself is still in time") {
  MeetingPlans p = Plans();
  p.dates["rf"] = {2022_y / 4 / 26, 2022_y / 6 / 15};
  CHECK(One(ComputeDeadlines(Motion(), {}, kDefaults, p), "report_due").due == 2022_y / 6 / 15);
}

TEST_CASE("Without fullmäktige's plan for the year the report falls back to the calendar date") {
  MeetingPlans p = Plans();
  p.dates["rf"] = {2021_y / 11 / 23};
  const Deadline d = One(ComputeDeadlines(Motion(), {}, kDefaults, p), "report_due");
  CHECK(d.due == 2022_y / 6 / 15);
  CHECK_FALSE(d.from_meeting_plan);
  CHECK(d.basis.find("saknas för 2022") != std::string::npos);
}

TEST_CASE("A plan that reaches the year but has no meeting before the date says so") {
  MeetingPlans p = Plans();
  p.dates["rf"] = {2022_y / 9 / 27};
  const Deadline d = One(ComputeDeadlines(Motion(), {}, kDefaults, p), "report_due");
  CHECK(d.due == 2022_y / 6 / 15);
  CHECK_FALSE(d.from_meeting_plan);
  CHECK(d.basis.find("Inget sammanträde") != std::string::npos);
}

TEST_CASE("An organisation without fullmäktige has no report_due") {
  MeetingPlans p;
  CHECK_FALSE(Has(ComputeDeadlines(Motion(), {}, kDefaults, p), "report_due"));
}

TEST_CASE("report_unanswered and decide each meet report_due, the first one counting") {
  const std::vector<HistoryEntry> reported = {
      Row(R"({"event": "report_unanswered", "date": "2022-06-14", "organ": "rf"})")};
  auto d = One(ComputeDeadlines(Motion(), reported, kDefaults, Plans()), "report_due");
  CHECK(d.met_on == std::optional<Date>(2022_y / 6 / 14));
  CHECK_FALSE(One(ComputeDeadlines(Motion(), reported, kDefaults, Plans()), "decision_due")
                  .met_on.has_value());
  auto decided = reported;
  decided.push_back(Row(R"({"event": "decide", "date": "2022-09-27", "organ": "rf"})"));
  const auto all = ComputeDeadlines(Motion("decided"), decided, kDefaults, Plans());
  CHECK(One(all, "report_due").met_on == std::optional<Date>(2022_y / 6 / 14));
  CHECK(One(all, "decision_due").met_on == std::optional<Date>(2022_y / 9 / 27));
}

TEST_CASE(
    "A remiss is decided at the organ's last meeting a week before the answer date, and "
    "proposed at its presidium's last meeting before that") {
  const auto all = ComputeDeadlines(Remiss(), RemissHistory(), kDefaults, Plans());
  REQUIRE(all.size() == 3);
  CHECK(all[0].kind == "answer_by");
  const Deadline decision = all[1];
  CHECK(decision.kind == "decision_meeting");
  CHECK(decision.due == 2022_y / 10 / 12);
  CHECK(decision.latest == std::optional<Date>(2022_y / 10 / 24));
  CHECK(decision.organ == std::optional<std::string>("ana"));
  const Deadline proposal = all[2];
  CHECK(proposal.kind == "proposal_due");
  CHECK(proposal.due == 2022_y / 9 / 21);
  CHECK(proposal.latest == std::optional<Date>(2022_y / 10 / 11));
  CHECK(proposal.organ == std::optional<std::string>("ana-pres"));
}

TEST_CASE("The sending margin is configurable: a meeting inside it is too late") {
  MeetingPlans p = Plans();
  p.dates["ana"] = {2022_y / 10 / 12, 2022_y / 10 / 26};
  // 2022-10-26 is five days before 2022-10-31: too late with 7 days, in time with 5.
  CHECK(One(ComputeDeadlines(Remiss(), RemissHistory(), kDefaults, p), "decision_meeting").due ==
        2022_y / 10 / 12);
  DeadlineSettings five;
  five.remiss_send_margin_days = 5;
  CHECK(One(ComputeDeadlines(Remiss(), RemissHistory(), five, p), "decision_meeting").due ==
        2022_y / 10 / 26);
}

TEST_CASE("An agreed extension moves the decision meeting and the proposal with it") {
  auto history = RemissHistory();
  history.push_back(Row(
      R"({"event": "extend_deadline", "date": "2022-10-01", "organ": "ana", "answer_by": "2022-12-15"})"));
  Case c = Remiss();
  c.answer_by = 2022_y / 12 / 15;
  const auto all = ComputeDeadlines(c, history, kDefaults, Plans());
  CHECK(One(all, "decision_meeting").due == 2022_y / 11 / 23);
  CHECK(One(all, "proposal_due").due == 2022_y / 11 / 9);
}

TEST_CASE("propose_response meets proposal_due and decide_response meets both") {
  auto history = RemissHistory();
  history.push_back(
      Row(R"({"event": "propose_response", "date": "2022-09-21", "organ": "ana-pres"})"));
  auto all = ComputeDeadlines(Remiss("proposal_ready"), history, kDefaults, Plans());
  CHECK(One(all, "proposal_due").met_on == std::optional<Date>(2022_y / 9 / 21));
  CHECK_FALSE(One(all, "decision_meeting").met_on.has_value());
  CHECK(IsOverdue(One(all, "decision_meeting"), 2022_y / 10 / 13));

  // Under delegation, without a proposal.
  auto delegated = RemissHistory();
  delegated.push_back(Row(
      R"({"event": "decide_response", "date": "2022-10-03", "organ": "ana", "delegation": "ANAV 4.2.1"})"));
  all = ComputeDeadlines(Remiss("decided"), delegated, kDefaults, Plans());
  CHECK(One(all, "decision_meeting").met_on == std::optional<Date>(2022_y / 10 / 3));
  CHECK(One(all, "proposal_due").met_on == std::optional<Date>(2022_y / 10 / 3));
}

TEST_CASE("An undistributed remiss has only its answer date and a declined one has all cancelled") {
  Case c = Remiss("registered");
  c.responsible_organ.reset();
  CHECK(ComputeDeadlines(c, {}, kDefaults, Plans()).size() == 1);
  auto history = RemissHistory();
  history.push_back(Row(R"({"event": "decline", "date": "2022-09-01", "organ": "ana"})"));
  for (const auto& d : ComputeDeadlines(Remiss("declined"), history, kDefaults, Plans())) {
    INFO(d.kind);
    CHECK(d.cancelled);
  }
}

TEST_CASE("MeetingPlans: a plan covers a date when it has a meeting in that year") {
  const MeetingPlans p = Plans();
  CHECK(p.Covers("rf", 2022_y / 1 / 1));
  CHECK_FALSE(p.Covers("rf", 2023_y / 1 / 1));
  CHECK_FALSE(p.Covers("fs", 2022_y / 1 / 1));
  CHECK_FALSE(p.Covers("rf", 2021_y / 12 / 31));  // a later year's plan says nothing about 2021
  CHECK(p.LastOnOrBefore("rf", 2022_y / 6 / 13) == std::optional<Date>(2022_y / 4 / 26));
  CHECK_FALSE(p.LastOnOrBefore("rf", 2022_y / 4 / 25).has_value());
  CHECK(p.Needs(Motion()) == std::vector<std::string>{"rf"});
  CHECK(p.Needs(Remiss()) == std::vector<std::string>{"ana", "ana-pres"});
}

TEST_CASE("Paragraph numbers are read from \"§ N\" and nothing else") {
  CHECK(ParseParagraph("§ 23") == std::optional<int>(23));
  CHECK(ParseParagraph("§23") == std::optional<int>(23));
  CHECK(ParseParagraph("  § 129 ") == std::optional<int>(129));
  CHECK_FALSE(ParseParagraph("§8/2022").has_value());
  CHECK_FALSE(ParseParagraph("§§ 12-14").has_value());
  CHECK_FALSE(ParseParagraph("§ 0").has_value());
  CHECK_FALSE(ParseParagraph("23").has_value());
  CHECK_FALSE(ParseParagraph("§ 1234567").has_value());
  CHECK(FormatParagraph(7) == "§ 7");
}

TEST_CASE("An agenda's sections follow the kind of the meeting's organ") {
  const auto organs = fakes::RjlOrgans();
  auto sections = [&](const std::string& organ) {
    Meeting m;
    m.organ = organ;
    m.date = 2023_y / 3 / 1;
    return PlanAgenda(m, organs, std::nullopt);
  };
  using V = std::vector<std::string>;
  CHECK(sections("rf").sections ==
        V{"scheduled_here", "ready_for_decision", "due_before_next_meeting", "overdue"});
  CHECK(sections("rf-pres").sections ==
        V{"scheduled_here", "to_distribute", "due_before_next_meeting", "overdue"});
  CHECK(sections("rf-pres").subject_organ == "rf");
  CHECK(sections("rs-au").sections ==
        V{"scheduled_here", "board_preparation", "due_before_next_meeting", "overdue"});
  CHECK(sections("fs").sections ==
        V{"scheduled_here", "proposal_ready", "due_before_next_meeting", "overdue"});
  CHECK(sections("fs-pres").sections == V{"scheduled_here", "needs_proposal", "in_preparation",
                                          "due_before_next_meeting", "overdue"});
  CHECK(sections("fs-pres").subject_organ == "fs");
  // Without a next meeting the look-ahead is kAgendaHorizonDays.
  CHECK(sections("rlk").until == 2023_y / 4 / 30);
  CHECK(sections("rlk").sections == V{"scheduled_here", "due_before_next_meeting", "overdue"});
}

// CaseService over the fakes.
struct World {
  fakes::FakeDb db;
  fakes::FakeTransactions tx{db};
  fakes::FakeCaseReader reader{db};
  FixedClock clock{date::sys_days{2022_y / 6 / 16} + 8h};
  CaseService service{tx, reader, clock, ServiceSettings{}};
  const Actor admin{"kansliet", "admin"};

  World() { db.organs = fakes::RjlOrgans(); }

  std::int64_t Motion() {
    return service
        .Register(
            DecodeRegistration(json{{"type", "motion"},
                                    {"title", "Kultur för hälsa"},
                                    {"received", "2021-06-15"},
                                    {"submitters", {{{"name", "Mikael Ekvall"}, {"party", "V"}}}}}),
            admin, {})
        .changed.id;
  }
  Case Apply(std::int64_t id, const json& body) {
    return service.Apply(id, DecodeEvent(body), admin, {}).changed;
  }
  Meeting Meet(const std::string& organ, Date d) {
    Meeting m;
    m.organ = organ;
    m.date = d;
    return service.AddMeeting(m, admin);
  }
  Deadline Stored(std::int64_t id, const std::string& kind) { return One(db.deadlines[id], kind); }
};

TEST_CASE("CaseService: a meeting added, moved or cancelled reschedules the cases it affects") {
  World w;
  const auto id = w.Motion();
  CHECK_FALSE(w.Stored(id, "report_due").from_meeting_plan);
  const Meeting june = w.Meet("rf", 2022_y / 6 / 14);
  CHECK(w.Stored(id, "report_due").due == 2022_y / 6 / 14);
  w.Meet("rf", 2022_y / 4 / 26);
  CHECK(w.Stored(id, "report_due").due == 2022_y / 6 / 14);
  CaseService::MeetingChange later;
  later.date = 2022_y / 6 / 21;
  w.service.MoveMeeting(june.id, later, w.admin);
  CHECK(w.Stored(id, "report_due").due == 2022_y / 4 / 26);
  const Meeting june_again = w.Meet("rf", 2022_y / 6 / 7);
  CHECK(w.Stored(id, "report_due").due == 2022_y / 6 / 7);
  w.service.CancelMeeting(june_again.id, w.admin);
  CHECK(w.Stored(id, "report_due").due == 2022_y / 4 / 26);
}

TEST_CASE(
    "CaseService: an event at a meeting gets the next paragraph and a clash changes nothing") {
  World w;
  const auto id = w.Motion();
  const Meeting m = w.Meet("rf-pres", 2021_y / 8 / 19);
  w.Apply(id, {{"event", "distribute"}, {"organ", "rf-pres"}, {"meeting", m.id}, {"to", "fs"}});
  CHECK(w.db.history[id].back().paragraph == std::optional<std::string>("§ 1"));
  CHECK(w.db.history[id].back().details.at("meeting") == m.id);
  w.Apply(id, {{"event", "note"}, {"organ", "rf-pres"}, {"date", "2021-08-19"}});
  CHECK(w.db.history[id].back().paragraph == std::optional<std::string>("§ 2"));

  const auto rows = w.db.history[id].size();
  const int commits = w.tx.commits;
  CHECK_THROWS_AS(
      w.Apply(
          id,
          {{"event", "note"}, {"organ", "rf-pres"}, {"date", "2021-09-02"}, {"paragraph", "§ 1"}}),
      Conflict);
  CHECK(w.db.history[id].size() == rows);
  CHECK(w.tx.commits == commits);
  // Not at a meeting and no paragraph given: none is invented.
  w.Apply(id, {{"event", "note"}, {"organ", "fs"}, {"date", "2021-09-02"}});
  CHECK_FALSE(w.db.history[id].back().paragraph.has_value());
}

TEST_CASE("CaseService: the agenda asks the reader for the sections of the organ's kind") {
  World w;
  const Meeting m = w.Meet("ana-pres", 2022_y / 9 / 21);
  w.Meet("ana-pres", 2022_y / 11 / 9);
  const Agenda a = w.service.MeetingAgenda(m.id, 25);
  REQUIRE(w.reader.last_agenda.has_value());
  CHECK(w.reader.last_agenda->subject_organ == "ana");
  CHECK(w.reader.last_agenda->limit == 25);
  CHECK(a.until == 2022_y / 11 / 9);
  REQUIRE(a.next_meeting.has_value());
  CHECK(a.sections.size() == 5);
  CHECK_THROWS_AS(w.service.MeetingAgenda(999, 25), NotFound);
}

}  // namespace
}  // namespace kansli::workflow
