// What the web app stands on: personal accounts and session cookies (with
// CSRF protection and lockout), the overview counts, the presidium's
// fördelning in one transaction, and the static files.
#include <doctest/doctest.h>

#include <fstream>

#include "tests/api/api_support.h"
#include "tests/support/env.h"

namespace kansli::test {
namespace {

std::string PasswordFile(const std::string& password) {
  const auto path = TestOutputDir() / ("password-" + UniqueSuffix());
  std::ofstream(path) << password << "\n";
  return path.string();
}

void CreateAccount(const PrivateServer& p, const std::string& user, const std::string& role,
                   const std::string& password) {
  p.db.KansliOk({"account", "create", "--username", user, "--display-name", "Person " + user,
                 "--role", role, "--password-file", PasswordFile(password)});
}

std::string SetCookie(const HttpResponse& r) {
  for (const auto& [k, v] : r.headers)
    if (k == "set-cookie") return v;
  return "";
}

std::string HeaderOf(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

// Signs in; returns the Cookie header and the CSRF token.
std::pair<std::string, std::string> SignIn(const Http& anon, const std::string& user,
                                           const std::string& password) {
  const auto r = anon.PostJson("/api/v1/session", json{{"username", user}, {"password", password}});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  const std::string cookie = SetCookie(r);
  return {cookie.substr(0, cookie.find(';')), r.Json().at("csrf_token").get<std::string>()};
}

TEST_SUITE("api") {
  TEST_CASE("A person signs in with a password and gets an HttpOnly SameSite=Strict cookie") {
    PrivateServer p;
    CreateAccount(p, "anna", "registrar", "ett långt lösenord");
    const auto anon = p.server.Anonymous();
    const auto r = anon.PostJson("/api/v1/session",
                                 json{{"username", "anna"}, {"password", "ett långt lösenord"}});
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.Json().at("role") == "registrar");
    CHECK(r.Json().at("display_name") == "Person anna");
    const std::string cookie = SetCookie(r);
    CHECK(cookie.find("kansli_session=") == 0);
    CHECK(cookie.find("HttpOnly") != std::string::npos);
    CHECK(cookie.find("SameSite=Strict") != std::string::npos);
    CHECK(cookie.find("Max-Age=28800") != std::string::npos);

    const auto [session, csrf] = SignIn(anon, "anna", "ett långt lösenord");
    const Headers with_cookie = {{"Cookie", session}};
    const auto me = anon.Get("/api/v1/me", with_cookie);
    REQUIRE(me.status == 200);
    CHECK(me.Json().at("name") == "anna");
    CHECK(me.Json().at("csrf_token") == csrf);
    // Writes need the CSRF token as well as the cookie.
    const std::string body = MotionBody("Via webben").dump();
    CHECK(anon.Request("POST", "/api/v1/cases", body, with_cookie).status == 403);
    CHECK(anon.Request("POST", "/api/v1/cases", body, {{"Cookie", session}, {"X-CSRF-Token", "x"}})
              .status == 403);
    const auto created =
        anon.Request("POST", "/api/v1/cases", body, {{"Cookie", session}, {"X-CSRF-Token", csrf}});
    CHECK(created.status == 201);
    CHECK(History(p.server.As("reader"), created.Json().at("id")).at(0).at("actor") == "anna");
    // Signing out ends the session.
    CHECK(
        anon.Request("DELETE", "/api/v1/session", "", {{"Cookie", session}, {"X-CSRF-Token", csrf}})
            .status == 200);
    CHECK(anon.Get("/api/v1/me", with_cookie).status == 401);
  }

  TEST_CASE("Wrong passwords are refused alike and the fifth locks the account for 15 minutes") {
    PrivateServer p;
    CreateAccount(p, "bo", "secretary", "rätt lösenord 1");
    const auto anon = p.server.Anonymous();
    auto login = [&](const std::string& user, const std::string& password) {
      return anon.PostJson("/api/v1/session", json{{"username", user}, {"password", password}});
    };
    const auto unknown = login("ingen", "vad som helst");
    CHECK(unknown.status == 401);
    CHECK(unknown.Json().at("error").at("message") == "Fel användarnamn eller lösenord.");
    for (int i = 1; i <= 4; ++i) CHECK(login("bo", "fel lösenord").status == 401);
    const auto locked = login("bo", "fel lösenord");
    CHECK(locked.status == 429);
    CHECK(locked.Json().at("error").at("code") == "locked");
    CHECK(locked.Json().at("error").at("message").get<std::string>().find("15 minuter") !=
          std::string::npos);
    CHECK_FALSE(HeaderOf(locked, "retry-after").empty());
    // Even the right password waits out the lockout.
    CHECK(login("bo", "rätt lösenord 1").status == 429);
    // An admin's new password lifts it.
    p.db.KansliOk({"account", "password", "--username", "bo", "--password-file",
                   PasswordFile("ett nytt lösenord")});
    CHECK(login("bo", "ett nytt lösenord").status == 200);
    // A disabled account cannot sign in.
    p.db.KansliOk({"account", "disable", "--username", "bo"});
    CHECK(login("bo", "ett nytt lösenord").status == 401);
  }

  TEST_CASE("Admins keep the accounts over HTTP and others may not") {
    PrivateServer p;
    const auto admin = p.server.As("admin");
    auto r = admin.PostJson("/api/v1/accounts", {{"username", "cecilia"},
                                                 {"display_name", "Cecilia C"},
                                                 {"role", "presidium"},
                                                 {"password", "kort"}});
    CHECK(r.status == 422);
    CHECK(r.Json().at("error").at("details").at("field") == "password");
    r = admin.PostJson("/api/v1/accounts", {{"username", "cecilia"},
                                            {"display_name", "Cecilia C"},
                                            {"role", "presidium"},
                                            {"password", "tillräckligt långt"}});
    REQUIRE_MESSAGE(r.status == 201, r.body);
    CHECK(admin
              .PostJson("/api/v1/accounts", {{"username", "cecilia"},
                                             {"display_name", "X"},
                                             {"role", "reader"},
                                             {"password", "tillräckligt långt"}})
              .status == 409);
    CHECK(admin.Get("/api/v1/accounts").Json().at("total") == 1);
    r = admin.Request("PATCH", "/api/v1/accounts/cecilia", json{{"active", false}}.dump(), {});
    CHECK(r.status == 200);
    CHECK(r.Json().at("active") == false);
    CHECK(admin.Request("PATCH", "/api/v1/accounts/ingen", json{{"active", false}}.dump(), {})
              .status == 404);
    CHECK(p.server.As("registrar").Get("/api/v1/accounts").status == 403);
  }

  TEST_CASE("The presidium distributes several motions in one transaction, all or nothing") {
    PrivateServer p;
    const auto reg = p.server.As("registrar");
    const auto pres = p.server.As("presidium");
    const auto meeting =
        p.server.As("secretary")
            .PostJson("/api/v1/meetings", json{{"organ", "rf-pres"}, {"date", "2023-03-01"}});
    REQUIRE(meeting.status == 201);
    const long long a = CreateCase(reg, MotionBody("Första")).at("id");
    const long long b = CreateCase(reg, MotionBody("Andra")).at("id");
    const long long c = CreateCase(reg, MotionBody("Tredje")).at("id");

    // The second item names an unknown organ: nothing is distributed.
    json body = {
        {"date", "2023-03-01"},
        {"organ", "rf-pres"},
        {"meeting", meeting.Json().at("id")},
        {"items",
         {{{"case", a}, {"to", "fs"}, {"consult", {"ana"}}}, {{"case", b}, {"to", "finns-inte"}}}}};
    auto r = pres.PostJson("/api/v1/distributions", body);
    CHECK(r.status == 422);
    CHECK(r.Json().at("error").at("details").at("item") == 1);
    CHECK(GetCase(reg, a).at("state") == "registered");

    // A stale version on one item: 412, nothing changes.
    body["items"] = {{{"case", a}, {"to", "fs"}}, {{"case", b}, {"to", "tim"}, {"version", 7}}};
    r = pres.PostJson("/api/v1/distributions", body);
    CHECK(r.status == 412);
    CHECK(r.Json().at("error").at("details").at("item") == 1);
    CHECK(GetCase(reg, a).at("state") == "registered");

    body["items"] = {{{"case", a}, {"to", "fs"}, {"consult", {"ana"}}, {"text", "Till FS"}},
                     {{"case", b}, {"to", "tim"}, {"version", 1}}};
    r = pres.PostJson("/api/v1/distributions", body);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.Json().at("items").size() == 2);
    CHECK(r.Json().at("paragraphs") == json::array({"§ 1", "§ 2"}));
    CHECK(GetCase(reg, a).at("responsible_organ") == "fs");
    CHECK(GetCase(reg, a).at("consulted_organs") == json::array({"ana"}));
    CHECK(GetCase(reg, b).at("responsible_organ") == "tim");
    CHECK(GetCase(reg, c).at("state") == "registered");
    // Already distributed: 409 naming the item.
    body["items"] = {{{"case", c}, {"to", "fs"}}, {{"case", a}, {"to", "fs"}}};
    r = pres.PostJson("/api/v1/distributions", body);
    CHECK(r.status == 409);
    CHECK(r.Json().at("error").at("details").at("item") == 1);
    CHECK(GetCase(reg, c).at("state") == "registered");
    CHECK(p.server.As("officer").PostJson("/api/v1/distributions", body).status == 403);
    CHECK(
        pres.PostJson("/api/v1/distributions", json{{"organ", "rf-pres"}, {"items", json::array()}})
            .status == 422);
  }

