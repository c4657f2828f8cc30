// Authentication (Bearer tokens) and what each role may do.
#include <doctest/doctest.h>

#include <fstream>

#include "tests/api/api_support.h"
#include "tests/support/env.h"

namespace kansli::test {
namespace {

// Walks a new motion to ready_for_council; returns its id.
long long ReadyForCouncil(TestServer& s, const std::string& title) {
  const auto sec = s.As("secretary");
  const long long id = CreateCase(s.As("registrar"), MotionBody(title))["id"];
  SendEvent(sec, id, {{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}});
  SendEvent(sec, id, {{"event", "begin_preparation"}, {"organ", "fs-pres"}});
  SendEvent(sec, id, {{"event", "adopt_answer"}, {"organ", "fs"}, {"outcome", "rejected"}});
  const json c =
      SendEvent(sec, id, {{"event", "board_propose"}, {"organ", "rs"}, {"outcome", "rejected"}});
  REQUIRE(c.at("state") == "ready_for_council");
  return id;
}

TEST_SUITE("api") {
  TEST_CASE("A request without a token gets 401") {
    auto& s = SharedServer();
    const auto anon = s.Anonymous();
    for (const std::string path : {"/api/v1/cases", "/api/v1/organs", "/api/v1/cases/1"}) {
      CAPTURE(path);
      const auto r = anon.Get(path);
      CHECK(r.status == 401);
      CHECK(ErrorCode(r) == "unauthorized");
      CHECK(r.Header("WWW-Authenticate").rfind("Bearer", 0) == 0);
    }
    const auto post = anon.PostJson("/api/v1/cases", MotionBody("Utan nyckel " + UniqueWord()));
    CHECK(post.status == 401);
    // An Authorization header that is not a Bearer token is no token either.
    CHECK(anon.Get("/api/v1/cases", {{"Authorization", "Basic YWRtaW46YWRtaW4="}}).status == 401);
    CHECK(anon.Get("/api/v1/cases", {{"Authorization", "Bearer "}}).status == 401);
  }

  TEST_CASE("A request with an unknown token gets 401") {
    auto& s = SharedServer();
    const Http bad(s.base_url(), "kansli_" + std::string(64, 'f'));
    const auto r = bad.Get("/api/v1/cases");
    CHECK(r.status == 401);
    CHECK(ErrorCode(r) == "unauthorized");
    const std::string word = UniqueWord();
    CHECK(bad.PostJson("/api/v1/cases", MotionBody("Fel nyckel " + word)).status == 401);
    // A token with one character changed is unknown too.
    std::string near = s.Token("admin");
    near.back() = near.back() == '0' ? '1' : '0';
    CHECK(Http(s.base_url(), near).Get("/api/v1/cases").status == 401);
    CHECK(s.As("admin").Get("/api/v1/cases?q=" + word).Json().at("total") == 0);
  }

  TEST_CASE("A revoked token gets 401") {
    TestDatabase db;
    TestServer s(db, PrivateServer::DefaultOptions());
    const auto file = TestOutputDir() / db.name() / "token-revoked";
    db.KansliOk(
        {"token", "create", "--name", "kortlivad", "--role", "admin", "--output", file.string()});
    std::string token;
    {
      std::ifstream in(file);
      std::getline(in, token);
    }
    db.KansliOk({"token", "revoke", "--name", "kortlivad"});
    CHECK(Http(s.base_url(), token).Get("/api/v1/cases").status == 401);
    CHECK(s.As("admin").Get("/api/v1/me").Json().at("role") == "admin");
  }

  TEST_CASE("A reader may read but gets 403 on every write") {
    auto& s = SharedServer();
    const auto reader = s.As("reader");
    const long long id = CreateCase(s.As("registrar"), MotionBody("Läsare " + UniqueWord()))["id"];
    CHECK(reader.Get("/api/v1/cases").status == 200);
    CHECK(reader.Get(CasesPath(id)).status == 200);
    CHECK(reader.Get(CasesPath(id, "history")).status == 200);
    CHECK(reader.Get("/api/v1/me").Json().at("role") == "reader");

    const std::string word = UniqueWord();
    const auto create = reader.PostJson("/api/v1/cases", MotionBody("Läsaren skriver " + word));
    CHECK(create.status == 403);
    CHECK(ErrorCode(create) == "forbidden");
    const auto event =
        reader.PostJson(CasesPath(id, "events"), {{"event", "note"}, {"organ", "fs"}});
    CHECK(event.status == 403);
    CHECK(ErrorCode(event) == "forbidden");
    CHECK(s.As("admin").Get("/api/v1/cases?q=" + word).Json().at("total") == 0);
    CHECK(GetCase(reader, id).at("version") == 1);
  }

  TEST_CASE("An officer sending decide gets 403 and the case is unchanged") {
    auto& s = SharedServer();
    const long long id = ReadyForCouncil(s, "Handläggaren beslutar " + UniqueWord());
    const json decide = {{"event", "decide"}, {"organ", "rf"}, {"outcome", "rejected"}};
    const auto r = s.As("officer").PostJson(CasesPath(id, "events"), decide);
    CHECK(r.status == 403);
    CHECK(ErrorCode(r) == "forbidden");
    const json c = GetCase(s.As("officer"), id);
    CHECK(c.at("state") == "ready_for_council");
    CHECK(c.at("version") == 5);
    CHECK(c.at("outcome").is_null());

    // The event itself is allowed: the registrar records it.
    const json decided = SendEvent(s.As("registrar"), id, decide);
    CHECK(decided.at("state") == "decided");
    CHECK(decided.at("outcome") == "rejected");
  }

  TEST_CASE("A confidential case shows a reader neither its title nor its notes nor its texts") {
    auto& s = SharedServer();
    const std::string word = UniqueWord();
    json body = MotionBody("Hemlig " + word);
    body["confidential"] = true;
    body["notes"] = "Känsliga uppgifter " + word;
    const long long id = CreateCase(s.As("registrar"), body)["id"];
    SendEvent(s.As("secretary"), id,
              {{"event", "note"}, {"organ", "rf"}, {"text", "Sekretessbelagd text " + word}});

    const json seen = GetCase(s.As("reader"), id);
    CHECK(seen.at("confidential") == true);
    CHECK(seen.at("title").get<std::string>().find(word) == std::string::npos);
    CHECK(seen.at("notes").is_null());
    for (const auto& h : History(s.As("reader"), id)) {
      CHECK(h.dump().find(word) == std::string::npos);
    }
    // The kansli sees everything.
    const json full = GetCase(s.As("secretary"), id);
    CHECK(full.at("title") == "Hemlig " + word);
    CHECK(full.at("notes") == "Känsliga uppgifter " + word);
  }

  TEST_CASE("Each role may do what it is given and no more") {
    auto& s = SharedServer();
    // Registering: admin and registrar.
    for (const std::string role : {"admin", "registrar"}) {
      CAPTURE(role);
      CHECK(s.As(role).PostJson("/api/v1/cases", MotionBody("Roll " + UniqueWord())).status == 201);
    }
    for (const std::string role : {"secretary", "presidium", "officer", "reader"}) {
      CAPTURE(role);
      CHECK(s.As(role).PostJson("/api/v1/cases", MotionBody("Roll " + UniqueWord())).status == 403);
    }
    const long long id = CreateCase(s.As("registrar"), MotionBody("Roller " + UniqueWord()))["id"];
    // The presidium distributes; the officer notes and delivers material.
    CHECK(s.As("presidium")
              .PostJson(CasesPath(id, "events"),
                        {{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}})
              .status == 200);
    CHECK(s.As("officer")
              .PostJson(CasesPath(id, "events"), {{"event", "note"}, {"organ", "rlk"}})
              .status == 200);
    // Neither may adopt the answer or withdraw the motion.
    for (const std::string role : {"presidium", "officer"}) {
      CAPTURE(role);
      CHECK(s.As(role)
                .PostJson(CasesPath(id, "events"),
                          {{"event", "adopt_answer"}, {"organ", "fs"}, {"outcome", "approved"}})
                .status == 403);
      CHECK(s.As(role)
                .PostJson(CasesPath(id, "events"), {{"event", "withdraw"}, {"organ", "rf"}})
                .status == 403);
    }
    CHECK(GetCase(s.As("reader"), id).at("state") == "in_preparation");
    // /actions says which events the asking role may send.
    const auto actions = s.As("officer").Get(CasesPath(id, "actions")).Json();
    bool saw_adopt = false;
    for (const auto& a : actions.at("items")) {
      if (a.at("event") == "adopt_answer") {
        saw_adopt = true;
        CHECK(a.at("permitted") == false);
      }
      if (a.at("event") == "note") CHECK(a.at("permitted") == true);
    }
    CHECK(saw_adopt);
  }
}

}  // namespace
}  // namespace kansli::test
