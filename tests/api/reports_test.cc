// GET /api/v1/reports/unanswered-motions and `kansli report unanswered-motions`:
// the KL 5 kap. 35 § report over the demo data and cases made for the test,
// as JSON, CSV and HTML, judged by the history of the day asked for.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "tests/api/api_support.h"
#include "tests/support/env.h"

namespace kansli::test {
namespace {

const std::string kReport = "/api/v1/reports/unanswered-motions";

ServerOptions DemoOptions() {
  ServerOptions o = PrivateServer::DefaultOptions();
  o.demo_load = true;
  return o;
}

// GET the report; REQUIREs 200.
HttpResponse Fetch(const Http& http, const std::string& query) {
  const auto r = http.Get(kReport + (query.empty() ? "" : "?" + query));
  INFO("GET ", kReport, "?", query, " -> ", r.Describe());
  REQUIRE(r.status == 200);
  return r;
}

// Every motion of a JSON report, in report order.
std::vector<json> Motions(const json& report) {
  std::vector<json> out;
  for (const auto& g : report.at("groups"))
    for (const auto& m : g.at("motions")) out.push_back(m);
  return out;
}

json FindMotion(const json& report, const std::string& reference) {
  for (const auto& m : Motions(report))
    if (m.at("reference") == reference) return m;
  FAIL("no motion ", reference, " in ", report.dump());
  return json();
}

std::set<std::string> References(const json& report) {
  std::set<std::string> out;
  for (const auto& m : Motions(report)) out.insert(m.at("reference").get<std::string>());
  return out;
}

// A motion received on `received` and taken to ready_for_council at tim;
// decided on `decided` when given.
json PreparedMotion(const TestServer& s, const std::string& title, const std::string& received,
                    const std::string& decided = "") {
  const json c = CreateCase(s.As("registrar"), MotionBody(title, received));
  const long long id = c.at("id");
  const auto sec = s.As("secretary");
  SendEvent(sec, id,
            {{"event", "distribute"}, {"date", "2022-02-01"}, {"organ", "rf-pres"}, {"to", "tim"}});
  SendEvent(sec, id, {{"event", "begin_preparation"}, {"date", "2022-02-10"}, {"organ", "tim"}});
  SendEvent(sec, id,
            {{"event", "adopt_answer"},
             {"date", "2022-03-01"},
             {"organ", "tim"},
             {"outcome", "rejected"}});
  SendEvent(sec, id,
            {{"event", "board_propose"},
             {"date", "2022-03-10"},
             {"organ", "rs"},
             {"paragraph", "§ 40"},
             {"outcome", "rejected"},
             {"text", "Regionstyrelsen föreslår att motionen avslås"}});
  if (!decided.empty())
    SendEvent(sec, id,
              {{"event", "decide"}, {"date", decided}, {"organ", "rf"}, {"outcome", "rejected"}});
  return c;
}

TEST_SUITE("api") {
  TEST_CASE("The unanswered motions report over the demo data lists RJL 2021/1342 past its year") {
    PrivateServer p(DemoOptions());
    const auto reader = p.server.As("reader");

    const auto r = Fetch(reader, "as_of=2022-06-16");
    CHECK(r.Header("Content-Type") == "application/json; charset=utf-8");
    const json report = r.Json();
    CHECK(report.at("as_of") == "2022-06-16");
    CHECK(report.at("generated_at") == "2023-03-01T10:00:00+01:00");  // KANSLI_NOW
    CHECK(report.at("total") == 1);
    CHECK(report.at("overdue") == 1);
    REQUIRE(report.at("groups").size() == 1);
    CHECK(report.at("groups")[0].at("organ") == "fs");
    CHECK(report.at("groups")[0].at("organ_name") == "Nämnd för folkhälsa och sjukvård");
    const json m = FindMotion(report, "RJL 2021/1342");
    CHECK(m.at("title") == "Kultur för hälsa");
    CHECK(m.at("submitters").size() == 4);
    CHECK(m.at("received") == "2021-06-15");
    CHECK(m.at("responsible_organ") == "fs");
    CHECK(m.at("responsible_organ_name") == "Nämnd för folkhälsa och sjukvård");
    CHECK(m.at("state") == "in_preparation");
    CHECK(m.at("state_label") == "Under beredning");
    CHECK(m.at("decision_due") == "2022-06-15");
    CHECK(m.at("days_open") == 366);
    CHECK(m.at("overdue") == true);
    CHECK(m.at("reported") == false);
    // The fixture's last row dated on or before 2022-06-16: FS § 100 of 2022-05-31
    // (the ANA presidium's row of 2022-09-21 came later).
    const json fixture = ReadJsonFile(MotionFixturePath());
    json expected_last;
    for (const auto& e : fixture.at("events"))
      if (e.at("date").get<std::string>() <= "2022-06-16") expected_last = e;
    REQUIRE(expected_last.at("date") == "2022-05-31");
    const json& last = m.at("last_handling");
    CHECK(last.at("date") == "2022-05-31");
    CHECK(last.at("event") == "request_views");
    CHECK(last.at("organ") == "fs");
    CHECK(last.at("organ_name") == "Nämnd för folkhälsa och sjukvård");
    CHECK(last.at("paragraph") == "§ 100");
    CHECK(last.at("text") == expected_last.at("text"));

    // The day before it was received: not in the report.
    const json early = Fetch(reader, "as_of=2021-06-14").Json();
    CHECK(early.at("total") == 0);
    CHECK(early.at("groups") == json::array());
    // Before its distribution it was not at fs yet.
    const json registered = Fetch(reader, "as_of=2021-07-01").Json();
    REQUIRE(registered.at("groups").size() == 1);
    CHECK(registered.at("groups")[0].at("organ").is_null());
    CHECK(registered.at("groups")[0].at("organ_name") == "Ej fördelade");
    CHECK(FindMotion(registered, "RJL 2021/1342").at("state") == "registered");
    CHECK(FindMotion(registered, "RJL 2021/1342").at("overdue") == false);

    // Without as_of: today (2023-03-01), with the ANA presidium's row as the last.
    const json today = Fetch(reader, "").Json();
    CHECK(today.at("as_of") == "2023-03-01");
    CHECK(FindMotion(today, "RJL 2021/1342").at("last_handling").at("date") == "2022-09-21");
    CHECK(FindMotion(today, "RJL 2021/1342").at("last_handling").at("organ") == "ana-pres");

    // Bad parameters: 422 naming the field.
    for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
             {"as_of=2022-13-01", "as_of"},
             {"as_of=16/6/2022", "as_of"},
             {"format=pdf", "format"},
             {"as_of=2022-06-16&format=JSON", "format"}}) {
      CAPTURE(query);
      const auto bad = reader.Get(kReport + "?" + query);
      CHECK(bad.status == 422);
      CHECK(ErrorCode(bad) == "validation_failed");
      CHECK(bad.Json().at("error").at("details").at("field") == field);
    }
    CHECK(p.server.Anonymous().Get(kReport).status == 401);
    CHECK(p.server.As("admin").PostJson(kReport, json::object()).status == 405);
  }

