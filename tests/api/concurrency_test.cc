// Many clients at once: optimistic concurrency (If-Match), idempotency keys,
// and the diarienummer series over HTTP.
#include <doctest/doctest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include "tests/api/api_support.h"

namespace kansli::test {
namespace {

// Runs fn(i) on n threads at once and waits for all; what a thread throws
// fails the test (asserting inside the threads would not).
template <typename Fn>
void OnThreads(int n, Fn fn) {
  std::mutex mu;
  std::vector<std::string> thrown;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      try {
        fn(i);
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> g(mu);
        thrown.push_back(e.what());
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : thrown) CHECK_MESSAGE(false, e);
}

long long NumberOf(const std::string& reference, const std::string& prefix) {
  REQUIRE(reference.rfind(prefix, 0) == 0);
  return std::stoll(reference.substr(prefix.size()));
}

const json kNote = {{"event", "note"}, {"organ", "fs"}, {"text", "Information"}};

TEST_SUITE("api") {
  TEST_CASE(
      "Of 16 concurrent writers with the same If-Match exactly one gets 200 and the rest 412") {
    auto& s = SharedServer();
    const auto http = s.As("secretary");
    const json c = CreateCase(s.As("registrar"), MotionBody("If-Match " + UniqueWord()));
    const long long id = c.at("id");
    constexpr int kWriters = 16;
    std::mutex mu;
    std::vector<HttpResponse> responses;
    std::vector<std::string> errors;
    OnThreads(kWriters, [&](int i) {
      try {
        json e = kNote;
        e["text"] = "Skribent " + std::to_string(i);
        auto r = http.PostJson(CasesPath(id, "events"), e, {{"If-Match", "\"1\""}});
        std::lock_guard<std::mutex> g(mu);
        responses.push_back(std::move(r));
      } catch (const std::exception& x) {
        std::lock_guard<std::mutex> g(mu);
        errors.push_back(x.what());
      }
    });
    for (const auto& e : errors) CHECK_MESSAGE(false, e);
    REQUIRE(responses.size() == static_cast<std::size_t>(kWriters));
    int ok = 0, stale = 0;
    for (const auto& r : responses) {
      CAPTURE(r.Describe());
      if (r.status == 200) {
        ++ok;
        CHECK(r.Json().at("version") == 2);
        CHECK(r.Header("ETag") == "\"2\"");
      } else {
        CHECK(r.status == 412);
        CHECK(ErrorCode(r) == "stale_version");
        CHECK(r.Header("ETag") == "\"2\"");
        ++stale;
      }
    }
    CHECK(ok == 1);
    CHECK(stale == kWriters - 1);
    CHECK(History(http, id).size() == 2);
    CHECK(GetCase(http, id).at("version") == 2);
  }

  TEST_CASE("16 concurrent writers without If-Match are all applied one after another") {
    auto& s = SharedServer();
    const auto http = s.As("secretary");
    const long long id = CreateCase(s.As("registrar"), MotionBody("Kö " + UniqueWord()))["id"];
    constexpr int kWriters = 16;
    std::mutex mu;
    std::vector<long long> versions;
    OnThreads(kWriters, [&](int i) {
      json e = kNote;
      e["text"] = "Skribent " + std::to_string(i);
      const auto r = http.PostJson(CasesPath(id, "events"), e);
      std::lock_guard<std::mutex> g(mu);
      versions.push_back(r.status == 200 ? r.Json().at("version").get<long long>() : -r.status);
    });
    std::sort(versions.begin(), versions.end());
    std::vector<long long> expected;
    for (int v = 2; v <= kWriters + 1; ++v) expected.push_back(v);
    CHECK(versions == expected);  // no lost update, no version twice
    const json history = History(http, id);
    REQUIRE(history.size() == kWriters + 1u);
    std::set<std::string> texts;
    for (std::size_t i = 0; i < history.size(); ++i) {
      CHECK(history[i].at("seq") == i + 1);
      if (i > 0) texts.insert(history[i].at("text").get<std::string>());
    }
    CHECK(texts.size() == static_cast<std::size_t>(kWriters));
  }

  TEST_CASE("A stale If-Match gets 412 and changes nothing while a current one is applied") {
    auto& s = SharedServer();
    const auto http = s.As("secretary");
    const long long id = CreateCase(s.As("registrar"), MotionBody("Stale " + UniqueWord()))["id"];
    SendEvent(http, id, kNote);  // version 2
    const json distribute = {{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}};
    const auto stale = http.PostJson(CasesPath(id, "events"), distribute, {{"If-Match", "\"1\""}});
    CHECK(stale.status == 412);
    CHECK(stale.Json().at("error").at("details").at("current_version") == 2);
    const json c = GetCase(http, id);
    CHECK(c.at("state") == "registered");
    CHECK(c.at("version") == 2);
    const auto ok = http.PostJson(CasesPath(id, "events"), distribute, {{"If-Match", "\"2\""}});
    CHECK(ok.status == 200);
    CHECK(ok.Json().at("state") == "distributed");
    CHECK(ok.Header("ETag") == "\"3\"");
  }

  TEST_CASE("32 concurrent registrations over HTTP get 32 distinct consecutive diarienummer") {
    auto& s = SharedServer();
    const auto http = s.As("registrar");
    const std::string prefix = "RJL 2023/";
    const long long before = NumberOf(
        CreateCase(http, MotionBody("Före " + UniqueWord())).at("reference").get<std::string>(),
        prefix);
    constexpr int kClients = 32;
    std::mutex mu;
    std::vector<long long> numbers, ids;
    std::vector<std::string> failures;
    const std::string word = UniqueWord();
    OnThreads(kClients, [&](int i) {
      try {
        const auto r = http.PostJson("/api/v1/cases",
                                     MotionBody("Samtidig " + word + " " + std::to_string(i)));
        std::lock_guard<std::mutex> g(mu);
        if (r.status != 201) {
          failures.push_back(r.Describe());
          return;
        }
        const json c = r.Json();
        numbers.push_back(std::stoll(c.at("reference").get<std::string>().substr(prefix.size())));
        ids.push_back(c.at("id"));
      } catch (const std::exception& x) {
        std::lock_guard<std::mutex> g(mu);
        failures.push_back(x.what());
      }
    });
    for (const auto& f : failures) CHECK_MESSAGE(false, f);
    REQUIRE(numbers.size() == static_cast<std::size_t>(kClients));
    std::sort(numbers.begin(), numbers.end());
    for (int i = 0; i < kClients; ++i) CHECK(numbers[i] == before + 1 + i);
    std::sort(ids.begin(), ids.end());
    CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
    const auto page = http.Get("/api/v1/cases?limit=100&q=" + word).Json();
    CHECK(page.at("total") == kClients);
  }

  TEST_CASE(
      "An event repeated with the same Idempotency-Key is recorded once and answered identically") {
    auto& s = SharedServer();
    const auto http = s.As("secretary");
    const long long id = CreateCase(s.As("registrar"), MotionBody("Nyckel " + UniqueWord()))["id"];
    const Headers key = {{"Idempotency-Key", "nyckel-" + UniqueWord()}};
    const auto first = http.PostJson(CasesPath(id, "events"), kNote, key);
    REQUIRE(first.status == 200);
    const auto second = http.PostJson(CasesPath(id, "events"), kNote, key);
    CHECK(second.status == first.status);
    CHECK(second.body == first.body);
    CHECK(second.Header("ETag") == first.Header("ETag"));
    CHECK(History(http, id).size() == 2);
    CHECK(GetCase(http, id).at("version") == 2);

    // A new key is a new command.
    const auto third = http.PostJson(CasesPath(id, "events"), kNote,
                                     {{"Idempotency-Key", "annan-" + UniqueWord()}});
    CHECK(third.status == 200);
    CHECK(History(http, id).size() == 3);
  }

  TEST_CASE("A registration repeated with the same Idempotency-Key creates one case") {
    auto& s = SharedServer();
    const auto http = s.As("registrar");
    const std::string word = UniqueWord();
    const Headers key = {{"Idempotency-Key", "reg-" + word}};
    const json body = MotionBody("Registrering " + word);
    const auto first = http.PostJson("/api/v1/cases", body, key);
    REQUIRE(first.status == 201);
    const auto second = http.PostJson("/api/v1/cases", body, key);
    CHECK(second.status == 201);
    CHECK(second.body == first.body);
    CHECK(http.Get("/api/v1/cases?q=" + word).Json().at("total") == 1);
  }

  TEST_CASE("The same Idempotency-Key with a different body gets 422 and changes nothing") {
    auto& s = SharedServer();
    const auto http = s.As("secretary");
    const long long id =
        CreateCase(s.As("registrar"), MotionBody("Fel kropp " + UniqueWord()))["id"];
    const Headers key = {{"Idempotency-Key", "k-" + UniqueWord()}};
    REQUIRE(http.PostJson(CasesPath(id, "events"), kNote, key).status == 200);
    json other = kNote;
    other["text"] = "Något annat";
    const auto r = http.PostJson(CasesPath(id, "events"), other, key);
    CHECK(r.status == 422);
    CHECK(ErrorCode(r) == "idempotency_key_reused");
    CHECK(History(http, id).size() == 2);
  }

  TEST_CASE("Concurrent requests with the same Idempotency-Key record the event once") {
    auto& s = SharedServer();
    const auto http = s.As("secretary");
    const long long id =
        CreateCase(s.As("registrar"), MotionBody("Samma nyckel " + UniqueWord()))["id"];
    const Headers key = {{"Idempotency-Key", "samtidig-" + UniqueWord()}};
    constexpr int kClients = 8;
    std::mutex mu;
    std::vector<HttpResponse> responses;
    OnThreads(kClients, [&](int) {
      auto r = http.PostJson(CasesPath(id, "events"), kNote, key);
      std::lock_guard<std::mutex> g(mu);
      responses.push_back(std::move(r));
    });
    REQUIRE(responses.size() == static_cast<std::size_t>(kClients));
    for (const auto& r : responses) {
      CAPTURE(r.Describe());
      CHECK(r.status == 200);
      CHECK(r.body == responses[0].body);
    }
    CHECK(History(http, id).size() == 2);
  }
}

}  // namespace
}  // namespace kansli::test
