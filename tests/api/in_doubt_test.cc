// A commit whose outcome the server cannot know (the connection breaks during
// COMMIT: pqxx::in_doubt_error) is resolved by looking the transition up, for
// registrations and events alike. KANSLI_TEST_FAULT makes it happen on demand:
// in_doubt_after_commit commits and then reports the commit in doubt,
// in_doubt_after_rollback rolls back and then reports it in doubt.
#include <doctest/doctest.h>

#include <fstream>

#include "tests/api/api_support.h"

namespace kansli::test {
namespace {

ServerOptions WithFault(const std::string& fault) {
  auto o = PrivateServer::DefaultOptions();
  o.demo_load = true;  // the demo motion RJL 2021/1342 to send events to
  o.env["KANSLI_TEST_FAULT"] = fault;
  return o;
}

// How many lines of the server's log contain `needle`.
int LogLines(const TestServer& s, const std::string& needle) {
  std::ifstream in(s.log_path());
  int n = 0;
  for (std::string line; std::getline(in, line);)
    if (line.find(needle) != std::string::npos) ++n;
  return n;
}

json DemoMotion(const Http& http) {
  const auto r = http.Get("/api/v1/cases?reference=" + Http::Escape("RJL 2021/1342"));
  REQUIRE(r.status == 200);
  const json items = r.Json().at("items");
  REQUIRE(items.size() == 1);
  return items.at(0);
}

// The history rows of case `id` whose text is `text`.
std::vector<json> RowsWithText(const Http& http, long long id, const std::string& text) {
  std::vector<json> out;
  for (const auto& h : History(http, id))
    if (h.contains("text") && h.at("text").is_string() && h.at("text") == text) out.push_back(h);
  return out;
}

long long Total(const Http& http, const std::string& word) {
  const auto r = http.Get("/api/v1/cases?q=" + word);
  REQUIRE(r.status == 200);
  return r.Json().at("total").get<long long>();
}

TEST_SUITE("api") {
  TEST_CASE("A commit reported in doubt that did commit answers 2xx with the saved case, once") {
    PrivateServer p(WithFault("in_doubt_after_commit:2"));
    const auto http = p.server.As("registrar");
    const json demo = DemoMotion(http);
    const long long demo_id = demo.at("id");
    const long long version = demo.at("version");

    // The registration: committed, then the commit is reported in doubt.
    const std::string reg_word = UniqueWord();
    const json reg_body = MotionBody("Tvivelsmål " + reg_word);
    const auto reg =
        http.PostJson("/api/v1/cases", reg_body, {{"Idempotency-Key", "reg-" + reg_word}});
    INFO("registration -> ", reg.Describe());
    REQUIRE(reg.status == 201);
    CHECK(reg.Header("Idempotent-Replayed").empty());
    const json created = reg.Json();
    CHECK(created.at("title") == "Tvivelsmål " + reg_word);
    CHECK(created.at("reference") == "RJL 2023/1");
    CHECK(created.at("state") == "registered");
    CHECK(created.at("version") == 1);
    const long long id = created.at("id");
    CHECK(reg.Header("Location") == CasesPath(id));
    CHECK(reg.Header("ETag") == "\"1\"");

    // An event: the same.
    const std::string note_word = UniqueWord();
    const json note = {{"event", "note"}, {"organ", "fs"}, {"text", "Anteckning " + note_word}};
    const auto ev = http.PostJson(CasesPath(demo_id, "events"), note,
                                  {{"If-Match", "\"" + std::to_string(version) + "\""},
                                   {"Idempotency-Key", "ev-" + note_word}});
    INFO("event -> ", ev.Describe());
    REQUIRE(ev.status == 200);
    CHECK(ev.Json().at("version") == version + 1);
    CHECK(ev.Header("ETag") == "\"" + std::to_string(version + 1) + "\"");

    // Both went through the in-doubt path, and each was saved once.
    CHECK(LogLines(p.server, "event=test_fault fault=in_doubt_after_commit") == 2);
    CHECK(LogLines(p.server, "event=commit_in_doubt") == 2);
    CHECK(Total(http, reg_word) == 1);
    CHECK(GetCase(http, id).at("reference") == "RJL 2023/1");
    auto rows = RowsWithText(http, demo_id, "Anteckning " + note_word);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].at("seq") == version + 1);
    CHECK(GetCase(http, demo_id).at("version") == version + 1);

