// The HTTP API of api.md as plain request → response, independent of the
// transport (http_server.cc adapts cpprestsdk to it).
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "workflow/accounts.h"
#include "workflow/case_service.h"
#include "workflow/ports.h"

namespace kansli::api {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // decoded, without the query
  std::map<std::string, std::string> query;    // decoded
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string request_id;
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
};

struct RouterDeps {
  workflow::CaseService& cases;
  workflow::TokenStore& tokens;
  workflow::SystemStatus& status;
  workflow::Outbox& outbox;  // retrying dead deliveries
  // Where the web app's pages are (KANSLI_PUBLIC_URL), for links in the calendar feed.
  std::string public_url = "http://127.0.0.1:8080";
  // Personal accounts and sessions (the web app); null: tokens only.
  workflow::AccountStore* accounts = nullptr;
};

// Thread-safe: handles requests from many threads at once.
class Router {
 public:
  explicit Router(RouterDeps deps);

  // Never throws: every failure becomes an error response.
  Response Handle(const Request& req);

  // Body limit (api.md: 1 MiB → 413).
  static constexpr std::size_t kMaxBody = 1 << 20;

  // A 413 response, for the transport to send before reading a large body.
  Response TooLarge(const Request& req);

 private:
  Response Dispatch(const Request& req);
  // POST /api/v1/session: signs in with a name and password (a session cookie).
  Response Login(const Request& req);
  Response Metrics();
  void Count(const std::string& method, int status);

  RouterDeps deps_;
  std::mutex metrics_mu_;
  std::map<std::pair<std::string, int>, long long> requests_;  // (method, status) → count
  std::atomic<long long> transitions_{0};
  std::atomic<long long> registrations_{0};
};

}  // namespace kansli::api
