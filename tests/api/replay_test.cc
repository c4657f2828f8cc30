// The real cases of the fixtures, replayed through the HTTP API exactly as a
// client would post them, end where the papers say they end.
#include <doctest/doctest.h>

#include "tests/api/api_support.h"
#include "tests/support/env.h"

namespace kansli::test {
namespace {

// Posts the fixture's create and events; returns the case id.
long long Replay(const Http& registrar, const Http& secretary, const json& fixture) {
  const json created = CreateCase(registrar, ForPosting(fixture.at("create")));
  const long long id = created.at("id").get<long long>();
  CHECK(created.at("reference") == fixture.at("reference"));
  CHECK(created.at("state") == "registered");
  CHECK(created.at("version") == 1);
  long long version = 1;
  for (const auto& e : fixture.at("events")) {
    const json after = SendEvent(secretary, id, ForPosting(e));
    CHECK(after.at("version").get<long long>() == ++version);
  }
  return id;
}

// The history's events after the registration are the posted ones, in order.
void CheckHistoryFollowsFixture(const json& history, const json& fixture) {
  REQUIRE(history.size() == fixture.at("expect").at("history_length").get<std::size_t>());
  CHECK(history[0].at("event") == "register");
  CHECK(history[0].at("seq") == 1);
  const auto& events = fixture.at("events");
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& h = history[i + 1];
    const auto& e = events[i];
    CAPTURE(i);
    CHECK(h.at("seq") == i + 2);
    CHECK(h.at("event") == e.at("event"));
    CHECK(h.at("date") == e.at("date"));
    CHECK(h.at("organ") == e.at("organ"));
    CHECK(h.at("text") == e.at("text"));
    CHECK(h.at("paragraph") == e.value("paragraph", json()));
  }
}

json FindDeadline(const json& c, const std::string& kind) {
  for (const auto& d : c.at("deadlines"))
    if (d.at("kind") == kind) return d;
  FAIL("no deadline of kind ", kind, " in ", c.at("deadlines").dump());
  return json();
}

TEST_SUITE("api") {
  TEST_CASE(
      "The motion RJL 2021/1342 replayed over HTTP ends in preparation at fs with ana consulted") {
    auto& s = SharedServer();
    const json fixture = ReadJsonFile(MotionFixturePath());
    const long long id = Replay(s.As("registrar"), s.As("secretary"), fixture);

    const auto r = s.As("reader").Get(CasesPath(id));
    REQUIRE(r.status == 200);
    const json c = r.Json();
    CHECK(c.at("reference") == "RJL 2021/1342");
    CHECK(c.at("type") == "motion");
    CHECK(c.at("title") == "Kultur för hälsa");
    CHECK(c.at("received") == "2021-06-15");
    CHECK(c.at("state") == "in_preparation");
    CHECK(c.at("state_label") == "Under beredning");
    CHECK(c.at("responsible_organ") == "fs");
    CHECK(c.at("consulted_organs") == json::array({"ana"}));
    CHECK(c.at("outcome").is_null());
    CHECK(c.at("version") == 12);
    CHECK(c.at("submitters").size() == 4);
    CHECK(c.at("submitters")[0] == json({{"name", "Kristina Nero"}, {"party", "V"}}));
    const auto& expect = fixture.at("expect");
    CHECK(c.at("state") == expect.at("state"));
    CHECK(c.at("responsible_organ") == expect.at("responsible_organ"));
    CHECK(c.at("consulted_organs") == expect.at("consulted_organs"));
    CHECK(c.at("outcome") == expect.at("outcome"));

    const json due = FindDeadline(c, "decision_due");
    CHECK(due.at("due") == "2022-06-15");
    CHECK(due.at("due") == expect.at("decision_due"));
    CHECK(due.at("met") == false);
    CHECK(due.at("overdue") == true);  // today is 2023-03-01

    const json history = History(s.As("reader"), id);
    CHECK(history.size() == 12);
    CheckHistoryFollowsFixture(history, fixture);
    // Two material deliveries keep their documents.
    CHECK(history[5].at("details").at("document").at("title") ==
          "Motionsunderlag - Kultur för hälsa");
    CHECK(history[5].at("details").at("document").at("date") == "2022-04-12");
  }

  TEST_CASE("The remiss RJL 2022/2018 replayed over HTTP ends with a proposal ready at ana") {
    auto& s = SharedServer();
    const json fixture = ReadJsonFile(RemissFixturePath());
    const auto& create = fixture.at("create");
    REQUIRE(create.contains("officer"));
    REQUIRE(create.contains("notes"));
    const long long id = Replay(s.As("registrar"), s.As("secretary"), fixture);

    const json c = GetCase(s.As("reader"), id);
    CHECK(c.at("reference") == "RJL 2022/2018");
    CHECK(c.at("type") == "remiss");
    CHECK(c.at("state") == "proposal_ready");
    CHECK(c.at("state") == fixture.at("expect").at("state"));
    CHECK(c.at("responsible_organ") == "ana");
    CHECK(c.at("consulted_organs") == json::array());
    CHECK(c.at("outcome").is_null());
    CHECK(c.at("answer_by") == "2022-10-31");
    CHECK(c.at("answer_by") == fixture.at("expect").at("answer_by"));
    CHECK(c.at("sender") == "Regionsamverkan Sydsverige");
    CHECK(c.at("officer") == "Linda Byman");
    CHECK(c.at("notes") == create.at("notes"));
    CHECK(c.at("version") == 5);
    const json due = FindDeadline(c, "answer_by");
    CHECK(due.at("due") == "2022-10-31");
    CHECK(due.at("met") == false);

    const json history = History(s.As("reader"), id);
    CHECK(history.size() == 5);
    CheckHistoryFollowsFixture(history, fixture);
    CHECK(history[1].at("details").at("officer") == "Linda Byman");
  }

  TEST_CASE("kansli demo load registers the demo motion in its final state") {
    ServerOptions o = PrivateServer::DefaultOptions();
    o.demo_load = true;
    PrivateServer p(o);
    const auto r =
        p.server.As("reader").Get("/api/v1/cases?reference=" + Http::Escape("RJL 2021/1342"));
    REQUIRE(r.status == 200);
    const json page = r.Json();
    REQUIRE(page.at("total") == 1);
    const json& c = page.at("items")[0];
    CHECK(c.at("state") == "in_preparation");
    CHECK(c.at("version") == 12);
    CHECK(History(p.server.As("reader"), c.at("id").get<long long>()).size() == 12);

    // Loading again changes nothing.
    const auto again = p.db.KansliOk({"demo", "load"});
    CHECK(again.out.find("already loaded") != std::string::npos);
    CHECK(p.server.As("reader").Get("/api/v1/cases").Json().at("total") == 1);

    const auto organs = p.server.As("reader").Get("/api/v1/organs");
    REQUIRE(organs.status == 200);
    CHECK(organs.Json().at("items").size() == 14);
  }
}

}  // namespace
}  // namespace kansli::test
