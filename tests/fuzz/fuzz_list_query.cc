// The query parameters of the list endpoints (api/json_codec.h): GET /cases, /deadlines,
// /notifications and /meetings, decoded into their filters.
// Input: one byte choosing the endpoint, then a query string "name=value&name=value" (already
// percent-decoded, as the transport hands it over; a later name wins, a value may hold any byte).
// Checks, for every input, against a plain restatement of api.md's rules for each parameter:
//   - the filter is decoded exactly when every parameter is valid, and otherwise the
//     ValidationError names the first invalid parameter (in the documented order);
//   - a decoded filter holds the given values (the defaults when absent), a reference in its
//     normalised form, and a limit and offset within their ranges.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "api/json_codec.h"
#include "workflow/errors.h"
#include "workflow/reference.h"

namespace {

namespace api = kansli::api;
namespace wf = kansli::workflow;

std::string g_input;

[[noreturn]] void Fail(const std::string& what) {
  std::cerr << "fuzz_list_query: " << what << "\n  query: " << g_input << "\n";
  std::abort();
}

std::optional<std::string> Get(const api::QueryParams& q, const std::string& name) {
  const auto it = q.find(name);
  if (it == q.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// The rules restated: each returns whether the parameter is acceptable and, through `out`, its
// value.
bool IntOk(const api::QueryParams& q, const std::string& name, long long min, long long max,
           long long def, long long& out) {
  const auto v = Get(q, name);
  out = def;
  if (!v) return true;
  if (v->size() > 9) return false;
  long long n = 0;
  for (char c : *v) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  out = n;
  return n >= min && n <= max;
}

bool BoolOk(const api::QueryParams& q, const std::string& name) {
  const auto v = Get(q, name);
  return !v || *v == "true" || *v == "false";
}

std::optional<bool> BoolValue(const api::QueryParams& q, const std::string& name) {
  const auto v = Get(q, name);
  if (!v) return std::nullopt;
  return *v == "true";
}

bool DateOk(const api::QueryParams& q, const std::string& name) {
  const auto v = Get(q, name);
  return !v || wf::ParseDate(*v).has_value();
}

bool OneOf(const api::QueryParams& q, const std::string& name,
           const std::vector<std::string>& allowed) {
  const auto v = Get(q, name);
  if (!v) return true;
  for (const auto& a : allowed)
    if (*v == a) return true;
  return false;
}

// The first invalid parameter, in the order the rules are checked; "" when all are valid.
struct Rules {
  std::string first_invalid;
  void Check(bool ok, const std::string& name) {
    if (!ok && first_invalid.empty()) first_invalid = name;
  }
};

// Runs `decode`; checks that it succeeds exactly when `expected_invalid` is empty, and fails
// naming that parameter otherwise. Returns whether it succeeded.
template <typename Filter, typename Decode>
std::optional<Filter> Run(const std::string& expected_invalid, Decode decode) {
  try {
    Filter f = decode();
    if (!expected_invalid.empty())
      Fail("accepted the invalid parameter '" + expected_invalid + "'");
    return f;
  } catch (const wf::ValidationError& e) {
    if (expected_invalid.empty())
      Fail("refused a valid query: " + e.field() + ": " + std::string(e.what()));
    if (e.field() != expected_invalid)
      Fail("named '" + e.field() + "', but the first invalid parameter is '" + expected_invalid +
           "'");
    if (std::string(e.what()).find(e.field()) == std::string::npos)
      Fail("the message does not name the parameter: " + std::string(e.what()));
    return std::nullopt;
  }
}

void CheckPage(int limit, int offset, long long want_limit, long long want_offset, int max_limit) {
  if (limit != want_limit || offset != want_offset) Fail("limit or offset not as given");
  if (limit < 1 || limit > max_limit || offset < 0 || offset > 100000000)
    Fail("limit or offset out of range");
}

void Cases(const api::QueryParams& q, const std::string& prefix) {
  Rules r;
  long long year = 0, limit = 0, offset = 0;
  r.Check(OneOf(q, "type", {"motion", "remiss"}), "type");
  r.Check(BoolOk(q, "overdue"), "overdue");
  r.Check(!Get(q, "q") || Get(q, "q")->size() <= 200, "q");
  r.Check(IntOk(q, "year", 1900, 2999, 0, year), "year");
  const auto ref = Get(q, "reference");
  const auto parsed = ref ? wf::ParseReference(*ref, prefix) : std::nullopt;
  r.Check(!ref || parsed.has_value(), "reference");
  r.Check(IntOk(q, "limit", 1, 500, 50, limit), "limit");
  r.Check(IntOk(q, "offset", 0, 100000000, 0, offset), "offset");
  const auto f =
      Run<wf::CaseFilter>(r.first_invalid, [&] { return api::DecodeCaseFilter(q, prefix); });
  if (!f) return;
  if (f->type != Get(q, "type") || f->state != Get(q, "state") || f->organ != Get(q, "organ") ||
      f->q != Get(q, "q") || f->overdue != BoolValue(q, "overdue"))
    Fail("a text or true/false parameter not as given");
  if (f->year != (Get(q, "year") ? std::optional<int>(static_cast<int>(year)) : std::nullopt))
    Fail("year not as given");
  if (ref) {
    if (!f->reference || *f->reference != parsed->ToString())
      Fail("reference not normalised: " + f->reference.value_or("(none)"));
    const auto again = wf::ParseReference(*f->reference, prefix);
    if (!again || again->ToString() != *f->reference)
      Fail("the normalised reference does not normalise to itself: " + *f->reference);
  } else if (f->reference) {
    Fail("a reference without the parameter");
  }
  CheckPage(f->limit, f->offset, limit, offset, 500);
}

void Deadlines(const api::QueryParams& q) {
  Rules r;
  long long limit = 0, offset = 0;
  r.Check(BoolOk(q, "overdue"), "overdue");
  r.Check(DateOk(q, "due_before"), "due_before");
  r.Check(IntOk(q, "limit", 1, 500, 50, limit), "limit");
  r.Check(IntOk(q, "offset", 0, 100000000, 0, offset), "offset");
  const auto f =
      Run<wf::DeadlineFilter>(r.first_invalid, [&] { return api::DecodeDeadlineFilter(q); });
  if (!f) return;
  if (f->organ != Get(q, "organ") || f->kind != Get(q, "kind") || f->type != Get(q, "type") ||
      f->overdue != BoolValue(q, "overdue"))
    Fail("a text or true/false parameter not as given");
  const auto due = Get(q, "due_before");
  if (f->due_before != (due ? wf::ParseDate(*due) : std::nullopt)) Fail("due_before not as given");
  CheckPage(f->limit, f->offset, limit, offset, 500);
}

void Notifications(const api::QueryParams& q) {
  Rules r;
  long long id = 0, limit = 0, offset = 0;
  r.Check(IntOk(q, "case", 1, 2000000000, 0, id), "case");
  r.Check(OneOf(q, "status", {"pending", "sent", "dead"}), "status");
  r.Check(IntOk(q, "limit", 1, 500, 50, limit), "limit");
  r.Check(IntOk(q, "offset", 0, 100000000, 0, offset), "offset");
  const auto f = Run<wf::NotificationFilter>(r.first_invalid,
                                             [&] { return api::DecodeNotificationFilter(q); });
  if (!f) return;
  if (f->case_id != (Get(q, "case") ? std::optional<std::int64_t>(id) : std::nullopt))
    Fail("case not as given");
  if (f->status != Get(q, "status")) Fail("status not as given");
  CheckPage(f->limit, f->offset, limit, offset, 500);
}

void Meetings(const api::QueryParams& q) {
  Rules r;
  r.Check(DateOk(q, "from"), "from");
  r.Check(DateOk(q, "to"), "to");
  r.Check(BoolOk(q, "include_cancelled"), "include_cancelled");
  const auto f =
      Run<wf::MeetingFilter>(r.first_invalid, [&] { return api::DecodeMeetingFilter(q); });
  if (!f) return;
  const auto from = Get(q, "from"), to = Get(q, "to");
  if (f->organ != Get(q, "organ") || f->from != (from ? wf::ParseDate(*from) : std::nullopt) ||
      f->to != (to ? wf::ParseDate(*to) : std::nullopt) ||
      f->include_cancelled != BoolValue(q, "include_cancelled").value_or(false))
    Fail("a parameter not as given");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  g_input.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  api::QueryParams q;
  std::size_t start = 0;
  while (start <= g_input.size()) {
    auto end = g_input.find('&', start);
    if (end == std::string::npos) end = g_input.size();
    const std::string pair = g_input.substr(start, end - start);
    const auto eq = pair.find('=');
    if (!pair.empty()) {
      if (eq == std::string::npos)
        q[pair] = "";
      else
        q[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
    start = end + 1;
  }
  switch (data[0] % 5) {
    case 0:
      Cases(q, "RJL");
      break;
    case 1:
      Cases(q, "KS");
      break;
    case 2:
      Deadlines(q);
      break;
    case 3:
      Notifications(q);
      break;
    default:
      Meetings(q);
  }
  return 0;
}