  TEST_CASE(
      "The unanswered motions report judges closing events by their date and renders CSV and "
      "HTML") {
    PrivateServer p(DemoOptions());
    const auto& s = p.server;
    const std::string before = PreparedMotion(s, "Beslutad före", "2022-01-10", "2022-03-15")
                                   .at("reference")
                                   .get<std::string>();
    const std::string after = PreparedMotion(s, "Beslutad efter", "2022-01-11", "2022-09-01")
                                  .at("reference")
                                  .get<std::string>();
    const std::string comma =
        CreateCase(s.As("registrar"), MotionBody("Cyklar, bussar och tåg", "2022-02-01"))
            .at("reference")
            .get<std::string>();
    const std::string script =
        CreateCase(s.As("registrar"),
                   MotionBody("<script>alert('x')</script> & annat", "2022-02-02"))
            .at("reference")
            .get<std::string>();
    json secret_body = MotionBody("Hemlig motion om personalfrågor", "2022-02-03");
    secret_body["confidential"] = true;
    const std::string secret =
        CreateCase(s.As("registrar"), secret_body).at("reference").get<std::string>();

    const auto registrar = s.As("registrar");
    const json report = Fetch(registrar, "as_of=2022-06-16").Json();
    CHECK(References(report) ==
          std::set<std::string>{"RJL 2021/1342", after, comma, script, secret});
    CHECK(report.at("total") == 5);
    CHECK(report.at("overdue") == 1);
    // Groups by organ name, the undistributed last.
    REQUIRE(report.at("groups").size() == 3);
    CHECK(report.at("groups")[0].at("organ") == "fs");
    CHECK(report.at("groups")[1].at("organ") == "tim");
    CHECK(report.at("groups")[2].at("organ").is_null());
    CHECK(report.at("groups")[2].at("motions").size() == 3);
    // Decided after the day: listed as it stood that day.
    const json later = FindMotion(report, after);
    CHECK(later.at("state") == "ready_for_council");
    CHECK(later.at("responsible_organ") == "tim");
    CHECK(later.at("last_handling").at("event") == "board_propose");
    CHECK(later.at("last_handling").at("date") == "2022-03-10");
    CHECK(later.at("last_handling").at("organ_name") == "Regionstyrelsen");
    CHECK(FindMotion(report, secret).at("title") == "Hemlig motion om personalfrågor");
    // Before the first decision both were open; after both, neither.
    CHECK(References(Fetch(registrar, "as_of=2022-03-14").Json()).count(before) == 1);
    const json autumn = Fetch(registrar, "as_of=2022-09-01").Json();
    CHECK(References(autumn).count(before) == 0);
    CHECK(References(autumn).count(after) == 0);

    // CSV: a download with a header row and RFC 4180 quoting.
    const auto csv = Fetch(registrar, "as_of=2022-06-16&format=csv");
    CHECK(csv.Header("Content-Type") == "text/csv; charset=utf-8");
    CHECK(csv.Header("Content-Disposition") ==
          "attachment; filename=\"obesvarade-motioner-2022-06-16.csv\"");
    CHECK(csv.body.rfind("Ansvarig organ (kod),Ansvarig organ,Diarienummer,Rubrik,", 0) == 0);
    CHECK(csv.body.find(",\"Cyklar, bussar och tåg\",") != std::string::npos);
    std::size_t rows = 0;
    for (std::size_t at = 0; (at = csv.body.find("\r\n", at)) != std::string::npos; at += 2) ++rows;
    CHECK(rows == 6);  // the header and five motions (no text here spans lines)
    CHECK(csv.body.find(",2021-06-15,Under beredning,2022-05-31,") != std::string::npos);

    // HTML: a printable page, every text escaped, overdue rows marked in words.
    const auto html = Fetch(registrar, "as_of=2022-06-16&format=html");
    CHECK(html.Header("Content-Type") == "text/html; charset=utf-8");
    CHECK(html.body.find("Redovisning av obesvarade motioner per 2022-06-16") != std::string::npos);
    CHECK(html.body.find("5 kap. 35 §") != std::string::npos);
    CHECK(html.body.find("<script>") == std::string::npos);
    CHECK(html.body.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; annat") !=
          std::string::npos);
    CHECK(html.body.find("Försenad") != std::string::npos);
    CHECK(html.body.find("Ej fördelade") != std::string::npos);

    // Readers see the confidential motion's title redacted, in every format.
    const auto reader = s.As("reader");
    const json public_report = Fetch(reader, "as_of=2022-06-16").Json();
    CHECK(FindMotion(public_report, secret).at("title") == "Sekretessmarkerat");
    CHECK(FindMotion(public_report, comma).at("title") == "Cyklar, bussar och tåg");
    for (const char* format : {"csv", "html", "json"}) {
      CAPTURE(format);
      const auto r = Fetch(reader, std::string("as_of=2022-06-16&format=") + format);
      CHECK(r.body.find("Hemlig") == std::string::npos);
      CHECK(r.body.find("Sekretessmarkerat") != std::string::npos);
    }

    // The command line gives the same CSV.
    const auto cli =
        p.db.KansliOk({"report", "unanswered-motions", "--as-of", "2022-06-16", "--format", "csv"},
                      {{"KANSLI_NOW", kApiNow}});
    CHECK(cli.out == csv.body);
    CHECK(cli.out.find(",\"Cyklar, bussar och tåg\",") != std::string::npos);
    const auto cli_json = p.db.KansliOk({"report", "unanswered-motions", "--as-of", "2022-06-16"},
                                        {{"KANSLI_NOW", kApiNow}});
    CHECK(json::parse(cli_json.out).at("total") == 5);
    const auto cli_html =
        p.db.KansliOk({"report", "unanswered-motions", "--format", "html", "--redact"},
                      {{"KANSLI_NOW", kApiNow}});
    CHECK(cli_html.out.find("per 2023-03-01") != std::string::npos);
    CHECK(cli_html.out.find("Hemlig") == std::string::npos);
    const auto bad = p.db.Kansli({"report", "unanswered-motions", "--format", "pdf"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("--format") != std::string::npos);
    CHECK(p.db.Kansli({"report", "unanswered-motions", "--as-of", "2022-02-30"}).exit_code == 2);
  }

  TEST_CASE("The openapi document describes the report and the calendar feed") {
    const auto doc = SharedServer().Anonymous().Get("/api/v1/openapi.json");
    REQUIRE(doc.status == 200);
    const json j = doc.Json();
    for (const char* path : {"/api/v1/reports/unanswered-motions", "/api/v1/calendar.ics"}) {
      CAPTURE(path);
      REQUIRE(j.at("paths").contains(path));
      CHECK(j.at("paths").at(path).contains("get"));
    }
    const auto& params =
        j.at("paths").at("/api/v1/reports/unanswered-motions").at("get").at("parameters");
    std::set<std::string> names;
    for (const auto& p : params) names.insert(p.at("name").get<std::string>());
    CHECK(names == std::set<std::string>{"as_of", "format"});
    CHECK(j.at("components").at("schemas").contains("UnansweredMotionsReport"));
  }
}

}  // namespace
}  // namespace kansli::test
