#include "tests/api/api_support.h"

#include <doctest/doctest.h>

#include <memory>

#include "tests/support/env.h"

namespace kansli::test {

namespace {

struct Shared {
  TestDatabase db;
  TestServer server{db, PrivateServer::DefaultOptions()};
};

}  // namespace

// Built on first use; a failure (no database configured) fails each test
// that asks, with the reason. Not destroyed by exit(): see StopSharedServer.
std::unique_ptr<Shared>& SharedInstance() {
  static auto* shared = new std::unique_ptr<Shared>();
  return *shared;
}

TestServer& SharedServer() {
  auto& shared = SharedInstance();
  if (!shared) shared = std::make_unique<Shared>();
  return shared->server;
}

void StopSharedServer() { SharedInstance().reset(); }

ServerOptions PrivateServer::DefaultOptions() {
  ServerOptions o;
  o.env["KANSLI_NOW"] = kApiNow;
  o.env["KANSLI_LOG_LEVEL"] = "info";
  return o;
}

PrivateServer::PrivateServer(ServerOptions options) : db(), server(db, std::move(options)) {}

std::string UniqueWord() { return "ord" + UniqueSuffix(); }

json MotionBody(const std::string& title, const std::string& received) {
  return {{"type", "motion"},
          {"title", title},
          {"received", received},
          {"submitters", {{{"name", "Mikael Ekvall"}, {"party", "V"}}}}};
}

json RemissBody(const std::string& title, const std::string& received,
                const std::string& answer_by) {
  return {{"type", "remiss"},
          {"title", title},
          {"received", received},
          {"sender", "Socialdepartementet"},
          {"answer_by", answer_by}};
}

std::string CasesPath(long long id, const std::string& sub) {
  return "/api/v1/cases/" + std::to_string(id) + (sub.empty() ? "" : "/" + sub);
}

json CreateCase(const Http& http, const json& body) {
  const auto r = http.PostJson("/api/v1/cases", body);
  INFO("POST /api/v1/cases ", body.dump(), " -> ", r.Describe());
  REQUIRE(r.status == 201);
  return r.Json();
}

json SendEvent(const Http& http, long long id, const json& event) {
  const auto r = http.PostJson(CasesPath(id, "events"), event);
  INFO("POST events ", event.dump(), " -> ", r.Describe());
  REQUIRE(r.status == 200);
  return r.Json();
}

json GetCase(const Http& http, long long id) {
  const auto r = http.Get(CasesPath(id));
  INFO(r.Describe());
  REQUIRE(r.status == 200);
  return r.Json();
}

json History(const Http& http, long long id) {
  const auto r = http.Get(CasesPath(id, "history"));
  INFO(r.Describe());
  REQUIRE(r.status == 200);
  return r.Json().at("items");
}

std::set<std::string> ActionNames(const Http& http, long long id) {
  const auto r = http.Get(CasesPath(id, "actions"));
  INFO(r.Describe());
  REQUIRE(r.status == 200);
  const json j = r.Json();
  std::set<std::string> names;
  for (const auto& a : j.at("items")) names.insert(a.at("event").get<std::string>());
  return names;
}

std::string Joined(const std::set<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : " ") + n;
  return s;
}

std::vector<long long> ListIds(const Http& http, const std::string& query) {
  const auto r = http.Get("/api/v1/cases?" + query);
  INFO("GET /api/v1/cases?", query, " -> ", r.Describe());
  REQUIRE(r.status == 200);
  const auto j = r.Json();
  std::vector<long long> ids;
  for (const auto& c : j.at("items")) ids.push_back(c.at("id").get<long long>());
  CHECK(j.at("total").get<long long>() >= static_cast<long long>(ids.size()));
  return ids;
}

json ForPosting(json event) {
  event.erase("source_lines");
  return event;
}

std::string ErrorCode(const HttpResponse& r) {
  const auto j = json::parse(r.body, nullptr, false);
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return "";
  return j["error"].value("code", "");
}

}  // namespace kansli::test
