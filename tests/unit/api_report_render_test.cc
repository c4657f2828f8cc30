// The report renderers (api/report_render.h): the JSON shape, CSV quoting
// (RFC 4180) and the HTML page's escaping, marks and redaction.
#include "api/report_render.h"

#include <string>

#include <doctest/doctest.h>

namespace kansli::api {
namespace {

using namespace date::literals;

workflow::UnansweredMotionsReport Sample() {
  workflow::UnansweredMotion m;
  m.id = 3;
  m.reference = "RJL 2021/1342";
  m.title = "Kultur, hälsa och \"<script>alert(1)</script>\"";
  m.submitters = {{"Kristina Nero", "V"}, {"Partilös", "-"}};
  m.received = 2021_y / 6 / 15;
  m.organ = "fs";
  m.organ_name = "Nämnd för folkhälsa och sjukvård";
  m.state = "in_preparation";
  m.state_label = "Under beredning";
  m.last_handling = workflow::Handling{2022_y / 5 / 31,
                                       "request_views",
                                       "Begäran om synpunkter",
                                       "fs",
                                       "Nämnd för folkhälsa och sjukvård",
                                       "§ 100",
                                       "Remitteras\ntill ANA"};
  m.decision_due = 2022_y / 6 / 15;
  m.days_open = 366;
  m.overdue = true;
  workflow::UnansweredMotion hidden = m;
  hidden.id = 4;
  hidden.reference = "RJL 2022/4";
  hidden.title = "Hemligt ärende";
  hidden.confidential = true;
  hidden.overdue = false;
  hidden.reported = true;
  hidden.reported_on = 2022_y / 6 / 1;
  hidden.last_handling->text = "=HYPERLINK(\"x\")";
  workflow::UnansweredMotionsReport r;
  r.as_of = 2022_y / 6 / 16;
  r.generated_at = date::sys_days{2022_y / 6 / 16} + std::chrono::hours(8);
  r.total = 2;
  r.overdue = 1;
  r.groups.push_back({std::string("fs"), "Nämnd för folkhälsa och sjukvård", {m, hidden}});
  return r;
}

TEST_CASE("report rendering: formats parse from their names only") {
  CHECK(ParseReportFormat("json") == ReportFormat::kJson);
  CHECK(ParseReportFormat("csv") == ReportFormat::kCsv);
  CHECK(ParseReportFormat("html") == ReportFormat::kHtml);
  CHECK_FALSE(ParseReportFormat("pdf"));
  CHECK_FALSE(ParseReportFormat("JSON"));
  CHECK_FALSE(ParseReportFormat(""));
}

TEST_CASE("report rendering: CSV fields are quoted as RFC 4180 says") {
  CHECK(CsvField("plain") == "plain");
  CHECK(CsvField("a,b") == "\"a,b\"");
  CHECK(CsvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(CsvField("two\nlines") == "\"two\nlines\"");
  CHECK(CsvField("") == "");
  CHECK(CsvField("=1+1") == "'=1+1");
  CHECK(CsvField("@x,y") == "\"'@x,y\"");
}

TEST_CASE("report rendering: the CSV has a header and one CRLF row per motion") {
  const auto doc = RenderUnansweredMotions(Sample(), ReportFormat::kCsv, false);
  CHECK(doc.content_type == "text/csv; charset=utf-8");
  CHECK(doc.filename == "obesvarade-motioner-2022-06-16.csv");
  const std::string header =
      "Ansvarig organ (kod),Ansvarig organ,Diarienummer,Rubrik,Motionärer,Inkom,Status,"
      "Senast handlagd,Handlagd av,Paragraf,Händelse,Text,Beslut senast,Dagar öppen,Försenad,"
      "Redovisad,Redovisad datum\r\n";
  REQUIRE(doc.body.rfind(header, 0) == 0);
  const std::string first =
      "fs,Nämnd för folkhälsa och sjukvård,RJL 2021/1342,"
      "\"Kultur, hälsa och \"\"<script>alert(1)</script>\"\"\","
      "\"Kristina Nero (V), Partilös\",2021-06-15,Under beredning,2022-05-31,"
      "Nämnd för folkhälsa och sjukvård,§ 100,Begäran om synpunkter,\"Remitteras\ntill ANA\","
      "2022-06-15,366,ja,nej,\r\n";
  CHECK(doc.body.substr(header.size(), first.size()) == first);
  CHECK(doc.body.find("RJL 2022/4,Hemligt ärende,") != std::string::npos);
  CHECK(doc.body.find(",\"'=HYPERLINK(\"\"x\"\")\",") != std::string::npos);
  CHECK(doc.body.find(",nej,ja,2022-06-01\r\n") != std::string::npos);

  const auto redacted = RenderUnansweredMotions(Sample(), ReportFormat::kCsv, true);
  CHECK(redacted.body.find("Hemligt") == std::string::npos);
  CHECK(redacted.body.find("HYPERLINK") == std::string::npos);
  CHECK(redacted.body.find("RJL 2022/4,Sekretessmarkerat,") != std::string::npos);
  CHECK(redacted.body.find("Kultur, hälsa") != std::string::npos);  // not confidential
}

TEST_CASE("report rendering: the HTML page escapes every text and marks overdue rows in words") {
  const auto doc = RenderUnansweredMotions(Sample(), ReportFormat::kHtml, false);
  CHECK(doc.content_type == "text/html; charset=utf-8");
  CHECK(doc.filename.empty());
  const std::string& h = doc.body;
  CHECK(h.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(h.find("<html lang=\"sv\">") != std::string::npos);
  CHECK(h.find("<h1>Redovisning av obesvarade motioner per 2022-06-16</h1>") != std::string::npos);
  CHECK(h.find("5 kap. 35 § kommunallagen") != std::string::npos);
  CHECK(h.find("<script>") == std::string::npos);
  CHECK(h.find("Kultur, hälsa och &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;") !=
        std::string::npos);
  CHECK(h.find("<h2>Nämnd för folkhälsa och sjukvård (fs)</h2>") != std::string::npos);
  CHECK(h.find("<tr class=\"overdue\"><td>RJL 2021/1342</td>") != std::string::npos);
  CHECK(h.find("<span class=\"mark\">Försenad</span></td></tr>") != std::string::npos);
  CHECK(h.find("Redovisad 2022-06-01") != std::string::npos);
  // No external resources.
  for (const char* external : {"http://", "https://", "src=", "<link", "@import"})
    CHECK(h.find(external) == std::string::npos);

  const auto redacted = RenderUnansweredMotions(Sample(), ReportFormat::kHtml, true);
  CHECK(redacted.body.find("Hemligt") == std::string::npos);
  CHECK(redacted.body.find("Sekretessmarkerat") != std::string::npos);
}

TEST_CASE("report rendering: the JSON has the report fields and redacts for readers") {
  const auto j = UnansweredMotionsJson(Sample(), false);
  CHECK(j.at("as_of") == "2022-06-16");
  CHECK(j.at("generated_at") == "2022-06-16T10:00:00+02:00");
  CHECK(j.at("total") == 2);
  CHECK(j.at("overdue") == 1);
  REQUIRE(j.at("groups").size() == 1);
  const auto& g = j.at("groups")[0];
  CHECK(g.at("organ") == "fs");
  CHECK(g.at("organ_name") == "Nämnd för folkhälsa och sjukvård");
  CHECK(g.at("total") == 2);
  const auto& m = g.at("motions")[0];
  CHECK(m.at("reference") == "RJL 2021/1342");
  CHECK(m.at("responsible_organ") == "fs");
  CHECK(m.at("state") == "in_preparation");
  CHECK(m.at("state_label") == "Under beredning");
  CHECK(m.at("last_handling").at("date") == "2022-05-31");
  CHECK(m.at("last_handling").at("paragraph") == "§ 100");
  CHECK(m.at("decision_due") == "2022-06-15");
  CHECK(m.at("days_open") == 366);
  CHECK(m.at("overdue") == true);
  CHECK(m.at("reported") == false);
  CHECK(m.at("reported_on").is_null());
  CHECK(m.at("submitters")[1].at("party") == "-");

  const auto r = UnansweredMotionsJson(Sample(), true);
  const auto& hidden = r.at("groups")[0].at("motions")[1];
  CHECK(hidden.at("title") == "Sekretessmarkerat");
  CHECK(hidden.at("last_handling").at("text") == "Sekretessmarkerat");
  CHECK(hidden.at("confidential") == true);
  CHECK(r.at("groups")[0].at("motions")[0].at("title") == Sample().groups[0].motions[0].title);

  workflow::UnansweredMotionsReport nothing;
  nothing.as_of = 2022_y / 1 / 1;
  const auto empty = RenderUnansweredMotions(nothing, ReportFormat::kJson, false);
  CHECK(empty.content_type == "application/json; charset=utf-8");
  CHECK(empty.body.find("\"groups\":[]") != std::string::npos);
}

}  // namespace
}  // namespace kansli::api
