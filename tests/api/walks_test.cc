// Every event of api.md's tables can be sent over HTTP along some path, each
// leads to the state the table gives, and /actions lists exactly the events
// the table allows in each state.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "tests/api/api_support.h"

namespace kansli::test {
namespace {

using Names = std::set<std::string>;

// api.md, "Motion events": the events each state allows before a
// report_unanswered (write_off needs one first).
const std::map<std::string, Names>& MotionAllowed() {
  static const std::map<std::string, Names> m = {
      {"registered", {"announce", "distribute", "note", "report_unanswered", "withdraw"}},
      // note, request_material, material_delivered, request_views and recommend
      // start the preparation by themselves.
      {"distributed",
       {"announce", "begin_preparation", "note", "request_material", "material_delivered",
        "request_views", "recommend", "report_unanswered", "withdraw"}},
      {"in_preparation",
       {"note", "request_material", "material_delivered", "request_views", "views_delivered",
        "recommend", "adopt_answer", "report_unanswered", "withdraw"}},
      {"answered",
       {"note", "request_views", "views_delivered", "board_prepare", "board_propose", "refer_back",
        "report_unanswered", "withdraw"}},
      {"board_preparation",
       {"note", "recommend", "board_propose", "table", "refer_back", "report_unanswered",
        "withdraw"}},
      {"ready_for_council",
       {"note", "table", "refer_back", "decide", "report_unanswered", "withdraw"}},
      {"decided", {}},
      {"written_off", {}},
      {"withdrawn", {}},
  };
  return m;
}

const Names kAllMotionEvents = {"announce",
                                "distribute",
                                "begin_preparation",
                                "note",
                                "request_material",
                                "material_delivered",
                                "request_views",
                                "views_delivered",
                                "recommend",
                                "adopt_answer",
                                "board_prepare",
                                "board_propose",
                                "table",
                                "refer_back",
                                "decide",
                                "report_unanswered",
                                "write_off",
                                "withdraw"};

// api.md, "Remiss events".
const std::map<std::string, Names>& RemissAllowed() {
  static const std::map<std::string, Names> m = {
      {"registered", {"distribute", "note", "extend_deadline", "decline", "withdraw"}},
      {"distributed", {"begin_preparation", "note", "extend_deadline", "decline", "withdraw"}},
      {"in_preparation",
       {"note", "extend_deadline", "propose_response", "decide_response", "decline", "withdraw"}},
      {"proposal_ready", {"note", "extend_deadline", "decide_response", "withdraw"}},
      {"decided", {"note", "extend_deadline", "send_response", "withdraw"}},
      {"answered", {}},
      {"declined", {}},
      {"withdrawn", {}},
  };
  return m;
}

const Names kAllRemissEvents = {"distribute",      "begin_preparation", "note",
                                "extend_deadline", "propose_response",  "decide_response",
                                "send_response",   "decline",           "withdraw"};

struct Step {
  json event;
  std::string state_after;
};

// Posts each step as the secretary and checks the state after it and the
// actions then offered. Returns the case after the last step.
json Walk(TestServer& s, long long id, const std::string& type, const std::vector<Step>& steps,
          Names& sent) {
  const auto sec = s.As("secretary");
  const auto& allowed = type == "motion" ? MotionAllowed() : RemissAllowed();
  json c;
  bool reported = false;
  for (const auto& step : steps) {
    const std::string event = step.event.at("event");
    CAPTURE(event);
    c = SendEvent(sec, id, step.event);
    sent.insert(event);
    CHECK(c.at("state") == step.state_after);
    reported = reported || event == "report_unanswered";
    Names expected = allowed.at(step.state_after);
    if (reported && !expected.empty()) expected.insert("write_off");
    CHECK(Joined(ActionNames(sec, id)) == Joined(expected));
  }
  return c;
}

TEST_SUITE("api") {
  TEST_CASE("Every motion event of api.md can be sent over HTTP along some path") {
    auto& s = SharedServer();
    const auto reg = s.As("registrar");
    Names sent;

    // 1. To a decision by fullmäktige, through every preparing step.
    const long long decided = CreateCase(reg, MotionBody("Vandring beslut " + UniqueWord()))["id"];
    CHECK(Joined(ActionNames(reg, decided)) == Joined(MotionAllowed().at("registered")));
    const json d = Walk(
        s, decided, "motion",
        {{{{"event", "announce"}, {"organ", "rf"}, {"paragraph", "§ 5"}}, "registered"},
         {{{"event", "distribute"},
           {"date", "2023-02-10"},
           {"organ", "rf-pres"},
           {"to", "fs"},
           {"consult", {"ana"}}},
          "distributed"},
         {{{"event", "announce"}, {"organ", "rf"}}, "distributed"},
         {{{"event", "begin_preparation"}, {"organ", "fs-pres"}}, "in_preparation"},
         {{{"event", "note"}, {"organ", "fs"}, {"text", "Information"}}, "in_preparation"},
         {{{"event", "request_material"},
           {"organ", "fs"},
           {"assignee", "rlk"},
           {"due", "2023-04-03"}},
          "in_preparation"},
         {{{"event", "material_delivered"},
           {"organ", "rlk"},
           {"document",
            {{"title", "Motionsunderlag"}, {"date", "2023-03-01"}, {"type", "motionsunderlag"}}}},
          "in_preparation"},
         {{{"event", "request_views"}, {"organ", "fs"}, {"to", "tim"}, {"due", "2023-05-02"}},
          "in_preparation"},
         {{{"event", "views_delivered"}, {"organ", "tim"}, {"from", "tim"}}, "in_preparation"},
         {{{"event", "recommend"}, {"organ", "fs-pres"}, {"outcome", "partly_approved"}},
          "in_preparation"},
         {{{"event", "adopt_answer"},
           {"organ", "fs"},
           {"outcome", "partly_approved"},
           {"vote", {{"yes", 9}, {"no", 6}, {"abstain", 0}}},
           {"reservations", {"M reserverar sig"}}},
          "answered"},
         {{{"event", "request_views"}, {"organ", "rs"}, {"to", "ana"}}, "answered"},
         {{{"event", "views_delivered"}, {"organ", "ana"}, {"from", "ana"}}, "answered"},
         {{{"event", "board_prepare"}, {"organ", "rs-au"}}, "board_preparation"},
         {{{"event", "recommend"}, {"organ", "rs-au"}, {"outcome", "approved"}},
          "board_preparation"},
         {{{"event", "table"}, {"organ", "rs"}}, "board_preparation"},
         {{{"event", "board_propose"}, {"organ", "rs"}, {"outcome", "approved"}},
          "ready_for_council"},
         {{{"event", "table"}, {"organ", "rf"}}, "ready_for_council"},
         {{{"event", "decide"},
           {"date", "2023-02-28"},
           {"organ", "rf"},
           {"paragraph", "§ 80"},
           {"outcome", "approved"},
           {"clauses", {{{"clause", 1}, {"outcome", "approved"}}}}},
          "decided"}},
        sent);
    CHECK(d.at("outcome") == "approved");
    CHECK(d.at("proposed_outcome") == "approved");
    CHECK(d.at("responsible_organ") == "fs");
    CHECK(d.at("consulted_organs") == json::array({"ana", "tim"}));
    CHECK(d.at("deadlines")[0].at("kind") == "decision_due");
    CHECK(d.at("deadlines")[0].at("met_on") == "2023-02-28");
    CHECK(History(reg, decided).size() == 20);

    // 2. Referred back (återremiss) from each state that allows it.
    const long long referred =
        CreateCase(reg, MotionBody("Vandring återremiss " + UniqueWord()))["id"];
    const json adopt = {{"event", "adopt_answer"}, {"organ", "fs"}, {"outcome", "rejected"}};
    const json back = {{"event", "refer_back"}, {"organ", "rf"}, {"reason", "Komplettera"}};
    const json r = Walk(
        s, referred, "motion",
        {{{{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}}, "distributed"},
         // Preparation starts by itself with an uppdrag.
         {{{"event", "request_material"}, {"organ", "fs"}, {"assignee", "rlk"}}, "in_preparation"},
         {adopt, "answered"},
         {back, "in_preparation"},
         {adopt, "answered"},
         {{{"event", "board_prepare"}, {"organ", "rs-au"}}, "board_preparation"},
         {back, "in_preparation"},
         {adopt, "answered"},
         {{{"event", "board_propose"}, {"organ", "rs"}, {"outcome", "rejected"}},
          "ready_for_council"},
         {back, "in_preparation"}},
        sent);
    CHECK(r.at("outcome").is_null());
    CHECK(r.at("proposed_outcome") == "rejected");

    // 3. Withdrawn by the submitters.
    const long long withdrawn =
        CreateCase(reg, MotionBody("Vandring återtagen " + UniqueWord()))["id"];
    Walk(s, withdrawn, "motion",
         {{{{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}}, "distributed"},
          {{{"event", "withdraw"}, {"organ", "rf"}, {"text", "Motionären återtar"}}, "withdrawn"}},
         sent);
    const auto after =
        s.As("secretary")
            .PostJson(CasesPath(withdrawn, "events"), {{"event", "note"}, {"organ", "rf"}});
    CHECK(after.status == 409);
    CHECK(after.Json().at("error").at("details").at("allowed") == json::array());

    // 4. Written off after the KL 5 kap. 35 § report.
    const long long written_off =
        CreateCase(reg, MotionBody("Vandring avskriven " + UniqueWord(), "2021-02-01"))["id"];
    Walk(s, written_off, "motion",
         {{{{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}}, "distributed"},
          {{{"event", "begin_preparation"}, {"organ", "fs"}}, "in_preparation"},
          {{{"event", "report_unanswered"}, {"organ", "rf"}}, "in_preparation"},
          {{{"event", "write_off"}, {"organ", "rf"}}, "written_off"}},
         sent);
    const json w = GetCase(reg, written_off);
    CHECK(w.at("deadlines")[0].at("cancelled") == true);
    CHECK(w.at("deadlines")[0].at("overdue") == false);

    CHECK(Joined(sent) == Joined(kAllMotionEvents));
  }

  TEST_CASE("Every remiss event of api.md can be sent over HTTP along some path") {
    auto& s = SharedServer();
    const auto reg = s.As("registrar");
    Names sent;

    // 1. Answered under delegation after an agreed extension.
    const long long answered =
        CreateCase(reg, RemissBody("Remissvandring svar " + UniqueWord()))["id"];
    CHECK(Joined(ActionNames(reg, answered)) == Joined(RemissAllowed().at("registered")));
    const json a = Walk(
        s, answered, "remiss",
        {{{{"event", "distribute"}, {"organ", "rlk"}, {"to", "ana"}, {"officer", "Linda Byman"}},
          "distributed"},
         {{{"event", "begin_preparation"}, {"organ", "rlk"}}, "in_preparation"},
         {{{"event", "note"}, {"organ", "ana-pres"}, {"paragraph", "§ 124"}}, "in_preparation"},
         {{{"event", "extend_deadline"}, {"organ", "ana"}, {"answer_by", "2023-05-31"}},
          "in_preparation"},
         {{{"event", "propose_response"}, {"organ", "ana-pres"}}, "proposal_ready"},
         {{{"event", "decide_response"}, {"organ", "ana"}, {"delegation", "ANAV 4.2.1"}},
          "decided"},
         {{{"event", "send_response"}, {"date", "2023-02-27"}, {"organ", "ana"}}, "answered"}},
        sent);
    CHECK(a.at("answer_by") == "2023-05-31");
    CHECK(a.at("officer") == "Linda Byman");
    CHECK(a.at("deadlines")[0].at("met_on") == "2023-02-27");

    // 2. Declined.
    const long long declined =
        CreateCase(reg, RemissBody("Remissvandring avstår " + UniqueWord()))["id"];
    Walk(s, declined, "remiss",
         {{{{"event", "decline"}, {"organ", "rs"}, {"reason", "Berör inte regionen"}}, "declined"}},
         sent);

    // 3. Withdrawn by the sender.
    json body = RemissBody("Remissvandring återkallad " + UniqueWord());
    body["to"] = "fs";
    const json created = CreateCase(reg, body);
    CHECK(created.at("state") == "distributed");
    Walk(s, created.at("id"), "remiss", {{{{"event", "withdraw"}, {"organ", "fs"}}, "withdrawn"}},
         sent);

    CHECK(Joined(sent) == Joined(kAllRemissEvents));
  }

  TEST_CASE("The actions of a case list each allowed event with its fields") {
    auto& s = SharedServer();
    const long long id =
        CreateCase(s.As("registrar"), MotionBody("Åtgärder " + UniqueWord()))["id"];
    const auto r = s.As("officer").Get(CasesPath(id, "actions"));
    REQUIRE(r.status == 200);
    CHECK(r.Header("ETag") == "\"1\"");
    const json j = r.Json();
    CHECK(j.at("state") == "registered");
    CHECK(j.at("version") == 1);
    bool saw_distribute = false;
    for (const auto& a : j.at("items")) {
      CHECK(a.at("label").is_string());
      if (a.at("event") != "distribute") continue;
      saw_distribute = true;
      CHECK(a.at("permitted") == false);  // an officer does not distribute
      REQUIRE(a.at("fields").size() >= 1);
      CHECK(a.at("fields")[0].at("name") == "to");
      CHECK(a.at("fields")[0].at("required") == true);
    }
    CHECK(saw_distribute);
  }
}

}  // namespace
}  // namespace kansli::test
