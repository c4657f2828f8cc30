#include "workflow/commands.h"

#include <algorithm>
#include <set>

#include "workflow/errors.h"

namespace kansli::workflow {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxText = 20000;
constexpr std::size_t kMaxShort = 500;

bool IsCode(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// Field readers: each names the field in its error.
class Reader {
 public:
  Reader(const json& obj, std::string prefix) : obj_(obj), prefix_(std::move(prefix)) {
    if (!obj_.is_object()) throw ValidationError(Name(""), Where("") + "must be a JSON object");
  }

  void RejectUnknown(const std::set<std::string>& known) const {
    for (auto it = obj_.begin(); it != obj_.end(); ++it) {
      if (!known.count(it.key()))
        throw ValidationError(Name(it.key()), "unknown field '" + Name(it.key()) + "'");
    }
  }

  bool Has(const std::string& key) const {
    auto it = obj_.find(key);
    return it != obj_.end() && !it->is_null();
  }

  std::optional<std::string> Text(const std::string& key, std::size_t max = kMaxShort,
                                  bool required = false) const {
    if (!Has(key)) {
      if (required) throw ValidationError(Name(key), "'" + Name(key) + "' is required");
      return std::nullopt;
    }
    const json& v = obj_.at(key);
    if (!v.is_string()) throw ValidationError(Name(key), "'" + Name(key) + "' must be a string");
    std::string s = v.get<std::string>();
    if (s.size() > max)
      throw ValidationError(Name(key),
                            "'" + Name(key) + "' is longer than " + std::to_string(max) + " bytes");
    if (required && Blank(s))
      throw ValidationError(Name(key), "'" + Name(key) + "' must not be empty");
    return s;
  }

  std::string Required(const std::string& key, std::size_t max = kMaxShort) const {
    return *Text(key, max, true);
  }

  std::optional<std::string> Code(const std::string& key, bool required = false) const {
    auto s = Text(key, 64, required);
    if (s && !IsCode(*s))
      throw ValidationError(Name(key),
                            "'" + Name(key) + "' must be a lower-case code such as \"fs\"");
    return s;
  }

  std::optional<std::string> OneOf(const std::string& key, const std::vector<std::string>& allowed,
                                   bool required = false) const {
    auto s = Text(key, 64, required);
    if (s && std::find(allowed.begin(), allowed.end(), *s) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw ValidationError(Name(key), "'" + Name(key) + "' must be one of: " + list);
    }
    return s;
  }

  std::optional<Date> DateField(const std::string& key, bool required = false) const {
    auto s = Text(key, 64, required);
    if (!s) return std::nullopt;
    auto d = ParseDate(*s);
    if (!d)
      throw ValidationError(Name(key),
                            "'" + Name(key) + "' must be a date YYYY-MM-DD, got \"" + *s + "\"");
    return d;
  }

  std::optional<bool> Bool(const std::string& key) const {
    if (!Has(key)) return std::nullopt;
    if (!obj_.at(key).is_boolean())
      throw ValidationError(Name(key), "'" + Name(key) + "' must be true or false");
    return obj_.at(key).get<bool>();
  }

  int Int(const std::string& key, bool required = false) const {
    if (!Has(key)) {
      if (required) throw ValidationError(Name(key), "'" + Name(key) + "' is required");
      return 0;
    }
    const json& v = obj_.at(key);
    if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > 100000)
      throw ValidationError(Name(key), "'" + Name(key) + "' must be a non-negative integer");
    return v.get<int>();
  }

  // The array at `key` (empty when absent); each element checked by the caller.
  const json& Array(const std::string& key) const {
    static const json kEmpty = json::array();
    if (!Has(key)) return kEmpty;
    const json& v = obj_.at(key);
    if (!v.is_array()) throw ValidationError(Name(key), "'" + Name(key) + "' must be a list");
    if (v.size() > 200)
      throw ValidationError(Name(key), "'" + Name(key) + "' has more than 200 entries");
    return v;
  }

  const json& Object(const std::string& key) const { return obj_.at(key); }

  std::string Name(const std::string& key) const {
    if (prefix_.empty()) return key;
    if (key.empty()) return prefix_;
    return prefix_ + "." + key;
  }

 private:
  static bool Blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
  }
  std::string Where(const std::string& key) const {
    auto n = Name(key);
    return n.empty() ? "the body " : "'" + n + "' ";
  }