    // Retries with the same keys replay the first answers and change nothing.
    const auto reg2 =
        http.PostJson("/api/v1/cases", reg_body, {{"Idempotency-Key", "reg-" + reg_word}});
    CHECK(reg2.status == 201);
    CHECK(reg2.Header("Idempotent-Replayed") == "true");
    CHECK(reg2.Json() == created);
    const auto ev2 = http.PostJson(CasesPath(demo_id, "events"), note,
                                   {{"If-Match", "\"" + std::to_string(version) + "\""},
                                    {"Idempotency-Key", "ev-" + note_word}});
    CHECK(ev2.status == 200);
    CHECK(ev2.Header("Idempotent-Replayed") == "true");
    CHECK(ev2.Json() == ev.Json());
    CHECK(Total(http, reg_word) == 1);
    CHECK(RowsWithText(http, demo_id, "Anteckning " + note_word).size() == 1);
    CHECK(GetCase(http, demo_id).at("version") == version + 1);

    // The fault is spent: the next registration commits normally and takes the next number.
    const auto next = http.PostJson("/api/v1/cases", MotionBody("Nästa " + UniqueWord()));
    REQUIRE(next.status == 201);
    CHECK(next.Json().at("reference") == "RJL 2023/2");
    CHECK(LogLines(p.server, "event=commit_in_doubt") == 2);
  }

  TEST_CASE("A commit reported in doubt that rolled back answers 503, and a retry succeeds once") {
    PrivateServer p(WithFault("in_doubt_after_rollback:2"));
    const auto http = p.server.As("registrar");
    const json demo = DemoMotion(http);
    const long long demo_id = demo.at("id");
    const long long version = demo.at("version");

    const std::string reg_word = UniqueWord();
    const json reg_body = MotionBody("Tvivelsmål " + reg_word);
    const auto reg =
        http.PostJson("/api/v1/cases", reg_body, {{"Idempotency-Key", "reg-" + reg_word}});
    INFO("registration -> ", reg.Describe());
    CHECK(reg.status == 503);
    CHECK(ErrorCode(reg) == "unavailable");

    const std::string note_word = UniqueWord();
    const json note = {{"event", "note"}, {"organ", "fs"}, {"text", "Anteckning " + note_word}};
    const Headers ev_headers = {{"If-Match", "\"" + std::to_string(version) + "\""},
                                {"Idempotency-Key", "ev-" + note_word}};
    const auto ev = http.PostJson(CasesPath(demo_id, "events"), note, ev_headers);
    INFO("event -> ", ev.Describe());
    CHECK(ev.status == 503);
    CHECK(ErrorCode(ev) == "unavailable");

    // Nothing was saved, and the server said so after looking.
    CHECK(LogLines(p.server, "event=test_fault fault=in_doubt_after_rollback") == 2);
    CHECK(LogLines(p.server, "event=commit_in_doubt") == 2);
    CHECK(Total(http, reg_word) == 0);
    CHECK(RowsWithText(http, demo_id, "Anteckning " + note_word).empty());
    CHECK(GetCase(http, demo_id).at("version") == version);

    // A retry with the same key is carried out, once; the rolled-back registration gave its
    // number back.
    const auto reg2 =
        http.PostJson("/api/v1/cases", reg_body, {{"Idempotency-Key", "reg-" + reg_word}});
    INFO("retried registration -> ", reg2.Describe());
    REQUIRE(reg2.status == 201);
    CHECK(reg2.Header("Idempotent-Replayed").empty());
    const json created = reg2.Json();
    CHECK(created.at("title") == "Tvivelsmål " + reg_word);
    CHECK(created.at("reference") == "RJL 2023/1");
    const auto reg3 =
        http.PostJson("/api/v1/cases", reg_body, {{"Idempotency-Key", "reg-" + reg_word}});
    CHECK(reg3.status == 201);
    CHECK(reg3.Header("Idempotent-Replayed") == "true");
    CHECK(reg3.Json() == created);
    CHECK(Total(http, reg_word) == 1);

    const auto ev2 = http.PostJson(CasesPath(demo_id, "events"), note, ev_headers);
    INFO("retried event -> ", ev2.Describe());
    REQUIRE(ev2.status == 200);
    CHECK(ev2.Header("Idempotent-Replayed").empty());
    CHECK(ev2.Json().at("version") == version + 1);
    const auto ev3 = http.PostJson(CasesPath(demo_id, "events"), note, ev_headers);
    CHECK(ev3.status == 200);
    CHECK(ev3.Header("Idempotent-Replayed") == "true");
    CHECK(ev3.Json() == ev2.Json());
    const auto rows = RowsWithText(http, demo_id, "Anteckning " + note_word);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].at("seq") == version + 1);
    CHECK(LogLines(p.server, "event=commit_in_doubt") == 2);
  }
}

}  // namespace
}  // namespace kansli::test
