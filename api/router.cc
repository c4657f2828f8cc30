#include "api/router.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <sstream>

#include "api/ical.h"
#include "api/json_codec.h"
#include "api/openapi.h"
#include "api/report_render.h"
#include "api/web_files.h"
#include "workflow/errors.h"
#include "workflow/vocabulary.h"

namespace kansli::api {

using json = nlohmann::ordered_json;
using InJson = nlohmann::json;  // request bodies

namespace {

// Carries an HTTP status from the point where a request is found wrong.
struct HttpError {
  int status;
  std::string code;
  std::string message;
  json details = json::object();
};

constexpr const char* kSessionCookie = "kansli_session";

// The value of cookie `name` in the Cookie header ("" if none).
std::string CookieValue(const Request& req, const std::string& name) {
  auto it = req.headers.find("cookie");
  if (it == req.headers.end()) return "";
  const std::string& h = it->second;
  std::size_t pos = 0;
  while (pos < h.size()) {
    while (pos < h.size() && (h[pos] == ' ' || h[pos] == ';')) ++pos;
    const auto end = h.find(';', pos);
    const std::string pair =
        h.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    const auto eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return "";
}

// Security headers of every page of the web app.
void AddPageHeaders(Response& r) {
  r.headers.push_back({"Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                       "script-src 'self'; connect-src 'self'; object-src 'none'; "
                       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"});
  r.headers.push_back({"Referrer-Policy", "same-origin"});
  r.headers.push_back({"X-Frame-Options", "DENY"});
}

// An error of one item of a command over several (a fördelning) names it.
HttpError WithItem(HttpError h, const workflow::Error& e) {
  if (e.item()) h.details["item"] = *e.item();
  return h;
}

Response JsonResponse(int status, const json& body) {
  Response r;
  r.status = status;
  r.body = body.dump();
  return r;
}

Response ErrorResponse(const HttpError& e) {
  return JsonResponse(e.status, ErrorJson(e.code, e.message, e.details));
}

std::string Header(const Request& req, const std::string& name) {
  auto it = req.headers.find(name);
  return it == req.headers.end() ? "" : it->second;
}

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : path) {
    if (c == '/') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

InJson ParseBody(const Request& req) {
  try {
    return ParseRequestJson(req.body);
  } catch (const MalformedJson& e) {
    throw HttpError{400, "malformed_json", e.what()};
  }
}

std::int64_t ParseId(const std::string& s) {
  if (s.empty() || s.size() > 18) throw HttpError{404, "not_found", "no such case"};
  for (char c : s)
    if (c < '0' || c > '9') throw HttpError{404, "not_found", "no such case"};
  return std::stoll(s);
}

// If-Match: "5" (or W/"5", or 5); "*" means any version.
std::optional<std::int64_t> IfMatch(const Request& req) {
  std::string v = Header(req, "if-match");
  if (v.empty() || v == "*") return std::nullopt;
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  bool ok = !v.empty() && v.size() <= 18;
  for (char c : v) ok = ok && c >= '0' && c <= '9';
  if (!ok)
    throw HttpError{400, "bad_request", "If-Match must be a case version in quotes, e.g. \"5\""};
  return std::stoll(v);
}

std::string ETag(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

}  // namespace

Router::Router(RouterDeps deps) : deps_(deps) {}

void Router::Count(const std::string& method, int status) {
  std::lock_guard<std::mutex> g(metrics_mu_);
  ++requests_[{method, status}];
}

Response Router::TooLarge(const Request& req) {
  Count(req.method, 413);
  return ErrorResponse({413, "payload_too_large",
                        "the request body is larger than " + std::to_string(kMaxBody) + " bytes"});
}

Response Router::Handle(const Request& req) {
  const auto started = std::chrono::steady_clock::now();
  Response resp;
  try {
    resp = Dispatch(req);
  } catch (const HttpError& e) {
    resp = ErrorResponse(e);
  } catch (const workflow::ValidationError& e) {
    resp = ErrorResponse(WithItem({422, "validation_failed", e.what(), {{"field", e.field()}}}, e));
  } catch (const workflow::NotFound& e) {
    resp = ErrorResponse(WithItem({404, "not_found", e.what()}, e));
  } catch (const workflow::InvalidTransition& e) {
    resp = ErrorResponse(
        WithItem({409,
                  "invalid_transition",
                  e.what(),
                  {{"state", e.state()}, {"event", e.event()}, {"allowed", e.allowed()}}},
                 e));
  } catch (const workflow::StaleVersion& e) {
    resp = ErrorResponse(
        WithItem({412, "stale_version", e.what(), {{"current_version", e.current()}}}, e));
    resp.headers.push_back({"ETag", ETag(e.current())});
  } catch (const workflow::Conflict& e) {
    resp = ErrorResponse(WithItem({409, "conflict", e.what()}, e));
  } catch (const workflow::Forbidden& e) {
    resp = ErrorResponse(WithItem({403, "forbidden", e.what()}, e));
  } catch (const workflow::IdempotencyMismatch& e) {
    resp = ErrorResponse({422, "idempotency_key_reused", e.what()});
  } catch (const workflow::Unavailable& e) {
    resp = ErrorResponse(
        {503, "unavailable", std::string("Databasen är inte tillgänglig just nu: ") + e.what()});
    resp.headers.push_back({"Retry-After", "2"});
  } catch (const std::exception& e) {
    spdlog::error("event=internal_error request_id={} what={}", req.request_id, e.what());
    resp = ErrorResponse(
        {500, "internal_error", "an internal error occurred; quote request id " + req.request_id});
  }
  resp.headers.push_back({"X-Request-Id", req.request_id});
  Count(req.method, resp.status);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  if (resp.status >= 500)
    spdlog::warn("event=request method={} path={} status={} request_id={} duration_ms={}",
                 req.method, req.path, resp.status, req.request_id, ms);
  else
    spdlog::debug("event=request method={} path={} status={} request_id={} duration_ms={}",
                  req.method, req.path, resp.status, req.request_id, ms);
  return resp;
}

Response Router::Metrics() {
  std::ostringstream out;
  out << "# HELP kansli_http_requests_total HTTP requests by method and status.\n"
         "# TYPE kansli_http_requests_total counter\n";
  {
    std::lock_guard<std::mutex> g(metrics_mu_);
    for (const auto& [k, n] : requests_)
      out << "kansli_http_requests_total{method=\"" << k.first << "\",status=\"" << k.second
          << "\"} " << n << "\n";
  }
  out << "# HELP kansli_transitions_total Case events applied.\n"
         "# TYPE kansli_transitions_total counter\n"
         "kansli_transitions_total "
      << transitions_.load() << "\n"
      << "# HELP kansli_registrations_total Cases registered.\n"
         "# TYPE kansli_registrations_total counter\n"
         "kansli_registrations_total "
      << registrations_.load() << "\n";
  Response r;
  r.body = out.str();
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return r;
}

Response Router::Login(const Request& req) {
  if (!deps_.accounts) throw HttpError{404, "not_found", "no accounts here"};
  const InJson body = ParseBody(req);
  if (!body.is_object() || !body.contains("username") || !body["username"].is_string() ||
      !body.contains("password") || !body["password"].is_string())
    throw workflow::ValidationError("username", "send 'username' and 'password'");
  const auto r =
      deps_.accounts->Login(body["username"].get<std::string>(),
                            body["password"].get<std::string>(), deps_.cases.clock().Now());
  using Outcome = workflow::LoginResult::Outcome;
  if (r.outcome == Outcome::kLocked) {
    Response resp = ErrorResponse(
        {429,
         "locked",
         "Kontot är låst i " + std::to_string(workflow::kLockout.count()) + " minuter efter " +
             std::to_string(workflow::kMaxFailedLogins) + " misslyckade inloggningar.",
         {{"retry_after_seconds", r.retry_after.count()}}});
    resp.headers.push_back({"Retry-After", std::to_string(r.retry_after.count())});
    spdlog::warn("event=login_locked request_id={}", req.request_id);
    return resp;
  }
  if (r.outcome == Outcome::kWrong)
    throw HttpError{401, "unauthorized", "Fel användarnamn eller lösenord."};
  const auto& a = r.session.account;
  Response resp = JsonResponse(200, {{"name", a.username},
                                     {"display_name", a.display_name},
                                     {"role", a.role},
                                     {"csrf_token", r.session.csrf_token}});
  const bool secure = deps_.public_url.rfind("https://", 0) == 0;
  resp.headers.push_back(
      {"Set-Cookie",
       std::string(kSessionCookie) + "=" + r.token +
           "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
           std::to_string(
               std::chrono::duration_cast<std::chrono::seconds>(workflow::kSessionLength).count()) +
           (secure ? "; Secure" : "")});
  spdlog::info("event=login username={} request_id={}", a.username, req.request_id);
  return resp;
}

Response Router::Dispatch(const Request& req) {
  const auto parts = Split(req.path);
  const std::string& m = req.method;
  auto method_not_allowed = [&]() -> Response {
    throw HttpError{405, "method_not_allowed", m + " is not supported on " + req.path};
  };

  if (parts.size() == 1 && parts[0] == "healthz") {
    if (m != "GET") return method_not_allowed();
    return JsonResponse(200, {{"status", "ok"}});
  }
  if (parts.size() == 1 && parts[0] == "readyz") {
    if (m != "GET") return method_not_allowed();
    const std::string why = deps_.status.NotReadyReason();
    if (!why.empty()) throw HttpError{503, "unavailable", why};
    return JsonResponse(200, {{"status", "ready"}});
  }
  if (parts.size() == 1 && parts[0] == "metrics") {
    if (m != "GET") return method_not_allowed();
    return Metrics();
  }
  if (parts.empty() || parts[0] != "api") {
    // The web app: its files by name, and index.html for its own paths (/cases/12).
    if (m != "GET" && m != "HEAD") return method_not_allowed();
    const std::string name = parts.size() == 1 ? parts[0] : "";
    const WebFile* f = FindWebFile(name.empty() ? "index.html" : name);
    if (!f && name.find('.') == std::string::npos) f = FindWebFile("index.html");
    if (!f) throw HttpError{404, "not_found", "no such page: " + req.path};
    Response r;
    r.content_type = f->content_type;
    r.headers.push_back({"ETag", f->etag});
    r.headers.push_back({"Cache-Control", "no-cache"});
    AddPageHeaders(r);
    if (Header(req, "if-none-match") == f->etag) {
      r.status = 304;
      return r;
    }
    r.body = m == "HEAD" ? "" : f->body;
    return r;
  }
  if (parts.size() < 2 || parts[1] != "v1")
    throw HttpError{404, "not_found", "no such resource: " + req.path};
  if (parts.size() == 3 && parts[2] == "session" && m == "POST") return Login(req);
  if (parts.size() == 3 && parts[2] == "openapi.json") {
    Response r;
    r.body = OpenApiDocument();
    return r;
  }

  // Everything else needs a token (integrations) or a session cookie (the web app).
  const std::string auth = Header(req, "authorization");
  const std::string cookie = CookieValue(req, kSessionCookie);
  std::optional<workflow::Session> session;
  workflow::Actor actor;
  if (auth.rfind("Bearer ", 0) == 0 && auth.size() > 7) {
    const auto token = deps_.tokens.Verify(auth.substr(7));
    if (!token) {
      Response r = ErrorResponse({401, "unauthorized", "the API token is unknown or revoked"});
      r.headers.push_back({"WWW-Authenticate", "Bearer error=\"invalid_token\""});
      return r;
    }
    actor = workflow::Actor{token->name, token->role};
  } else if (!cookie.empty() && deps_.accounts) {
    session = deps_.accounts->FindSession(cookie, deps_.cases.clock().Now());
    if (!session) throw HttpError{401, "unauthorized", "Sessionen har gått ut. Logga in igen."};
    actor = workflow::Actor{session->account.username, session->account.role};
  } else {
    Response r =
        ErrorResponse({401, "unauthorized", "send an API token: Authorization: Bearer <token>"});
    r.status = 401;
    r.headers.push_back({"WWW-Authenticate", "Bearer"});
    return r;
  }
  const workflow::Date today = deps_.cases.clock().Today();
  const ViewOptions view{today, actor.role == "reader"};
  const bool write = m != "GET" && m != "HEAD";
  // A cookie is sent by the browser whoever made the page: a write must also
  // carry the session's CSRF token, which only the app's own pages know.
  if (session && write && Header(req, "x-csrf-token") != session->csrf_token)
    throw HttpError{403, "csrf",
                    "the request lacks the session's X-CSRF-Token header; reload the page"};
  if (parts.size() == 3 && parts[2] == "session" && m == "DELETE") {
    if (session) deps_.accounts->Logout(cookie);
    Response r = JsonResponse(200, {{"signed_out", true}});
    r.headers.push_back({"Set-Cookie", std::string(kSessionCookie) +
                                           "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"});
    return r;
  }
  if (write && actor.role == "reader")
    throw HttpError{403, "forbidden", "the role 'reader' may only read"};

  auto options = [&](const std::string& request) {
    workflow::CommandOptions o;
    o.expected_version = IfMatch(req);
    const std::string key = Header(req, "idempotency-key");
    if (!key.empty()) {
      if (key.size() > 200)
        throw HttpError{400, "bad_request", "Idempotency-Key must be at most 200 characters"};
      o.idempotency_key = key;
    }
    o.request = request;
    return o;
  };
  // The response of a command: fresh, or the stored one of a repeated
  // idempotent request, whose case id and version are read back from its body.
  auto respond = [&](const workflow::CommandResult& r) {
    Response resp;
    resp.status = r.response->status;
    resp.body = r.response->body;
    long long id = r.changed.id, version = r.changed.version;
    if (r.replayed) {
      resp.headers.push_back({"Idempotent-Replayed", "true"});
      const auto j = json::parse(resp.body, nullptr, false);
      id = j.is_object() ? j.value("id", 0LL) : 0;
      version = j.is_object() ? j.value("version", 0LL) : 0;
    }
    if (version > 0) resp.headers.push_back({"ETag", ETag(version)});
    if (resp.status == 201 && id > 0)
      resp.headers.push_back({"Location", "/api/v1/cases/" + std::to_string(id)});
    return resp;
  };

  const std::string& res = parts.size() > 2 ? parts[2] : "";
  if (parts.size() == 3 && res == "me") {
    if (m != "GET") return method_not_allowed();
    json me = {{"name", actor.name}, {"role", actor.role}};
    if (session) {
      me["display_name"] = session->account.display_name;
      me["csrf_token"] = session->csrf_token;
    }
    return JsonResponse(200, me);
  }
  if (parts.size() == 3 && res == "stats") {
    if (m != "GET") return method_not_allowed();
    const auto st = deps_.cases.Stats();
    std::map<std::string, std::string> names;
    for (const auto& o : deps_.cases.Organs()) names[o.code] = o.name;
    json by_type = json::array(), by_state = json::array(), by_organ = json::array();
    for (const auto& c : st.by_type)
      by_type.push_back(
          {{"type", c.type}, {"label", workflow::CaseTypeLabel(c.type)}, {"count", c.count}});
    for (const auto& c : st.by_state)
      by_state.push_back({{"type", c.type},
                          {"state", c.state},
                          {"state_label", workflow::StateLabel(c.type, c.state)},
                          {"count", c.count}});
    for (const auto& c : st.by_organ)
      by_organ.push_back({{"organ", c.organ ? json(*c.organ) : json(nullptr)},
                          {"name", c.organ ? json(names[*c.organ]) : json("Ej fördelade")},
                          {"count", c.count}});
    return JsonResponse(200, {{"open_total", st.open_total},
                              {"overdue_cases", st.overdue_cases},
                              {"by_type", by_type},
                              {"by_state", by_state},
                              {"by_organ", by_organ}});
  }
  if (parts.size() == 3 && res == "distributions") {
    if (m != "POST") return method_not_allowed();
    const InJson body = ParseBody(req);
    if (!body.is_object())
      throw HttpError{400, "bad_request", "the request body must be a JSON object"};
    workflow::CaseService::DistributionCommand d;
    for (auto it = body.begin(); it != body.end(); ++it)
      if (it.key() != "date" && it.key() != "organ" && it.key() != "meeting" && it.key() != "items")
        throw workflow::ValidationError(it.key(), "unknown field '" + it.key() + "'");
    // Each item is decoded as the distribute event it becomes.
    json event = {{"event", "distribute"}};
    for (const char* k : {"date", "organ", "meeting"})
      if (body.contains(k)) event[k] = body[k];
    if (!body.contains("items") || !body["items"].is_array() || body["items"].empty() ||
        body["items"].size() > 500)
      throw workflow::ValidationError("items", "'items' must list 1-500 motions");
    const auto& items = body["items"];
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string where = "items[" + std::to_string(i) + "]";
      const auto& x = items[i];
      if (!x.is_object() || !x.contains("case") || !x["case"].is_number_integer())
        throw workflow::ValidationError(where + ".case", "'" + where + ".case' must be a case id");
      json e = event;
      for (auto it = x.begin(); it != x.end(); ++it)
        if (it.key() != "case" && it.key() != "version") e[it.key()] = it.value();
      workflow::EventCommand cmd;
      try {
        cmd = workflow::DecodeEvent(e);
      } catch (const workflow::ValidationError& err) {
        throw workflow::ValidationError(where + "." + err.field(), err.what());
      }
      if (!cmd.to) throw workflow::ValidationError(where + ".to", "'" + where + ".to' is required");
      workflow::CaseService::DistributionItem item;
      item.case_id = x["case"].get<std::int64_t>();
      if (x.contains("version")) {
        if (!x["version"].is_number_integer())
          throw workflow::ValidationError(where + ".version", "'version' must be a number");
        item.version = x["version"].get<std::int64_t>();
      }
      item.to = *cmd.to;
      item.consult = cmd.consult;
      item.text = cmd.text;
      if (i == 0) {
        d.date = cmd.date;
        d.organ = cmd.organ;
        d.meeting = cmd.meeting;
      }
      d.items.push_back(std::move(item));
    }
    const auto cases = deps_.cases.Distribute(d, actor);
    json out = json::array(), paragraphs = json::array();
    for (const auto& c : cases) {
      out.push_back(CaseJson(c, view));
      const auto history = deps_.cases.History(c.id);
      paragraphs.push_back(!history.empty() && history.back().paragraph
                               ? json(*history.back().paragraph)
                               : json(nullptr));
    }
    spdlog::info("event=distributed cases={} request_id={}", cases.size(), req.request_id);
    return JsonResponse(200, {{"items", out}, {"paragraphs", paragraphs}});
  }
  if (res == "accounts" && (parts.size() == 3 || parts.size() == 4)) {
    if (!deps_.accounts) throw HttpError{404, "not_found", "no accounts here"};
    if (!workflow::MayAdminister(actor.role))
      throw HttpError{403, "forbidden", "only admins keep the accounts"};
    auto account_json = [](const workflow::Account& a) {
      return json{{"username", a.username},
                  {"display_name", a.display_name},
                  {"role", a.role},
                  {"active", a.active},
                  {"locked", a.locked}};
    };
    if (parts.size() == 3 && m == "GET") {
      json items = json::array();
      for (const auto& a : deps_.accounts->List(deps_.cases.clock().Now()))
        items.push_back(account_json(a));
      return JsonResponse(200, {{"items", items}, {"total", items.size()}});
    }
    const InJson body = ParseBody(req);
    if (!body.is_object())
      throw HttpError{400, "bad_request", "the request body must be a JSON object"};
    auto text = [&](const char* k) -> std::optional<std::string> {
      if (!body.contains(k)) return std::nullopt;
      if (!body[k].is_string())
        throw workflow::ValidationError(k, std::string("'") + k + "' must be a string");
      return body[k].get<std::string>();
    };
    if (parts.size() == 3 && m == "POST") {
      workflow::Account a;
      a.username = text("username").value_or("");
      a.display_name = text("display_name").value_or("");
      a.role = text("role").value_or("");
      const auto created = deps_.accounts->Create(a, text("password").value_or(""));
      spdlog::info("event=account_created username={} role={} by={}", created.username,
                   created.role, actor.name);
      return JsonResponse(201, account_json(created));
    }
    if (parts.size() == 4 && m == "PATCH") {
      const std::string& username = parts[3];
      bool found = true;
      if (auto p = text("password")) found = deps_.accounts->SetPassword(username, *p);
      if (body.contains("active")) {
        if (!body["active"].is_boolean())
          throw workflow::ValidationError("active", "'active' must be true or false");
        found = found && deps_.accounts->SetActive(username, body["active"].get<bool>());
      }
      if (!found) throw HttpError{404, "not_found", "no account named '" + username + "'"};
      for (const auto& a : deps_.accounts->List(deps_.cases.clock().Now()))
        if (a.username == username) return JsonResponse(200, account_json(a));
      throw HttpError{404, "not_found", "no account named '" + username + "'"};
    }
    return method_not_allowed();
  }
  if (parts.size() == 3 && res == "organs") {
    if (m == "POST") {
      const auto organ = workflow::DecodeOrgan(ParseBody(req));
      const bool added = deps_.cases.SaveOrgan(organ, actor);
      spdlog::info("event=organ_saved code={} added={} request_id={}", organ.code, added,
                   req.request_id);
      return JsonResponse(added ? 201 : 200, OrganJson(organ));
    }
    if (m != "GET") return method_not_allowed();
    json items = json::array();
    for (const auto& o : deps_.cases.Organs()) items.push_back(OrganJson(o));
    return JsonResponse(200, {{"items", items}, {"total", items.size()}});
  }
  if (res == "meetings" && parts.size() == 5 && parts[4] == "agenda") {
    if (m != "GET") return method_not_allowed();
    std::int64_t id = 0;
    try {
      id = ParseId(parts[3]);
    } catch (const HttpError&) {
      throw HttpError{404, "not_found", "no such meeting"};
    }
    const int limit = IntParam(req.query, "limit", 100, 1, 1000);
    return JsonResponse(200, AgendaJson(deps_.cases.MeetingAgenda(id, limit), view));
  }
  if (res == "meetings" && (parts.size() == 3 || parts.size() == 4)) {
    auto opt_text = [](const InJson& body, const char* field,
                       bool& present) -> std::optional<std::string> {
      present = body.contains(field);
      if (!present || body[field].is_null()) return std::nullopt;
      if (!body[field].is_string())
        throw workflow::ValidationError(field, std::string("'") + field + "' must be a string");
      return body[field].get<std::string>();
    };
    auto date_of = [](const InJson& body) {
      const auto d = body.contains("date") && body["date"].is_string()
                         ? workflow::ParseDate(body["date"].get<std::string>())
                         : std::nullopt;
      if (!d) throw workflow::ValidationError("date", "'date' must be a date YYYY-MM-DD");
      return *d;
    };
    if (parts.size() == 3 && m == "GET") {
      const workflow::MeetingFilter f = DecodeMeetingFilter(req.query);
      json items = json::array();
      for (const auto& meeting : deps_.cases.ListMeetings(f)) items.push_back(MeetingJson(meeting));
      return JsonResponse(200, {{"items", items}, {"total", items.size()}});
    }
    if (parts.size() == 3 && m == "POST") {
      const InJson body = ParseBody(req);
      if (!body.is_object())
        throw HttpError{400, "bad_request", "the request body must be a JSON object"};
      workflow::Meeting meeting;
      if (!body.contains("organ") || !body["organ"].is_string())
        throw workflow::ValidationError("organ", "'organ' must be an organ code");
      meeting.organ = body["organ"].get<std::string>();
      meeting.date = date_of(body);
      bool present = false;
      meeting.time = opt_text(body, "time", present);
      meeting.place = opt_text(body, "place", present);
      const auto saved = deps_.cases.AddMeeting(meeting, actor);
      spdlog::info("event=meeting_added id={} organ={} request_id={}", saved.id, saved.organ,
                   req.request_id);
      Response r = JsonResponse(201, MeetingJson(saved));
      r.headers.push_back({"Location", "/api/v1/meetings/" + std::to_string(saved.id)});
      return r;
    }
    if (parts.size() == 4) {
      std::int64_t id = 0;
      try {
        id = ParseId(parts[3]);
      } catch (const HttpError&) {
        throw HttpError{404, "not_found", "no such meeting"};
      }
      if (m == "PATCH") {
        const InJson body = ParseBody(req);
        if (!body.is_object())
          throw HttpError{400, "bad_request", "the request body must be a JSON object"};
        workflow::CaseService::MeetingChange change;
        if (body.contains("date")) change.date = date_of(body);
        bool present = false;
        auto time = opt_text(body, "time", present);
        if (present) change.time = time;
        auto place = opt_text(body, "place", present);
        if (present) change.place = place;
        return JsonResponse(200, MeetingJson(deps_.cases.MoveMeeting(id, change, actor)));
      }
      if (m == "DELETE")
        return JsonResponse(200, MeetingJson(deps_.cases.CancelMeeting(id, actor)));
    }
    return method_not_allowed();
  }
  // Reminders: rules, recipients, webhooks, the notifications feed.
  if (res == "reminder-rules" && (parts.size() == 3 || parts.size() == 4)) {
    if (parts.size() == 3 && m == "GET") {
      const auto rules = deps_.cases.GetReminderRules();
      json items = json::array();
      if (!rules.by_kind.count("*")) items.push_back(ReminderRuleJson(rules.Rule("*")));
      for (const auto& [kind, rule] : rules.by_kind) items.push_back(ReminderRuleJson(rule));
      return JsonResponse(200, {{"items", items}, {"total", items.size()}});
    }
    if (parts.size() == 4 && m == "PUT") {
      const InJson body = ParseBody(req);
      if (!body.is_object())
        throw HttpError{400, "bad_request", "the request body must be a JSON object"};
      for (auto it = body.begin(); it != body.end(); ++it)
        if (it.key() != "days_before" && it.key() != "on_the_day" && it.key() != "overdue_every" &&
            it.key() != "escalate_after" && it.key() != "kind")
          throw workflow::ValidationError(it.key(), "unknown field '" + it.key() + "'");
      workflow::ReminderRule rule = deps_.cases.GetReminderRules().Rule(parts[3]);
      auto int_field = [&](const char* name, int& out) {
        if (!body.contains(name)) return;
        if (!body[name].is_number_integer())
          throw workflow::ValidationError(name,
                                          std::string("'") + name + "' must be a number of days");
        out = body[name].get<int>();
      };
      if (body.contains("days_before")) {
        if (!body["days_before"].is_array())
          throw workflow::ValidationError("days_before", "'days_before' must be a list of days");
        rule.days_before.clear();
        for (const auto& d : body["days_before"]) {
          if (!d.is_number_integer())
            throw workflow::ValidationError("days_before", "'days_before' must be a list of days");
          rule.days_before.push_back(d.get<int>());
        }
      }
      if (body.contains("on_the_day")) {
        if (!body["on_the_day"].is_boolean())
          throw workflow::ValidationError("on_the_day", "'on_the_day' must be true or false");
        rule.on_the_day = body["on_the_day"].get<bool>();
      }
      int_field("overdue_every", rule.overdue_every);
      int_field("escalate_after", rule.escalate_after);
      deps_.cases.SaveReminderRule(rule, actor);
      return JsonResponse(200, ReminderRuleJson(rule));
    }
    return method_not_allowed();
  }
  if ((res == "recipients" || res == "webhooks") && (parts.size() == 3 || parts.size() == 4)) {
    if (!workflow::MayAdminister(actor.role))
      throw HttpError{403, "forbidden", "the role '" + actor.role + "' may not see " + res};
    const bool people = res == "recipients";
    if (parts.size() == 3 && m == "GET") {
      json items = json::array();
      if (people) {
        for (const auto& r : deps_.cases.Recipients()) items.push_back(RecipientJson(r));
      } else {
        for (const auto& w : deps_.cases.Webhooks()) items.push_back(WebhookJson(w, false));
      }
      return JsonResponse(200, {{"items", items}, {"total", items.size()}});
    }
    if (parts.size() == 3 && m == "POST") {
      const InJson body = ParseBody(req);
      if (!body.is_object())
        throw HttpError{400, "bad_request", "the request body must be a JSON object"};
      auto text = [&](const char* name, bool required) -> std::optional<std::string> {
        if (!body.contains(name) || body[name].is_null()) {
          if (required)
            throw workflow::ValidationError(name, std::string("'") + name + "' is required");
          return std::nullopt;
        }
        if (!body[name].is_string())
          throw workflow::ValidationError(name, std::string("'") + name + "' must be a string");
        return body[name].get<std::string>();
      };
      const std::vector<std::string> known =
          people ? std::vector<std::string>{"name", "email", "function", "organ"}
                 : std::vector<std::string>{"url", "secret"};
      for (auto it = body.begin(); it != body.end(); ++it)
        if (std::find(known.begin(), known.end(), it.key()) == known.end())
          throw workflow::ValidationError(it.key(), "unknown field '" + it.key() + "'");
      if (people) {
        workflow::Recipient r;
        r.name = *text("name", true);
        r.email = *text("email", true);
        r.function = *text("function", true);
        r.organ = text("organ", false);
        return JsonResponse(201, RecipientJson(deps_.cases.AddRecipient(r, actor)));
      }
      workflow::Webhook w;
      w.url = *text("url", true);
      w.secret = *text("secret", true);
      return JsonResponse(201, WebhookJson(deps_.cases.AddWebhook(w, actor), true));
    }
    if (parts.size() == 4 && m == "DELETE") {
      const std::int64_t id = ParseId(parts[3]);
      const bool removed =
          people ? deps_.cases.RemoveRecipient(id, actor) : deps_.cases.RemoveWebhook(id, actor);
      if (!removed) throw HttpError{404, "not_found", "no such " + res.substr(0, res.size() - 1)};
      return JsonResponse(200, {{"id", id}, {"active", false}});
    }
    return method_not_allowed();
  }
  if (res == "notifications" && parts.size() == 3) {
    if (m != "GET") return method_not_allowed();
    if (actor.role == "reader")
      throw HttpError{403, "forbidden", "the notifications are for the kansli and handläggare"};
    const workflow::NotificationFilter f = DecodeNotificationFilter(req.query);
    const auto page = deps_.cases.ListNotifications(f);
    json items = json::array();
    for (const auto& n : page.items) items.push_back(NotificationJson(n));
    return JsonResponse(
        200, {{"items", items}, {"total", page.total}, {"limit", f.limit}, {"offset", f.offset}});
  }
  if (res == "deliveries" && parts.size() == 5 && parts[4] == "retry") {
    if (m != "POST") return method_not_allowed();
    if (actor.role != "admin" && actor.role != "registrar")
      throw HttpError{403, "forbidden", "the role '" + actor.role + "' may not retry deliveries"};
    const std::int64_t id = ParseId(parts[3]);
    if (!deps_.outbox.Retry(id, deps_.cases.clock().Now()))
      throw HttpError{
          409, "conflict",
          "delivery " + std::to_string(id) + " is not dead-lettered (or does not exist)"};
    spdlog::info("event=delivery_retry delivery={} request_id={}", id, req.request_id);
    return JsonResponse(200, {{"id", id}, {"status", "pending"}});
  }
  // The KL 5 kap. 35 § report and the calendar feed (api/report_render.h, api/ical.h).
  if (res == "reports" && parts.size() == 4 && parts[3] == "unanswered-motions") {
    if (m != "GET") return method_not_allowed();
    const workflow::Date as_of = DateParam(req.query, "as_of").value_or(today);
    const auto format = ParseReportFormat(TextParam(req.query, "format").value_or("json"));
    if (!format)
      throw HttpError{
          422, "validation_failed", "'format' must be json, csv or html", {{"field", "format"}}};
    const auto doc = RenderUnansweredMotions(deps_.cases.UnansweredMotions(as_of), *format,
                                             view.redact_confidential);
    Response r;
    r.body = doc.body;
    r.content_type = doc.content_type;
    if (!doc.filename.empty())
      r.headers.push_back({"Content-Disposition", "attachment; filename=\"" + doc.filename + "\""});
    if (*format == ReportFormat::kHtml)
      r.headers.push_back(
          {"Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"});
    return r;
  }
  if (res == "calendar.ics" && parts.size() == 3) {
    if (m != "GET") return method_not_allowed();
    const auto feed = deps_.cases.Calendar(TextParam(req.query, "organ"));
    Response r;
    r.body = WriteICalendar(KansliCalendar(feed, view.redact_confidential, deps_.public_url,
                                           deps_.cases.clock().Now()));
    r.content_type = "text/calendar; charset=utf-8";
    return r;
  }
  if (res == "deadlines" && parts.size() == 3) {
    if (m != "GET") return method_not_allowed();
    const workflow::DeadlineFilter f = DecodeDeadlineFilter(req.query);
    const auto page = deps_.cases.ListDeadlines(f);
    json items = json::array();
    for (const auto& item : page.items) {
      const auto& c = item.case_summary;
      json j = DeadlineJson(item.deadline, today);
      j["case"] = CaseSummaryJson(c, view);
      items.push_back(j);
    }
    return JsonResponse(
        200, {{"items", items}, {"total", page.total}, {"limit", f.limit}, {"offset", f.offset}});
  }
  if (res == "cases" && parts.size() == 3) {
    if (m == "GET") {
      const workflow::CaseFilter f =
          DecodeCaseFilter(req.query, deps_.cases.settings().reference_prefix);
      const auto page = deps_.cases.ListCases(f);
      json items = json::array();
      for (const auto& c : page.items) items.push_back(CaseJson(c, view));
      return JsonResponse(
          200, {{"items", items}, {"total", page.total}, {"limit", f.limit}, {"offset", f.offset}});
    }
    if (m == "POST") {
      const InJson body = ParseBody(req);
      const auto cmd = workflow::DecodeRegistration(body);
      auto o = options("POST /cases\n" + body.dump());
      o.render = [&](const workflow::Case& c) {
        return workflow::StoredResponse{201, CaseJson(c, view).dump()};
      };
      const auto started = std::chrono::steady_clock::now();
      const auto r = deps_.cases.Register(cmd, actor, o);
      if (!r.replayed) {
        ++registrations_;
        spdlog::info(
            "event=registered case={} reference=\"{}\" type={} request_id={} duration_ms={}",
            r.changed.id, r.changed.reference, r.changed.type, req.request_id,
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  started)
                .count());
      }
      return respond(r);
    }
    return method_not_allowed();
  }
  if (res == "cases" && parts.size() >= 4) {
    const std::int64_t id = ParseId(parts[3]);
    if (parts.size() == 4) {
      if (m != "GET") return method_not_allowed();
      const auto c = deps_.cases.GetCase(id);
      Response r = JsonResponse(200, CaseJson(c, view));
      r.headers.push_back({"ETag", ETag(c.version)});
      return r;
    }
    const std::string& sub = parts[4];
    if (parts.size() == 5 && sub == "history") {
      if (m != "GET") return method_not_allowed();
      const auto c = deps_.cases.GetCase(id);
      json items = json::array();
      for (const auto& h : deps_.cases.History(id))
        items.push_back(HistoryJson(h, c.type, view.redact_confidential && c.confidential));
      Response r = JsonResponse(200, {{"items", items}, {"total", items.size()}});
      r.headers.push_back({"ETag", ETag(c.version)});
      return r;
    }
    if (parts.size() == 5 && sub == "actions") {
      if (m != "GET") return method_not_allowed();
      const auto c = deps_.cases.GetCase(id);
      json items = json::array();
      for (const auto& a : deps_.cases.Actions(c, actor.role)) items.push_back(ActionJson(a));
      Response r = JsonResponse(200, {{"state", c.state},
                                      {"state_label", workflow::StateLabel(c.type, c.state)},
                                      {"version", c.version},
                                      {"items", items},
                                      {"total", items.size()}});
      r.headers.push_back({"ETag", ETag(c.version)});
      return r;
    }
    if (parts.size() == 5 && sub == "events") {
      if (m != "POST") return method_not_allowed();
      const InJson body = ParseBody(req);
      const auto cmd = workflow::DecodeEvent(body);
      auto o = options("POST /cases/" + std::to_string(id) + "/events\n" + body.dump());
      o.render = [&](const workflow::Case& c) {
        return workflow::StoredResponse{200, CaseJson(c, view).dump()};
      };
      const auto started = std::chrono::steady_clock::now();
      const auto r = deps_.cases.Apply(id, cmd, actor, o);
      if (!r.replayed) {
        ++transitions_;
        spdlog::info(
            "event=transition case={} name={} from={} to={} version={} request_id={} "
            "duration_ms={}",
            id, cmd.event, r.from_state, r.changed.state, r.changed.version, req.request_id,
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  started)
                .count());
      }
      return respond(r);
    }
  }
  throw HttpError{404, "not_found", "no such resource: " + req.path};
}

}  // namespace kansli::api