  TEST_CASE("The overview counts open cases by type, state and organ") {
    PrivateServer p;
    const auto reg = p.server.As("registrar");
    const long long old = CreateCase(reg, MotionBody("Gammal", "2021-06-15")).at("id");
    SendEvent(
        p.server.As("secretary"), old,
        {{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}, {"date", "2021-08-19"}});
    CreateCase(reg, MotionBody("Ny"));
    CreateCase(reg, RemissBody("En remiss"));
    const long long gone = CreateCase(reg, MotionBody("Återtagen")).at("id");
    SendEvent(p.server.As("secretary"), gone, {{"event", "withdraw"}, {"organ", "rf"}});
    const json st = p.server.As("reader").Get("/api/v1/stats").Json();
    CHECK(st.at("open_total") == 3);
    CHECK(st.at("overdue_cases") == 1);
    CHECK(st.at("by_type").size() == 2);
    bool fs = false;
    for (const auto& o : st.at("by_organ"))
      if (o.at("organ") == "fs")
        fs = o.at("count") == 1 && o.at("name") == "Nämnd för folkhälsa och sjukvård";
    CHECK(fs);
  }

  TEST_CASE("The web app's pages are served with their types, caching and a strict CSP") {
    PrivateServer p;
    const auto anon = p.server.Anonymous();
    const auto index = anon.Get("/");
    REQUIRE(index.status == 200);
    CHECK(HeaderOf(index, "content-type") == "text/html; charset=utf-8");
    CHECK(HeaderOf(index, "content-security-policy").find("default-src 'self'") == 0);
    CHECK(HeaderOf(index, "x-content-type-options") == "nosniff");
    const std::string etag = HeaderOf(index, "etag");
    REQUIRE_FALSE(etag.empty());
    CHECK(anon.Get("/", {{"If-None-Match", etag}}).status == 304);
    // The app's own paths get the page, so links to a case work.
    const auto deep = anon.Get("/cases/12");
    CHECK(deep.status == 200);
    CHECK(deep.body == index.body);
    CHECK(anon.Get("/finns-inte.js").status == 404);
    CHECK(anon.Request("POST", "/", "", {}).status == 405);
    // The API still needs a token or a session.
    CHECK(anon.Get("/api/v1/cases").status == 401);
  }
}

}  // namespace
}  // namespace kansli::test