  const json& obj_;
  std::string prefix_;
};

std::vector<std::string> Codes(const Reader& r, const std::string& key) {
  std::vector<std::string> out;
  const json& arr = r.Array(key);
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string name = r.Name(key) + "[" + std::to_string(i) + "]";
    if (!arr[i].is_string() || !IsCode(arr[i].get<std::string>()))
      throw ValidationError(name, "'" + name + "' must be an organ code such as \"fs\"");
    const auto code = arr[i].get<std::string>();
    if (std::find(out.begin(), out.end(), code) == out.end()) out.push_back(code);
  }
  return out;
}

}  // namespace

EventCommand DecodeEvent(const json& body) {
  Reader r(body, "");
  r.RejectUnknown({"event",      "date",     "organ",   "meeting",      "paragraph",
                   "text",       "to",       "consult", "assignee",     "due",
                   "from",       "outcome",  "reason",  "officer",      "answer_by",
                   "delegation", "document", "vote",    "reservations", "clauses"});
  EventCommand e;
  e.event = *r.Code("event", true);
  e.date = r.DateField("date");
  e.organ = *r.Code("organ", true);
  e.paragraph = r.Text("paragraph", 64);
  if (r.Has("meeting")) {
    const json& m = r.Object("meeting");
    if (!m.is_number_integer() || m.get<long long>() < 1)
      throw ValidationError("meeting", "'meeting' must be a meeting id (a positive integer)");
    e.meeting = m.get<std::int64_t>();
  }
  e.text = r.Text("text", kMaxText);
  e.to = r.Code("to");
  e.consult = Codes(r, "consult");
  e.assignee = r.Code("assignee");
  e.due = r.DateField("due");
  e.from = r.Code("from");
  e.outcome = r.OneOf("outcome", kOutcomes);
  e.reason = r.Text("reason", kMaxText);
  e.officer = r.Text("officer");
  e.answer_by = r.DateField("answer_by");
  e.delegation = r.Text("delegation", 64);
  if (r.Has("document")) {
    Reader d(r.Object("document"), "document");
    d.RejectUnknown({"title", "date", "type"});
    Document doc;
    doc.title = d.Required("title");
    doc.date = d.DateField("date");
    doc.type = d.OneOf("type", kDocumentTypes).value_or("other");
    e.document = doc;
  }
  if (r.Has("vote")) {
    Reader v(r.Object("vote"), "vote");
    v.RejectUnknown({"yes", "no", "abstain"});
    e.vote = Vote{v.Int("yes", true), v.Int("no", true), v.Int("abstain")};
  }
  const json& res = r.Array("reservations");
  for (std::size_t i = 0; i < res.size(); ++i) {
    if (!res[i].is_string() || res[i].get<std::string>().size() > kMaxText) {
      const std::string name = "reservations[" + std::to_string(i) + "]";
      throw ValidationError(name, "'" + name + "' must be a text");
    }
    e.reservations.push_back(res[i].get<std::string>());
  }
  const json& cl = r.Array("clauses");
  for (std::size_t i = 0; i < cl.size(); ++i) {
    Reader c(cl[i], "clauses[" + std::to_string(i) + "]");
    c.RejectUnknown({"clause", "outcome"});
    e.clauses.push_back(ClauseOutcome{c.Int("clause", true), *c.OneOf("outcome", kOutcomes, true)});
  }
  return e;
}

