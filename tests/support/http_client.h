// A small HTTP client for the API tests (libcurl). Thread-safe: every call
// uses its own CURL handle, so tests may fire requests from many threads.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace kansli::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased; the last value wins
  std::string body;

  // The body parsed as JSON. Throws std::runtime_error quoting the body if it is not JSON.
  nlohmann::json Json() const;
  // A header's value ("" if absent); `name` is case-insensitive.
  std::string Header(const std::string& name) const;
  // "POST /x -> 409: {...}" style text for failure messages.
  std::string Describe() const;
};

class Http {
 public:
  // `base_url` like "http://127.0.0.1:8080"; `token` is sent as
  // "Authorization: Bearer <token>" unless empty or a call passes its own
  // Authorization header.
  explicit Http(std::string base_url, std::string token = "");

  // Each call throws std::runtime_error when no HTTP response arrives
  // (connection refused, timeout); any status is a response.
  HttpResponse Get(const std::string& path, const Headers& headers = {}) const;
  // Sends `body` verbatim with Content-Type: application/json (unless given).
  HttpResponse Post(const std::string& path, const std::string& body,
                    const Headers& headers = {}) const;
  HttpResponse PostJson(const std::string& path, const nlohmann::json& body,
                        const Headers& headers = {}) const;
  HttpResponse Request(const std::string& method, const std::string& path, const std::string& body,
                       const Headers& headers) const;

  const std::string& base_url() const { return base_url_; }

  // Percent-encodes a query parameter value.
  static std::string Escape(const std::string& value);

 private:
  std::string base_url_;
  std::string token_;
};

}  // namespace kansli::test
