// The request body decoders: the JSON parse with its depth limit (api::ParseRequestJson, every
// POST body) and the decoding of a case registration (POST /cases), an event (POST
// /cases/{id}/events) and an organ (POST /organs) in workflow/commands.h.
// Input: a request body.
// Checks, for every input:
//   - the body is refused exactly when it is empty, not JSON, or has a value inside more than
//     kMaxJsonDepth arrays and objects (compared with a plain parse), and an accepted body is
//     the plain parse;
//   - decoding fails only with ValidationError, and never succeeds with a required field missing
//     or malformed, an unknown field, or a rule broken (a motion without submitters, a remiss
//     without sender or answer_by, ...);
//   - a decoded command keeps the values of the body, and encodes (EncodeEvent /
//     EncodeRegistration, as the history stores it) to JSON that decodes to the same command.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "api/json_codec.h"
#include "workflow/commands.h"
#include "workflow/errors.h"

namespace {

using nlohmann::json;
namespace wf = kansli::workflow;

std::string g_input;  // the body being decoded, for the report

[[noreturn]] void Fail(const std::string& what) {
  std::cerr << "fuzz_request_json: " << what << "\n  body: " << g_input << "\n";
  std::abort();
}

// The most arrays and objects that enclose one value (0 for a scalar body).
int Depth(const json& root) {
  int deepest = 0;
  std::vector<std::pair<const json*, int>> todo = {{&root, 0}};
  while (!todo.empty()) {
    const auto [j, d] = todo.back();
    todo.pop_back();
    deepest = std::max(deepest, d);
    if (j->is_structured())
      for (const auto& child : *j) todo.push_back({&child, d + 1});
  }
  return deepest;
}

bool IsCode(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

bool Blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// Present and not null (the decoders treat null as absent).
bool Given(const json& body, const char* key) {
  return body.contains(key) && !body.at(key).is_null();
}

void KnownKeys(const json& body, const std::set<std::string>& known, const char* what) {
  for (auto it = body.begin(); it != body.end(); ++it)
    if (!known.count(it.key())) Fail(std::string(what) + " accepted the unknown field " + it.key());
}

// Every field of the encoded command has the body's value (`special` ones are checked apart).
void SameValues(const json& body, const json& encoded, const std::set<std::string>& special,
                const char* what) {
  for (auto it = encoded.begin(); it != encoded.end(); ++it) {
    if (special.count(it.key())) continue;
    if (!body.contains(it.key()) || body.at(it.key()) != it.value())
      Fail(std::string(what) + " changed '" + it.key() + "' to " + it.value().dump());
  }
}

void CheckEvent(const json& body) {
  wf::EventCommand e;
  try {
    e = wf::DecodeEvent(body);
  } catch (const wf::ValidationError& err) {
    if (std::string(err.what()).empty()) Fail("a ValidationError without a message");
    return;
  }
  if (!body.is_object()) Fail("DecodeEvent accepted a body that is not an object");
  KnownKeys(body,
            {"event",     "date",       "organ",    "meeting", "paragraph",    "text",   "to",
             "consult",   "assignee",   "due",      "from",    "outcome",      "reason", "officer",
             "answer_by", "delegation", "document", "vote",    "reservations", "clauses"},
            "DecodeEvent");
  if (!IsCode(e.event)) Fail("DecodeEvent accepted the event '" + e.event + "'");
  if (!IsCode(e.organ)) Fail("DecodeEvent accepted the organ '" + e.organ + "'");
  if (e.meeting && *e.meeting < 1) Fail("DecodeEvent accepted a meeting id below 1");
  for (const auto* code : {&e.to, &e.assignee, &e.from})
    if (*code && !IsCode(**code)) Fail("DecodeEvent accepted the code '" + **code + "'");
  for (const auto& c : e.consult)
    if (!IsCode(c)) Fail("DecodeEvent accepted the consulted organ '" + c + "'");
  if (e.outcome &&
      std::find(wf::kOutcomes.begin(), wf::kOutcomes.end(), *e.outcome) == wf::kOutcomes.end())
    Fail("DecodeEvent accepted the outcome '" + *e.outcome + "'");
  if (e.text && e.text->size() > 20000) Fail("DecodeEvent accepted a text over 20000 bytes");
  if (e.document && Blank(e.document->title)) Fail("DecodeEvent accepted a document without title");
  if (e.vote && (e.vote->yes < 0 || e.vote->no < 0 || e.vote->abstain < 0))
    Fail("DecodeEvent accepted a negative vote");
  if (e.consult.size() > 200 || e.reservations.size() > 200 || e.clauses.size() > 200)
    Fail("DecodeEvent accepted a list over 200 entries");

  const json encoded = wf::EncodeEvent(e);
  SameValues(body, encoded, {"consult", "document", "vote"}, "DecodeEvent");
  if (!e.consult.empty()) {
    std::vector<std::string> unique;
    for (const auto& c : body.at("consult"))
      if (std::find(unique.begin(), unique.end(), c.get<std::string>()) == unique.end())
        unique.push_back(c.get<std::string>());
    if (unique != e.consult) Fail("DecodeEvent did not keep the consulted organs in order");
  } else if (Given(body, "consult") && !body.at("consult").empty()) {
    Fail("DecodeEvent dropped the consulted organs");
  }
  if (e.document) {
    const json& d = body.at("document");
    if (d.at("title") != e.document->title) Fail("DecodeEvent changed the document title");
    if (e.document->type != (Given(d, "type") ? d.at("type").get<std::string>() : "other"))
      Fail("DecodeEvent changed the document type");
    if (e.document->date.has_value() != Given(d, "date"))
      Fail("DecodeEvent changed the document date");
  }
  if (e.vote) {
    const json& v = body.at("vote");
    if (v.at("yes") != e.vote->yes || v.at("no") != e.vote->no ||
        (Given(v, "abstain") ? v.at("abstain") != e.vote->abstain : e.vote->abstain != 0))
      Fail("DecodeEvent changed the vote");
  }
  for (const char* k : {"event", "organ", "date", "meeting", "paragraph", "text", "to", "assignee",
                        "due", "from", "outcome", "reason", "officer", "answer_by", "delegation",
                        "document", "vote", "reservations", "clauses"}) {
    const bool empty_list = Given(body, k) && body.at(k).is_array() && body.at(k).empty();
    if (Given(body, k) && !empty_list && !encoded.contains(k))
      Fail(std::string("DecodeEvent dropped '") + k + "'");
  }

  wf::EventCommand again;
  try {
    again = wf::DecodeEvent(encoded);
  } catch (const wf::ValidationError& err) {
    Fail("an encoded event does not decode: " + std::string(err.what()) + " in " + encoded.dump());
  }
  if (wf::EncodeEvent(again) != encoded) Fail("an encoded event decodes to another event");
}

void CheckRegistration(const json& body) {
  wf::RegisterCommand c;
  try {
    c = wf::DecodeRegistration(body);
  } catch (const wf::ValidationError& err) {
    if (std::string(err.what()).empty()) Fail("a ValidationError without a message");
    return;
  }
  if (!body.is_object()) Fail("DecodeRegistration accepted a body that is not an object");
  KnownKeys(body,
            {"type", "title", "received", "reference", "submitters", "sender", "answer_by",
             "officer", "notes", "confidential", "to"},
            "DecodeRegistration");
  if (c.type != "motion" && c.type != "remiss")
    Fail("DecodeRegistration accepted the type '" + c.type + "'");
  if (Blank(c.title)) Fail("DecodeRegistration accepted a blank title");
  if (!c.received.ok()) Fail("DecodeRegistration accepted an invalid date received");
  if (c.type == "motion") {
    if (c.submitters.empty()) Fail("a motion registered without submitters");
    for (const auto& s : c.submitters)
      if (Blank(s.name)) Fail("a motion registered with a blank submitter");
    if (c.sender || c.answer_by || c.to) Fail("a motion registered with a remiss's fields");
  } else {
    if (!c.sender || Blank(*c.sender)) Fail("a remiss registered without sender");
    if (!c.answer_by) Fail("a remiss registered without answer_by");
    if (!c.submitters.empty()) Fail("a remiss registered with submitters");
  }
  if (c.to && !IsCode(*c.to)) Fail("DecodeRegistration accepted the organ '" + *c.to + "'");

  const json encoded = wf::EncodeRegistration(c);
  SameValues(body, encoded, {"submitters", "confidential"}, "DecodeRegistration");
  if (c.confidential != (Given(body, "confidential") && body.at("confidential") == true))
    Fail("DecodeRegistration changed 'confidential'");
  if (Given(body, "submitters")) {
    const json& subs = body.at("submitters");
    if (subs.size() != c.submitters.size()) Fail("DecodeRegistration changed the submitters");
    for (std::size_t i = 0; i < subs.size(); ++i) {
      const std::string party =
          Given(subs[i], "party") ? subs[i].at("party").get<std::string>() : "";
      if (subs[i].at("name") != c.submitters[i].name || party != c.submitters[i].party)
        Fail("DecodeRegistration changed a submitter");
    }
  }
  for (const char* k :
       {"type", "title", "received", "reference", "sender", "answer_by", "officer", "notes", "to"})
    if (Given(body, k) && !encoded.contains(k))
      Fail(std::string("DecodeRegistration dropped '") + k + "'");

  wf::RegisterCommand again;
  try {
    again = wf::DecodeRegistration(encoded);
  } catch (const wf::ValidationError& err) {
    Fail("an encoded registration does not decode: " + std::string(err.what()) + " in " +
         encoded.dump());
  }
  if (wf::EncodeRegistration(again) != encoded)
    Fail("an encoded registration decodes to another registration");
}

void CheckOrgan(const json& body) {
  wf::Organ o;
  try {
    o = wf::DecodeOrgan(body);
  } catch (const wf::ValidationError& err) {
    if (std::string(err.what()).empty()) Fail("a ValidationError without a message");
    return;
  }
  KnownKeys(body, {"code", "name", "kind", "parent", "presidium"}, "DecodeOrgan");
  if (!IsCode(o.code) || Blank(o.name) ||
      std::find(wf::kOrganKinds.begin(), wf::kOrganKinds.end(), o.kind) == wf::kOrganKinds.end())
    Fail("DecodeOrgan accepted a bad code, name or kind");
  if ((o.parent && !IsCode(*o.parent)) || (o.presidium && !IsCode(*o.presidium)))
    Fail("DecodeOrgan accepted a bad parent or presidium");
  if (body.at("code") != o.code || body.at("name") != o.name || body.at("kind") != o.kind)
    Fail("DecodeOrgan changed a value");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  g_input.assign(reinterpret_cast<const char*>(data), size);
  const json plain = json::parse(g_input, nullptr, /*allow_exceptions=*/false);
  const bool acceptable =
      !g_input.empty() && !plain.is_discarded() && Depth(plain) <= kansli::api::kMaxJsonDepth;
  json body;
  try {
    body = kansli::api::ParseRequestJson(g_input);
  } catch (const kansli::api::MalformedJson& e) {
    if (acceptable) Fail(std::string("refused an acceptable body: ") + e.what());
    if (std::string(e.what()).empty()) Fail("refused without a reason");
    return 0;
  }
  if (!acceptable)
    Fail(plain.is_discarded() ? "accepted a body that is not JSON"
                              : "accepted JSON nested " + std::to_string(Depth(plain)) + " deep");
  if (body != plain) Fail("the accepted body differs from the plain parse");

  CheckEvent(body);
  CheckRegistration(body);
  CheckOrgan(body);
  return 0;
}