RegisterCommand DecodeRegistration(const json& body) {
  Reader r(body, "");
  r.RejectUnknown({"type", "title", "received", "reference", "submitters", "sender", "answer_by",
                   "officer", "notes", "confidential", "to"});
  RegisterCommand c;
  c.type = *r.OneOf("type", {"motion", "remiss"}, true);
  c.title = r.Required("title");
  c.received = *r.DateField("received", true);
  c.reference = r.Text("reference", 64);
  const json& subs = r.Array("submitters");
  for (std::size_t i = 0; i < subs.size(); ++i) {
    Reader s(subs[i], "submitters[" + std::to_string(i) + "]");
    s.RejectUnknown({"name", "party"});
    c.submitters.push_back(Submitter{s.Required("name"), s.Text("party", 32).value_or("")});
  }
  c.sender = r.Text("sender");
  c.answer_by = r.DateField("answer_by");
  c.officer = r.Text("officer");
  c.notes = r.Text("notes", kMaxText);
  c.confidential = r.Bool("confidential").value_or(false);
  c.to = r.Code("to");
  if (c.type == "motion") {
    if (c.submitters.empty())
      throw ValidationError("submitters", "a motion needs at least one submitter in 'submitters'");
    for (const char* f : {"sender", "answer_by", "to"})
      if (r.Has(f))
        throw ValidationError(f, std::string("'") + f + "' applies to a remiss, not a motion");
  } else {
    if (!c.sender || c.sender->find_first_not_of(" \t\r\n") == std::string::npos)
      throw ValidationError("sender", "a remiss needs 'sender'");
    if (!c.answer_by) throw ValidationError("answer_by", "a remiss needs 'answer_by'");
    if (!c.submitters.empty())
      throw ValidationError("submitters", "'submitters' applies to a motion, not a remiss");
  }
  return c;
}

Organ DecodeOrgan(const json& body) {
  Reader r(body, "");
  r.RejectUnknown({"code", "name", "kind", "parent", "presidium"});
  Organ o;
  o.code = *r.Code("code", true);
  o.name = r.Required("name");
  o.kind = *r.OneOf("kind", kOrganKinds, true);
  o.parent = r.Code("parent");
  o.presidium = r.Code("presidium");
  return o;
}

json EncodeEvent(const EventCommand& e) {
  json j = json::object();
  j["event"] = e.event;
  if (e.date) j["date"] = FormatDate(*e.date);
  j["organ"] = e.organ;
  if (e.meeting) j["meeting"] = *e.meeting;
  if (e.paragraph) j["paragraph"] = *e.paragraph;
  if (e.text) j["text"] = *e.text;
  if (e.to) j["to"] = *e.to;
  if (!e.consult.empty()) j["consult"] = e.consult;
  if (e.assignee) j["assignee"] = *e.assignee;
  if (e.due) j["due"] = FormatDate(*e.due);
  if (e.from) j["from"] = *e.from;
  if (e.outcome) j["outcome"] = *e.outcome;
  if (e.reason) j["reason"] = *e.reason;
  if (e.officer) j["officer"] = *e.officer;
  if (e.answer_by) j["answer_by"] = FormatDate(*e.answer_by);
  if (e.delegation) j["delegation"] = *e.delegation;
  if (e.document) {
    json d = {{"title", e.document->title}, {"type", e.document->type}};
    if (e.document->date) d["date"] = FormatDate(*e.document->date);
    j["document"] = d;
  }
  if (e.vote) j["vote"] = {{"yes", e.vote->yes}, {"no", e.vote->no}, {"abstain", e.vote->abstain}};
  if (!e.reservations.empty()) j["reservations"] = e.reservations;
  if (!e.clauses.empty()) {
    json cl = json::array();
    for (const auto& c : e.clauses) cl.push_back({{"clause", c.clause}, {"outcome", c.outcome}});
    j["clauses"] = cl;
  }
  return j;
}

json EncodeRegistration(const RegisterCommand& r) {
  json j = {{"type", r.type}, {"title", r.title}, {"received", FormatDate(r.received)}};
  if (r.reference) j["reference"] = *r.reference;
  if (!r.submitters.empty()) {
    json s = json::array();
    for (const auto& m : r.submitters) s.push_back({{"name", m.name}, {"party", m.party}});
    j["submitters"] = s;
  }
  if (r.sender) j["sender"] = *r.sender;
  if (r.answer_by) j["answer_by"] = FormatDate(*r.answer_by);
  if (r.officer) j["officer"] = *r.officer;
  if (r.notes) j["notes"] = *r.notes;
  if (r.confidential) j["confidential"] = true;
  if (r.to) j["to"] = *r.to;
  return j;
}

}  // namespace kansli::workflow
