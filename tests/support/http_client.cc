#include "tests/support/http_client.h"

#include <curl/curl.h>

#include <cctype>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace kansli::test {

namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_ALL); });
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* r = static_cast<HttpResponse*>(user);
  const std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    r->headers.clear();  // a new response (e.g. after 100 Continue)
  } else if (const auto colon = line.find(':'); colon != std::string::npos) {
    r->headers[Lower(Trim(line.substr(0, colon)))] = Trim(line.substr(colon + 1));
  }
  return size * n;
}

}  // namespace

nlohmann::json HttpResponse::Json() const {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception&) {
    throw std::runtime_error("the response is not JSON: " + Describe());
  }
}

std::string HttpResponse::Header(const std::string& name) const {
  auto it = headers.find(Lower(name));
  return it == headers.end() ? "" : it->second;
}

std::string HttpResponse::Describe() const {
  std::string b = body.size() > 2000 ? body.substr(0, 2000) + "..." : body;
  return "status " + std::to_string(status) + ": " + b;
}

Http::Http(std::string base_url, std::string token)
    : base_url_(std::move(base_url)), token_(std::move(token)) {
  GlobalInit();
}

HttpResponse Http::Get(const std::string& path, const Headers& headers) const {
  return Request("GET", path, "", headers);
}

HttpResponse Http::Post(const std::string& path, const std::string& body,
                        const Headers& headers) const {
  return Request("POST", path, body, headers);
}

HttpResponse Http::PostJson(const std::string& path, const nlohmann::json& body,
                            const Headers& headers) const {
  return Request("POST", path, body.dump(), headers);
}

HttpResponse Http::Request(const std::string& method, const std::string& path,
                           const std::string& body, const Headers& headers) const {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw std::runtime_error("curl_easy_init failed");
  CURL* h = curl.get();
  const std::string url = base_url_ + path;
  HttpResponse r;
  char error[CURL_ERROR_SIZE] = {0};

  bool has_auth = false, has_type = false;
  curl_slist* list = nullptr;
  for (const auto& [k, v] : headers) {
    has_auth = has_auth || Lower(k) == "authorization";
    has_type = has_type || Lower(k) == "content-type";
    list = curl_slist_append(list, (k + ": " + v).c_str());
  }
  if (!has_auth && !token_.empty())
    list = curl_slist_append(list, ("Authorization: Bearer " + token_).c_str());
  if (!has_type && method != "GET")
    list = curl_slist_append(list, "Content-Type: application/json");
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> guard(list, &curl_slist_free_all);

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 60000L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &r);
  if (method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  const CURLcode rc = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
  if (rc != CURLE_OK && r.status == 0)
    throw std::runtime_error(method + " " + url + " failed: " +
                             (error[0] ? std::string(error) : curl_easy_strerror(rc)));
  return r;
}

std::string Http::Escape(const std::string& value) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace kansli::test
