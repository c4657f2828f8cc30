// The KL 5 kap. 35 § report (workflow/reports.h): which motions it lists for
// a day, judged by their histories, how it groups and orders them, and what
// it says about each.
#include "workflow/reports.h"

#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "tests/unit/fakes.h"

namespace kansli::workflow {
namespace {

using nlohmann::json;
using namespace date::literals;

// A history row as CaseService writes it: the event as accepted in details.
HistoryEntry Row(int seq, const std::string& to_state, const json& body) {
  HistoryEntry h;
  h.seq = seq;
  h.event = body.at("event").get<std::string>();
  h.to_state = to_state;
  h.date = *ParseDate(body.at("date").get<std::string>());
  if (body.contains("organ")) h.organ = body["organ"].get<std::string>();
  if (body.contains("paragraph")) h.paragraph = body["paragraph"].get<std::string>();
  if (body.contains("text")) h.text = body["text"].get<std::string>();
  h.details = body;
  return h;
}

Case Motion(std::int64_t id, const std::string& reference, const std::string& title,
            const Date& received) {
  Case c;
  c.id = id;
  c.reference = reference;
  c.type = "motion";
  c.title = title;
  c.received = received;
  c.state = "registered";
  c.submitters = {{"Kristina Nero", "V"}, {"Mikael Ekvall", "V"}};
  return c;
}

// A motion registered on `received`, with `rows` after the registration.
MotionRecord Record(std::int64_t id, const std::string& reference, const std::string& title,
                    const Date& received, std::vector<HistoryEntry> rows = {}) {
  MotionRecord r{Motion(id, reference, title, received), {}};
  r.history.push_back(
      Row(1, "registered", {{"event", "register"}, {"date", FormatDate(received)}}));
  for (auto& h : rows) r.history.push_back(std::move(h));
  return r;
}

HistoryEntry Distribute(int seq, const std::string& date, const std::string& to) {
  return Row(seq, "distributed",
             {{"event", "distribute"},
              {"date", date},
              {"organ", "rf-pres"},
              {"paragraph", "§ 23"},
              {"to", to},
              {"text", "Motionen fördelas"}});
}

// RJL 2021/1342 "Kultur för hälsa" as app/demo/cases/motion-rjl-2021-1342.json
// records it (texts shortened).
MotionRecord Fixture() {
  return Record(
      17, "RJL 2021/1342", "Kultur för hälsa", 2021_y / 6 / 15,
      {Distribute(2, "2021-08-19", "fs"),
       Row(3, "in_preparation",
           {{"event", "begin_preparation"}, {"date", "2022-02-09"}, {"organ", "fs-pres"}}),
       Row(4, "in_preparation", {{"event", "note"}, {"date", "2022-02-22"}, {"organ", "fs"}}),
       Row(5, "in_preparation",
           {{"event", "recommend"},
            {"date", "2022-05-17"},
            {"organ", "fs-pres"},
            {"outcome", "rejected"}}),
       Row(6, "in_preparation",
           {{"event", "request_views"},
            {"date", "2022-05-31"},
            {"organ", "fs"},
            {"paragraph", "§ 100"},
            {"to", "ana"},
            {"text", "Remitterar ärendet till ANA"}}),
       Row(7, "in_preparation",
           {{"event", "recommend"},
            {"date", "2022-09-21"},
            {"organ", "ana-pres"},
            {"paragraph", "§ 128"},
            {"outcome", "rejected"}})});
}

const auto kNow = std::chrono::system_clock::time_point(std::chrono::hours(24 * 19159));

UnansweredMotionsReport Report(const std::vector<MotionRecord>& motions, const Date& as_of) {
  return BuildUnansweredMotionsReport(motions, fakes::RjlOrgans(), as_of, kNow);
}

// The references of a report, group by group.
std::vector<std::string> References(const UnansweredMotionsReport& r) {
  std::vector<std::string> out;
  for (const auto& g : r.groups)
    for (const auto& m : g.motions) out.push_back(m.reference);
  return out;
}

TEST_CASE("report: the fixture motion on 2022-06-16 is overdue at fs with the handling of 05-31") {
  const auto r = Report({Fixture()}, 2022_y / 6 / 16);
  CHECK(r.as_of == 2022_y / 6 / 16);
  CHECK(r.generated_at == kNow);
  CHECK(r.total == 1);
  CHECK(r.overdue == 1);
  REQUIRE(r.groups.size() == 1);
  const auto& g = r.groups[0];
  CHECK(g.organ == "fs");
  CHECK(g.organ_name == "Nämnd för folkhälsa och sjukvård");
  REQUIRE(g.motions.size() == 1);
  const auto& m = g.motions[0];
  CHECK(m.id == 17);
  CHECK(m.reference == "RJL 2021/1342");
  CHECK(m.title == "Kultur för hälsa");
  CHECK(m.submitters.size() == 2);
  CHECK(m.received == 2021_y / 6 / 15);
  CHECK(m.organ == "fs");
  CHECK(m.organ_name == "Nämnd för folkhälsa och sjukvård");
  CHECK(m.state == "in_preparation");
  CHECK(m.state_label == "Under beredning");
  REQUIRE(m.last_handling);
  CHECK(m.last_handling->date == 2022_y / 5 / 31);  // not the 2022-09-21 row
  CHECK(m.last_handling->event == "request_views");
  CHECK(m.last_handling->organ == "fs");
  CHECK(m.last_handling->organ_name == "Nämnd för folkhälsa och sjukvård");
  CHECK(m.last_handling->paragraph == "§ 100");
  CHECK(m.last_handling->text == "Remitterar ärendet till ANA");
  CHECK(m.decision_due == 2022_y / 6 / 15);
  CHECK(m.days_open == 366);
  CHECK(m.overdue);
  CHECK_FALSE(m.reported);
  CHECK_FALSE(m.reported_on);
}

TEST_CASE("report: the state and organ are those of the day and not of today") {
  // On 2021-08-01 the fixture motion was registered and not yet distributed.
  const auto before = Report({Fixture()}, 2021_y / 8 / 1);
  REQUIRE(before.groups.size() == 1);
  CHECK_FALSE(before.groups[0].organ);
  CHECK(before.groups[0].organ_name == kUndistributedGroupName);
  const auto& m = before.groups[0].motions.at(0);
  CHECK(m.state == "registered");
  CHECK_FALSE(m.organ);
  CHECK(m.last_handling->event == "register");
  CHECK(m.days_open == 47);
  CHECK_FALSE(m.overdue);
  // On the day of the distribution it is at fs.
  CHECK(Report({Fixture()}, 2021_y / 8 / 19).groups.at(0).organ == "fs");
}

TEST_CASE("report: a motion not yet received on the day is not listed") {
  const auto r = Report({Fixture()}, 2021_y / 6 / 14);
  CHECK(r.total == 0);
  CHECK(r.groups.empty());
  CHECK(Report({Fixture()}, 2021_y / 6 / 15).total == 1);  // received that day
}

TEST_CASE(
    "report: a motion decided written off or withdrawn by the day is absent and after it present") {
  auto closed_on = [](std::int64_t id, const std::string& event, const std::string& state,
                      const std::string& date) {
    return Record(id, "RJL 2022/" + std::to_string(id), "Motion " + std::to_string(id),
                  2022_y / 1 / 10,
                  {Distribute(2, "2022-02-01", "tim"),
                   Row(3, "ready_for_council",
                       {{"event", "board_propose"}, {"date", "2022-03-01"}, {"organ", "rs"}}),
                   Row(4, state, {{"event", event}, {"date", date}, {"organ", "rf"}})});
  };
  const std::vector<MotionRecord> motions = {
      closed_on(1, "decide", "decided", "2022-03-15"),
      closed_on(2, "decide", "decided", "2022-09-01"),
      closed_on(3, "withdraw", "withdrawn", "2022-06-16"),  // that very day: gone
      closed_on(4, "write_off", "written_off", "2022-06-17"),
  };
  const auto r = Report(motions, 2022_y / 6 / 16);
  CHECK(References(r) == std::vector<std::string>{"RJL 2022/2", "RJL 2022/4"});
  const auto& decided_later = r.groups.at(0).motions.at(0);
  CHECK(decided_later.state == "ready_for_council");
  CHECK(decided_later.last_handling->event == "board_propose");
  CHECK(decided_later.organ == "tim");
  CHECK(Report(motions, 2022_y / 3 / 14).total == 4);
  CHECK(Report(motions, 2022_y / 12 / 31).total == 0);
}

TEST_CASE("report: reported_unanswered counts from its date") {
  auto m = Fixture();
  m.history.push_back(
      Row(8, "in_preparation",
          {{"event", "report_unanswered"}, {"date", "2022-06-14"}, {"organ", "rf"}}));
  const auto before = Report({m}, 2022_y / 6 / 13).groups.at(0).motions.at(0);
  CHECK_FALSE(before.reported);
  const auto after = Report({m}, 2022_y / 6 / 16).groups.at(0).motions.at(0);
  CHECK(after.reported);
  CHECK(after.reported_on == 2022_y / 6 / 14);
  // The last handling is the latest by date, though it was posted last.
  CHECK(after.last_handling->event == "report_unanswered");
}

TEST_CASE("report: the decision is due one year on and moves off a holiday") {
  CHECK(MotionDecisionDue(2021_y / 6 / 15) == 2022_y / 6 / 15);
  // 2022-06-24 is midsommarafton; 25 midsommardagen, 26 a Sunday.
  CHECK(MotionDecisionDue(2021_y / 6 / 24) == 2022_y / 6 / 27);
  // 29 February → 28 February 2025 (a Friday).
  CHECK(MotionDecisionDue(2024_y / 2 / 29) == 2025_y / 2 / 28);
  const auto m = Record(1, "RJL 2021/5", "Midsommar", 2021_y / 6 / 24);
  const auto on_due = Report({m}, 2022_y / 6 / 27).groups.at(0).motions.at(0);
  CHECK(on_due.decision_due == 2022_y / 6 / 27);
  CHECK_FALSE(on_due.overdue);  // due that day: not yet overdue
  CHECK(Report({m}, 2022_y / 6 / 28).groups.at(0).motions.at(0).overdue);
  CHECK(Report({m}, 2022_y / 6 / 28).overdue == 1);
}

TEST_CASE("report: groups follow Swedish order with the undistributed last and motions by date") {
  const std::vector<MotionRecord> motions = {
      Record(1, "RJL 2021/1342", "A", 2021_y / 6 / 15, {Distribute(2, "2021-08-19", "tim")}),
      Record(2, "RJL 2021/999", "B", 2021_y / 6 / 15, {Distribute(2, "2021-08-19", "tim")}),
      Record(3, "RJL 2021/100", "C", 2021_y / 3 / 1, {Distribute(2, "2021-08-19", "tim")}),
      Record(4, "RJL 2021/7", "D", 2021_y / 5 / 1),
      Record(5, "RJL 2021/8", "E", 2021_y / 5 / 1, {Distribute(2, "2021-08-19", "ana")}),
      Record(6, "RJL 2021/9", "F", 2021_y / 5 / 1, {Distribute(2, "2021-08-19", "okänd")}),
      Record(7, "RJL 2021/10", "G", 2021_y / 5 / 1, {Distribute(2, "2021-08-19", "rs")}),
  };
  const auto r = Report(motions, 2022_y / 1 / 1);
  std::vector<std::string> names;
  for (const auto& g : r.groups) names.push_back(g.organ_name);
  // An unknown code is its own name; "okänd" sorts after "Nämnd ...", before "Regionstyrelsen".
  CHECK(names == std::vector<std::string>{"Nämnd för arbetsmarknad, näringsliv och attraktivitet",
                                          "Nämnd för trafik, infrastruktur och miljö", "okänd",
                                          "Regionstyrelsen", kUndistributedGroupName});
  CHECK(References(r) == std::vector<std::string>{"RJL 2021/8", "RJL 2021/100", "RJL 2021/999",
                                                  "RJL 2021/1342", "RJL 2021/9", "RJL 2021/10",
                                                  "RJL 2021/7"});
  CHECK(r.total == 7);
}

TEST_CASE("report: only motions are listed and rows after the day are ignored") {
  auto remiss = Record(9, "RJL 2022/2018", "En remiss", 2022_y / 1 / 1);
  remiss.motion.type = "remiss";
  auto m = Fixture();
  // A distribution to another organ after the day does not move the motion.
  m.history.push_back(Distribute(8, "2022-07-01", "tim"));
  const auto r = Report({remiss, m}, 2022_y / 6 / 16);
  CHECK(References(r) == std::vector<std::string>{"RJL 2021/1342"});
  CHECK(r.groups.at(0).organ == "fs");
}

TEST_CASE("report: the Swedish sort key puts å ä ö after z") {
  CHECK(SwedishSortKey("Zeta") < SwedishSortKey("Åland"));
  CHECK(SwedishSortKey("Åland") < SwedishSortKey("Ärende"));
  CHECK(SwedishSortKey("Ärende") < SwedishSortKey("Östra"));
  CHECK(SwedishSortKey("alfa") < SwedishSortKey("Beta"));
  CHECK(SwedishSortKey("Regionfullmäktige") < SwedishSortKey("Regionstyrelsen"));
}

TEST_CASE("report: the final states of a motion are decided written_off and withdrawn") {
  auto finals = MotionFinalStates();
  std::sort(finals.begin(), finals.end());
  CHECK(finals == std::vector<std::string>{"decided", "withdrawn", "written_off"});
}

}  // namespace
}  // namespace kansli::workflow
