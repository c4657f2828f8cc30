// Requests the API must refuse, each with the status and error of api.md;
// operations endpoints; and hostile input that must be stored as text.
#include <doctest/doctest.h>

#include <functional>

#include "tests/api/api_support.h"
#include "tests/support/env.h"

#include <pqxx/pqxx>

namespace kansli::test {
namespace {

json ErrorOf(const HttpResponse& r) {
  const json j = r.Json();
  REQUIRE(j.contains("error"));
  CHECK(j.at("error").at("message").is_string());
  CHECK_FALSE(j.at("error").at("message").get<std::string>().empty());
  return j.at("error");
}

long long NewMotion(TestServer& s, const std::string& title) {
  return CreateCase(s.As("registrar"), MotionBody(title + " " + UniqueWord())).at("id");
}

TEST_SUITE("api") {
  TEST_CASE("Malformed JSON gets 400") {
    auto& s = SharedServer();
    const auto http = s.As("registrar");
    const long long id = NewMotion(s, "Trasig JSON");
    for (const std::string& body :
         {std::string(R"({"type": "motion", "title": )"), std::string("{'type': 'motion'}"),
          std::string(""), std::string("motion"), std::string(R"({"a": 1} trailing)")}) {
      CAPTURE(body);
      const auto r = http.Post("/api/v1/cases", body);
      CHECK(r.status == 400);
      CHECK(ErrorOf(r).at("code") == "malformed_json");
      CHECK(http.Post(CasesPath(id, "events"), body).status == 400);
    }
    CHECK(GetCase(http, id).at("version") == 1);
  }

  TEST_CASE("A body larger than 1 MiB gets 413") {
    auto& s = SharedServer();
    const auto http = s.As("registrar");
    const std::string word = UniqueWord();
    json body = MotionBody("Stor " + word);
    body["notes"] = std::string((1 << 20) + 16, 'x');
    const auto r = http.PostJson("/api/v1/cases", body);
    CHECK(r.status == 413);
    CHECK(ErrorOf(r).at("code") == "payload_too_large");
    CHECK(http.Get("/api/v1/cases?q=" + word).Json().at("total") == 0);
    // The server still serves the next request.
    CHECK(http.Get("/healthz").status == 200);
  }

  TEST_CASE("A body of exactly 1 MiB is read and one byte more gets 413") {
    auto& s = SharedServer();
    const auto http = s.As("registrar");
    const std::string word = UniqueWord();
    std::string body = MotionBody("Precis " + word).dump();
    body += std::string((1 << 20) - body.size(), ' ');  // JSON allows trailing whitespace
    REQUIRE(body.size() == (1u << 20));
    const auto exact = http.Post("/api/v1/cases", body);
    CHECK(exact.status == 201);
    const auto over = http.Post("/api/v1/cases", body + " ");
    CHECK(over.status == 413);
    CHECK(http.Get("/api/v1/cases?q=" + word).Json().at("total") == 1);
  }

  TEST_CASE("A 100000-deep JSON array gets 400") {
    auto& s = SharedServer();
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const auto r = s.As("registrar").Post("/api/v1/cases", deep);
    CHECK(r.status == 400);
    CHECK(ErrorOf(r).at("code") == "malformed_json");
    const long long id = NewMotion(s, "Djup");
    const std::string deep_object = R"({"event": "note", "organ": "fs", "text": )" +
                                    std::string(100000, '[') + std::string(100000, ']') + "}";
    CHECK(s.As("secretary").Post(CasesPath(id, "events"), deep_object).status == 400);
    CHECK(s.Anonymous().Get("/healthz").status == 200);
  }

  TEST_CASE("Invalid UTF-8 in a string gets 400") {
    auto& s = SharedServer();
    const auto http = s.As("registrar");
    const std::string word = UniqueWord();
    for (const std::string& bad : {std::string("\xff\xfe"), std::string("\xc0\xaf"),
                                   std::string("\xed\xa0\x80"), std::string("abc\xe2\x82")}) {
      const std::string body = R"({"type": "motion", "title": ")" + word + bad +
                               R"(", "received": "2023-02-01", "submitters": [{"name": "A"}]})";
      const auto r = http.Post("/api/v1/cases", body);
      CHECK(r.status == 400);
      CHECK(ErrorCode(r) == "malformed_json");
    }
    CHECK(http.Get("/api/v1/cases?q=" + word).Json().at("total") == 0);
  }

  TEST_CASE("A missing field gets 422 naming the field") {
    auto& s = SharedServer();
    const auto http = s.As("registrar");
    struct Missing {
      std::string field;
      json body;
    };
    json no_title = MotionBody("x");
    no_title.erase("title");
    json no_received = MotionBody("x");
    no_received.erase("received");
    json no_submitters = MotionBody("x");
    no_submitters.erase("submitters");
    json no_sender = RemissBody("x");
    no_sender.erase("sender");
    json no_type = MotionBody("x");
    no_type.erase("type");
    for (const auto& m : {Missing{"title", no_title}, Missing{"received", no_received},
                          Missing{"submitters", no_submitters}, Missing{"sender", no_sender},
                          Missing{"type", no_type}}) {
      CAPTURE(m.field);
      const auto r = http.PostJson("/api/v1/cases", m.body);
      CHECK(r.status == 422);
      const json e = ErrorOf(r);
      CHECK(e.at("code") == "validation_failed");
      CHECK(e.at("details").at("field") == m.field);
    }

    const long long id = NewMotion(s, "Saknat fält");
    const auto sec = s.As("secretary");
    const auto no_to =
        sec.PostJson(CasesPath(id, "events"), {{"event", "distribute"}, {"organ", "rf-pres"}});
    CHECK(no_to.status == 422);
    CHECK(ErrorOf(no_to).at("details").at("field") == "to");
    const auto no_organ = sec.PostJson(CasesPath(id, "events"), {{"event", "note"}});
    CHECK(no_organ.status == 422);
    CHECK(ErrorOf(no_organ).at("details").at("field") == "organ");
    const auto no_event = sec.PostJson(CasesPath(id, "events"), {{"organ", "fs"}});
    CHECK(no_event.status == 422);
    CHECK(ErrorOf(no_event).at("details").at("field") == "event");
    CHECK(GetCase(sec, id).at("version") == 1);
  }

  TEST_CASE("Invalid content in valid JSON gets 422 naming the field") {
    auto& s = SharedServer();
    const auto http = s.As("registrar");
    json bad_date = MotionBody("x");
    bad_date["received"] = "15/6/2021";
    json impossible_date = MotionBody("x");
    impossible_date["received"] = "2023-02-30";
    json typo = MotionBody("x");
    typo["titel"] = "stavfel";
    json wrong_type = MotionBody("x");
    wrong_type["type"] = "skrivelse";
    json not_object = json::array({MotionBody("x")});
    for (const auto& [field, body] :
         std::vector<std::pair<std::string, json>>{{"received", bad_date},
                                                   {"received", impossible_date},
                                                   {"titel", typo},
                                                   {"type", wrong_type}}) {
      CAPTURE(field);
      const auto r = http.PostJson("/api/v1/cases", body);
      CHECK(r.status == 422);
      CHECK(ErrorOf(r).at("details").at("field") == field);
    }
    CHECK(http.PostJson("/api/v1/cases", not_object).status == 422);
  }

  TEST_CASE("An unknown organ gets 422 and changes nothing") {
    auto& s = SharedServer();
    const auto sec = s.As("secretary");
    const long long id = NewMotion(s, "Okänt organ");
    const auto to = sec.PostJson(CasesPath(id, "events"),
                                 {{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "nosuch"}});
    CHECK(to.status == 422);
    CHECK(ErrorOf(to).at("details").at("field") == "to");
    const auto organ = sec.PostJson(CasesPath(id, "events"),
                                    {{"event", "distribute"}, {"organ", "nosuch"}, {"to", "fs"}});
    CHECK(organ.status == 422);
    CHECK(ErrorOf(organ).at("details").at("field") == "organ");
    const auto consult = sec.PostJson(
        CasesPath(id, "events"),
        {{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}, {"consult", {"ana", "nej"}}});
    CHECK(consult.status == 422);
    CHECK(ErrorOf(consult).at("details").at("field") == "consult[1]");
    const json c = GetCase(sec, id);
    CHECK(c.at("state") == "registered");
    CHECK(c.at("version") == 1);
    CHECK(c.at("responsible_organ").is_null());

    // A remiss registered and distributed to an unknown organ is not registered.
    const std::string word = UniqueWord();
    json remiss = RemissBody("Remiss " + word);
    remiss["to"] = "nosuch";
    const auto r = s.As("registrar").PostJson("/api/v1/cases", remiss);
    CHECK(r.status == 422);
    CHECK(ErrorOf(r).at("details").at("field") == "to");
    CHECK(sec.Get("/api/v1/cases?q=" + word).Json().at("total") == 0);
  }

  TEST_CASE("A reference that is already registered gets 409") {
    auto& s = SharedServer();
    const auto http = s.As("registrar");
    const std::string reference =
        "RJL 2018/" + std::to_string(std::hash<std::string>{}(UniqueWord()) % 90000 + 1000);
    json body = MotionBody("Dubblett " + UniqueWord(), "2018-03-01");
    body["reference"] = reference;
    CHECK(CreateCase(http, body).at("reference") == reference);
    body["title"] = "Dubblett igen " + UniqueWord();
    const auto again = http.PostJson("/api/v1/cases", body);
    CHECK(again.status == 409);
    CHECK(ErrorCode(again) == "conflict");
    CHECK(ListIds(http, "reference=" + Http::Escape(reference)).size() == 1);
  }

  TEST_CASE("A method a resource does not support gets 405") {
    auto& s = SharedServer();
    const auto http = s.As("admin");
    const long long id = NewMotion(s, "Metod");
    CHECK(http.Post(CasesPath(id), "{}").status == 405);
    CHECK(http.Get(CasesPath(id, "events")).status == 405);
    CHECK(http.Request("DELETE", CasesPath(id), "", {}).status == 405);
    CHECK(http.Request("PUT", "/api/v1/cases", "{}", {}).status == 405);
    CHECK(GetCase(http, id).at("version") == 1);
  }

  TEST_CASE("An unknown case gets 404") {
    auto& s = SharedServer();
    const auto http = s.As("secretary");
    for (const std::string path : {"/api/v1/cases/999999999", "/api/v1/cases/999999999/history",
                                   "/api/v1/cases/999999999/actions", "/api/v1/cases/abc",
                                   "/api/v1/cases/-1", "/api/v1/nosuch"}) {
      CAPTURE(path);
      const auto r = http.Get(path);
      CHECK(r.status == 404);
      CHECK(ErrorCode(r) == "not_found");
    }
    const auto post =
        http.PostJson("/api/v1/cases/999999999/events", {{"event", "note"}, {"organ", "fs"}});
    CHECK(post.status == 404);
    CHECK(ErrorCode(post) == "not_found");
  }

  TEST_CASE("An event the state does not allow gets 409 naming the state and the allowed events") {
    auto& s = SharedServer();
    const auto sec = s.As("secretary");
    const long long id = NewMotion(s, "Otillåten händelse");
    const auto r = sec.PostJson(CasesPath(id, "events"),
                                {{"event", "decide"}, {"organ", "rf"}, {"outcome", "approved"}});
    CHECK(r.status == 409);
    const json e = ErrorOf(r);
    CHECK(e.at("code") == "invalid_transition");
    CHECK(e.at("details").at("state") == "registered");
    std::set<std::string> allowed;
    for (const auto& a : e.at("details").at("allowed")) allowed.insert(a.get<std::string>());
    CHECK(Joined(allowed) == "announce distribute note report_unanswered withdraw");
    CHECK(Joined(allowed) == Joined(ActionNames(sec, id)));
    CHECK(GetCase(sec, id).at("version") == 1);

    // An event of the other case type is not an event of this one.
    const auto remiss_event =
        sec.PostJson(CasesPath(id, "events"), {{"event", "propose_response"}, {"organ", "fs"}});
    CHECK(remiss_event.status == 422);
    CHECK(ErrorOf(remiss_event).at("details").at("field") == "event");
  }

  TEST_CASE("write_off before report_unanswered gets 409 and after it 200") {
    auto& s = SharedServer();
    const auto sec = s.As("secretary");
    const long long id = NewMotion(s, "Avskrivning");
    SendEvent(sec, id, {{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}});
    const json write_off = {{"event", "write_off"}, {"organ", "rf"}, {"paragraph", "§ 12"}};
    const auto early = sec.PostJson(CasesPath(id, "events"), write_off);
    CHECK(early.status == 409);
    CHECK(ErrorOf(early).at("details").at("state") == "distributed");
    CHECK(ActionNames(sec, id).count("write_off") == 0);

    const json reported = SendEvent(sec, id, {{"event", "report_unanswered"}, {"organ", "rf"}});
    CHECK(reported.at("state") == "distributed");
    CHECK(reported.at("reported_unanswered") == true);
    CHECK(ActionNames(sec, id).count("write_off") == 1);
    const auto later = sec.PostJson(CasesPath(id, "events"), write_off);
    CHECK(later.status == 200);
    CHECK(later.Json().at("state") == "written_off");
    CHECK(ActionNames(sec, id).empty());
  }

  TEST_CASE("The ETag header equals the case version") {
    auto& s = SharedServer();
    const auto http = s.As("registrar");
    const auto created = http.PostJson("/api/v1/cases", MotionBody("ETag " + UniqueWord()));
    REQUIRE(created.status == 201);
    const long long id = created.Json().at("id");
    CHECK(created.Header("ETag") == "\"1\"");
    CHECK(created.Header("Location") == CasesPath(id));
    CHECK(http.Get(CasesPath(id)).Header("ETag") == "\"1\"");
    const auto event = http.PostJson(CasesPath(id, "events"),
                                     {{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}});
    CHECK(event.Header("ETag") == "\"2\"");
    CHECK(event.Json().at("version") == 2);
    const auto got = http.Get(CasesPath(id));
    CHECK(got.Header("ETag") == "\"2\"");
    CHECK(got.Json().at("version") == 2);
    CHECK(http.Get(CasesPath(id, "history")).Header("ETag") == "\"2\"");
    // An If-Match that is no version is a bad request, not a silent pass.
    const auto bad = http.PostJson(CasesPath(id, "events"), {{"event", "note"}, {"organ", "fs"}},
                                   {{"If-Match", "\"zwei\""}});
    CHECK(bad.status == 400);
    CHECK(GetCase(http, id).at("version") == 2);
  }

  TEST_CASE("healthz and readyz answer 200 and the OpenAPI document is JSON") {
    auto& s = SharedServer();
    const auto anon = s.Anonymous();
    const auto health = anon.Get("/healthz");
    CHECK(health.status == 200);
    CHECK(health.Json().at("status") == "ok");
    const auto ready = anon.Get("/readyz");
    CHECK(ready.status == 200);
    CHECK(ready.Json().at("status") == "ready");

    const auto doc = anon.Get("/api/v1/openapi.json");
    CHECK(doc.status == 200);
    CHECK(doc.Header("Content-Type").rfind("application/json", 0) == 0);
    const json j = doc.Json();
    CHECK(j.at("openapi").get<std::string>().rfind("3.", 0) == 0);
    CHECK(j.at("info").at("title").is_string());
    REQUIRE(j.at("paths").is_object());
    for (const char* path : {"/api/v1/cases", "/api/v1/cases/{id}", "/api/v1/cases/{id}/events",
                             "/api/v1/cases/{id}/history", "/api/v1/cases/{id}/actions"}) {
      const std::string documented = path;
      CAPTURE(documented);
      CHECK(j.at("paths").contains(documented));
    }

    const auto metrics = anon.Get("/metrics");
    CHECK(metrics.status == 200);
    CHECK(metrics.body.find("kansli_http_requests_total") != std::string::npos);
  }

  TEST_CASE("Without its database the server answers 503 and never driver text") {
    PrivateServer p;
    const auto admin = p.server.As("admin");
    const long long id = CreateCase(p.server.As("registrar"), MotionBody("Borta"))["id"];
    {
      pqxx::connection c(MaintenanceDatabaseUrl());
      pqxx::nontransaction n(c);
      n.exec("DROP DATABASE \"" + p.db.name() + "\" WITH (FORCE)");
    }
    const auto ready = p.server.Anonymous().Get("/readyz");
    CHECK(ready.status == 503);
    CHECK(p.server.Anonymous().Get("/healthz").status == 200);  // the process is up
    for (const auto& r :
         {admin.Get(CasesPath(id)), admin.Get("/api/v1/cases"),
          admin.PostJson(CasesPath(id, "events"), {{"event", "note"}, {"organ", "fs"}}),
          p.server.As("reader").Get("/api/v1/organs")}) {
      CAPTURE(r.Describe());
      CHECK(r.status == 503);
      CHECK(ErrorCode(r) == "unavailable");
      CHECK(r.Header("Retry-After") != "");
      for (const char* leak : {"pqxx", "ERROR:", "FATAL", "SELECT", "database \"", "postgres"})
        CHECK(r.body.find(leak) == std::string::npos);
    }
  }

  TEST_CASE("SQL and HTML in text fields are stored and returned literally") {
    auto& s = SharedServer();
    const auto http = s.As("registrar");
    const std::string word = UniqueWord();
    const std::string title = "Robert'); DROP TABLE cases;-- " + word;
    const std::string html = "<script>alert('x')</script> & \"citat\" <b>fet</b> \\ %_ " + word;
    json body = MotionBody(title);
    body["submitters"] = {{{"name", "<img src=x onerror=alert(1)>"}, {"party", "' OR 1=1 --"}}};
    body["notes"] = html;
    const json created = CreateCase(http, body);
    const long long id = created.at("id");
    CHECK(created.at("title") == title);
    SendEvent(http, id, {{"event", "note"}, {"organ", "fs"}, {"text", html}});

    const json c = GetCase(http, id);
    CHECK(c.at("title") == title);
    CHECK(c.at("notes") == html);
    CHECK(c.at("submitters")[0].at("name") == "<img src=x onerror=alert(1)>");
    CHECK(c.at("submitters")[0].at("party") == "' OR 1=1 --");
    CHECK(History(http, id)[1].at("text") == html);

    // Searching for them finds the case; % and _ are word separators, not wildcards.
    CHECK(ListIds(http, "q=" + Http::Escape("'); DROP TABLE cases;-- " + word)) ==
          std::vector<long long>{id});
    CHECK(ListIds(http, "q=" + Http::Escape("%_ " + word)) == std::vector<long long>{id});
    CHECK(ListIds(http, "q=" + Http::Escape("%_")).empty());  // no word at all
    CHECK(http.Get("/api/v1/cases").status == 200);           // the table is still there
  }

  TEST_CASE("SQL and HTML in every text field of a remiss and its events are kept literally") {
    auto& s = SharedServer();
    const auto registrar = s.As("registrar");
    const auto secretary = s.As("secretary");
    const std::string word = UniqueWord();
    const std::string sql = "x'); DELETE FROM case_history; -- " + word;
    const std::string html = "<svg onload=alert(1)> &amp; </textarea> \" ' " + word;
    json body = RemissBody(sql);
    body["sender"] = html;
    body["officer"] = "Anna <b>Ö</b>' OR ''='";
    body["notes"] = sql + " " + html;
    const json created = CreateCase(registrar, body);
    const long long id = created.at("id");
    SendEvent(secretary, id,
              {{"event", "note"},
               {"organ", "fs"},
               {"text", html},
               {"document", {{"title", sql}, {"type", "other"}}},
               {"reservations", {html, sql}}});

    const json c = GetCase(registrar, id);
    CHECK(c.at("title") == sql);
    CHECK(c.at("sender") == html);
    CHECK(c.at("officer") == "Anna <b>Ö</b>' OR ''='");
    CHECK(c.at("notes") == sql + " " + html);
    const json note = History(registrar, id).back();
    CHECK(note.at("text") == html);
    CHECK(note.at("details").at("document").at("title") == sql);
    CHECK(note.at("details").at("reservations") == json::array({html, sql}));
    // The full-text search treats both as words, and finds the case by the sender.
    CHECK(ListIds(registrar, "q=" + Http::Escape("svg onload " + word)) ==
          std::vector<long long>{id});
    // Nothing was deleted: the history of every other case is still there.
    CHECK(History(registrar, id).size() == 2);
    CHECK(registrar.Get("/api/v1/cases?type=remiss").Json().at("total").get<long long>() >= 1);
  }

  TEST_CASE("A 2 MiB body gets 413 whether its length is declared or chunked") {
    auto& s = SharedServer();
    const auto http = s.As("registrar");
    const std::string word = UniqueWord();
    json body = MotionBody("Två mebibyte " + word);
    body["notes"] = std::string(2 << 20, 'y');
    const auto declared = http.PostJson("/api/v1/cases", body);
    CHECK(declared.status == 413);
    const auto chunked =
        http.Post("/api/v1/cases", body.dump(), {{"Transfer-Encoding", "chunked"}});
    CHECK(chunked.status == 413);
    CHECK(ErrorCode(chunked) == "payload_too_large");
    CHECK(http.Get("/api/v1/cases?q=" + word).Json().at("total") == 0);
    CHECK(http.Get("/healthz").status == 200);
  }
}

}  // namespace
}  // namespace kansli::test
