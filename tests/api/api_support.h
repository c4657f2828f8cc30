// Shared pieces of the API tests: one server per test process (a fresh
// database, the demo organisation, a token per role, a fixed clock), and
// small helpers that assert as they go.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/http_client.h"
#include "tests/support/test_database.h"
#include "tests/support/test_server.h"

namespace kansli::test {

using nlohmann::json;

// The server's clock (KANSLI_NOW): new cases get RJL 2023/N, and "today" is 2023-03-01.
inline constexpr const char* kApiNow = "2023-03-01T10:00:00+01:00";

// Started on first use and stopped by StopSharedServer (main calls it after
// the tests). Tests that share it create their own cases and scope their
// queries to them (a unique word).
TestServer& SharedServer();
void StopSharedServer();

// A fresh server on a fresh database, for a test that needs a pristine one.
struct PrivateServer {
  explicit PrivateServer(ServerOptions options = DefaultOptions());
  static ServerOptions DefaultOptions();
  TestDatabase db;
  TestServer server;
};

// A word no other case contains (for titles and q=).
std::string UniqueWord();

json MotionBody(const std::string& title, const std::string& received = "2023-02-01");
json RemissBody(const std::string& title, const std::string& received = "2023-02-01",
                const std::string& answer_by = "2023-04-28");

// POST /api/v1/cases; REQUIREs 201 and returns the case.
json CreateCase(const Http& http, const json& body);
// POST /api/v1/cases/{id}/events; REQUIREs 200 and returns the case.
json SendEvent(const Http& http, long long id, const json& event);
// GET /api/v1/cases/{id}; REQUIREs 200.
json GetCase(const Http& http, long long id);
// GET /api/v1/cases/{id}/history items; REQUIREs 200.
json History(const Http& http, long long id);
// The event names of GET /api/v1/cases/{id}/actions.
std::set<std::string> ActionNames(const Http& http, long long id);
// "a b c": a set as text, for readable assertion messages.
std::string Joined(const std::set<std::string>& names);

std::string CasesPath(long long id, const std::string& sub = "");

// The ids of GET /api/v1/cases?<query> items, in the order returned; REQUIREs 200.
std::vector<long long> ListIds(const Http& http, const std::string& query);

// A replay fixture's event without the keys meant for people.
json ForPosting(json event);

// {"error": {"code": ...}} of an error response ("" if none).
std::string ErrorCode(const HttpResponse& r);

}  // namespace kansli::test
