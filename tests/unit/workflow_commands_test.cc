// Decoding the two command bodies (workflow/commands.h): required fields,
// the field a ValidationError names, unknown fields, types, dates and codes.
#include "workflow/commands.h"

#include <functional>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "workflow/errors.h"

namespace kansli::workflow {
namespace {

using nlohmann::json;
using namespace date::literals;

// The field named by the ValidationError that `f` throws; a marker otherwise.
std::string FieldOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ValidationError& e) {
    return e.field();
  }
  return "<no ValidationError>";
}

std::string EventField(const json& body) {
  return FieldOf([&] { DecodeEvent(body); });
}

std::string RegistrationField(const json& body) {
  return FieldOf([&] { DecodeRegistration(body); });
}

json Motion() {
  return json::parse(R"({"type": "motion", "title": "Kultur för hälsa", "received": "2021-06-15",
    "submitters": [{"name": "Kristina Nero", "party": "V"}, {"name": "Mikael Ekvall", "party": "V"}]})");
}

json Remiss() {
  return json::parse(R"({"type": "remiss",
    "title": "Audiovisuell strategi Regionsamverkan Sydsverige", "received": "2022-08-11",
    "sender": "Regionsamverkan Sydsverige", "answer_by": "2022-10-31"})");
}

json Distribute() {
  return json::parse(R"({"event": "distribute", "date": "2021-08-19", "organ": "rf-pres",
    "paragraph": "§ 23", "to": "fs", "consult": [],
    "text": "Motionen fördelas till nämnd för folkhälsa och sjukvård"})");
}

// --- registration ----------------------------------------------------------

TEST_CASE("DecodeRegistration reads a motion body") {
  const RegisterCommand c = DecodeRegistration(Motion());
  CHECK(c.type == "motion");
  CHECK(c.title == "Kultur för hälsa");
  CHECK(c.received == 2021_y / 6 / 15);
  REQUIRE(c.submitters.size() == 2);
  CHECK(c.submitters[0].name == "Kristina Nero");
  CHECK(c.submitters[0].party == "V");
  CHECK(c.submitters[1].name == "Mikael Ekvall");
  CHECK_FALSE(c.reference.has_value());
  CHECK_FALSE(c.sender.has_value());
  CHECK_FALSE(c.answer_by.has_value());
  CHECK_FALSE(c.to.has_value());
  CHECK(c.confidential == false);
}

TEST_CASE("DecodeRegistration reads a remiss body with the optional fields") {
  json body = Remiss();
  body["reference"] = "Dnr. RJL 2022/2018";
  body["officer"] = "Anna Handläggare";
  body["notes"] = "Inkom via e-post";
  body["confidential"] = true;
  body["to"] = "ana";
  const RegisterCommand c = DecodeRegistration(body);
  CHECK(c.type == "remiss");
  CHECK(c.sender == std::optional<std::string>("Regionsamverkan Sydsverige"));
  CHECK(c.answer_by == std::optional<Date>(2022_y / 10 / 31));
  CHECK(c.reference == std::optional<std::string>("Dnr. RJL 2022/2018"));  // normalised later
  CHECK(c.officer == std::optional<std::string>("Anna Handläggare"));
  CHECK(c.notes == std::optional<std::string>("Inkom via e-post"));
  CHECK(c.confidential == true);
  CHECK(c.to == std::optional<std::string>("ana"));
  CHECK(c.submitters.empty());
}

TEST_CASE("DecodeRegistration keeps a submitter without a party as an empty party") {
  json body = Motion();
  body["submitters"] = json::array({{{"name", "Pontus Lundgren"}}});
  const RegisterCommand c = DecodeRegistration(body);
  REQUIRE(c.submitters.size() == 1);
  CHECK(c.submitters[0].party == "");
}

TEST_CASE("DecodeRegistration names each missing required field") {
  for (const char* field : {"type", "title", "received"}) {
    json body = Motion();
    body.erase(field);
    CHECK(RegistrationField(body) == field);
  }
  json null_title = Motion();
  null_title["title"] = nullptr;
  CHECK(RegistrationField(null_title) == "title");
  json blank_title = Motion();
  blank_title["title"] = "   ";
  CHECK(RegistrationField(blank_title) == "title");
}

TEST_CASE("DecodeRegistration rejects a body that is not an object") {
  CHECK(RegistrationField(json::array()) == "");
  CHECK(RegistrationField(json("motion")) == "");
}

TEST_CASE("DecodeRegistration names the offending submitter's field") {
  json body = Motion();
  body["submitters"][1].erase("name");
  CHECK(RegistrationField(body) == "submitters[1].name");

  json wrong_type = Motion();
  wrong_type["submitters"][0]["party"] = 5;
  CHECK(RegistrationField(wrong_type) == "submitters[0].party");

  json not_object = Motion();
  not_object["submitters"][1] = "Mikael Ekvall";
  CHECK(RegistrationField(not_object) == "submitters[1]");

  json unknown = Motion();
  unknown["submitters"][0]["email"] = "x@example.se";
  CHECK(RegistrationField(unknown) == "submitters[0].email");

  json not_list = Motion();
  not_list["submitters"] = "Kristina Nero";
  CHECK(RegistrationField(not_list) == "submitters");
}

TEST_CASE("DecodeRegistration rejects an unknown field and names it") {
  json body = Motion();
  body["titel"] = "Kultur för hälsa";
  CHECK(RegistrationField(body) == "titel");
  try {
    DecodeRegistration(body);
    FAIL("no exception");
  } catch (const ValidationError& e) {
    CHECK(std::string(e.what()).find("titel") != std::string::npos);
  }
}

TEST_CASE("DecodeRegistration rejects fields of the wrong JSON type") {
  json title = Motion();
  title["title"] = 42;
  CHECK(RegistrationField(title) == "title");
  json confidential = Motion();
  confidential["confidential"] = "yes";
  CHECK(RegistrationField(confidential) == "confidential");
  json received = Motion();
  received["received"] = 20210615;
  CHECK(RegistrationField(received) == "received");
}

TEST_CASE("DecodeRegistration rejects a type that is neither motion nor remiss") {
  json body = Motion();
  body["type"] = "skrivelse";
  CHECK(RegistrationField(body) == "type");
}

TEST_CASE("DecodeRegistration rejects dates in the wrong format or that do not exist") {
  for (const char* bad : {"2021-6-15", "15/06/2021", "2023-02-30", "", "idag"}) {
    INFO("received: ", bad);
    json body = Motion();
    body["received"] = bad;
    CHECK(RegistrationField(body) == "received");
  }
  json answer_by = Remiss();
  answer_by["answer_by"] = "2022-10-32";
  CHECK(RegistrationField(answer_by) == "answer_by");
}

TEST_CASE("DecodeRegistration requires a submitter on a motion") {
  json none = Motion();
  none.erase("submitters");
  CHECK(RegistrationField(none) == "submitters");
  json empty = Motion();
  empty["submitters"] = json::array();
  CHECK(RegistrationField(empty) == "submitters");
}

TEST_CASE("DecodeRegistration requires sender and answer_by on a remiss") {
  json no_sender = Remiss();
  no_sender.erase("sender");
  CHECK(RegistrationField(no_sender) == "sender");
  json no_answer_by = Remiss();
  no_answer_by.erase("answer_by");
  CHECK(RegistrationField(no_answer_by) == "answer_by");
}

TEST_CASE("DecodeRegistration accepts to only on a remiss") {
  json motion = Motion();
  motion["to"] = "fs";
  CHECK(RegistrationField(motion) == "to");
  json sender = Motion();
  sender["sender"] = "Regeringskansliet";
  CHECK(RegistrationField(sender) == "sender");
  json submitters = Remiss();
  submitters["submitters"] = json::array({{{"name", "Kristina Nero"}, {"party", "V"}}});
  CHECK(RegistrationField(submitters) == "submitters");
  json remiss = Remiss();
  remiss["to"] = "ana";
  CHECK(DecodeRegistration(remiss).to == std::optional<std::string>("ana"));
}

TEST_CASE("DecodeRegistration requires to to be an organ code") {
  json body = Remiss();
  body["to"] = "ANA";
  CHECK(RegistrationField(body) == "to");
  body["to"] = "nämnd";
  CHECK(RegistrationField(body) == "to");
}

TEST_CASE("EncodeRegistration writes back what was decoded") {
  json body = Remiss();
  body["reference"] = "RJL 2022/2018";
  body["officer"] = "Anna Handläggare";
  body["confidential"] = true;
  body["to"] = "ana";
  CHECK(EncodeRegistration(DecodeRegistration(body)) == body);
  CHECK(EncodeRegistration(DecodeRegistration(Motion())) == Motion());
}

// --- events ------------------------------------------------------------------

TEST_CASE("DecodeEvent reads the fixture's distribution") {
  const EventCommand e = DecodeEvent(Distribute());
  CHECK(e.event == "distribute");
  CHECK(e.date == std::optional<Date>(2021_y / 8 / 19));
  CHECK(e.organ == "rf-pres");
  CHECK(e.paragraph == std::optional<std::string>("§ 23"));
  CHECK(e.to == std::optional<std::string>("fs"));
  CHECK(e.consult.empty());
  CHECK(e.text ==
        std::optional<std::string>("Motionen fördelas till nämnd för folkhälsa och sjukvård"));
  CHECK_FALSE(e.outcome.has_value());
  CHECK_FALSE(e.due.has_value());
}

TEST_CASE("DecodeEvent requires event and organ and names them") {
  json no_event = Distribute();
  no_event.erase("event");
  CHECK(EventField(no_event) == "event");
  json no_organ = Distribute();
  no_organ.erase("organ");
  CHECK(EventField(no_organ) == "organ");
  json blank_organ = Distribute();
  blank_organ["organ"] = "";
  CHECK(EventField(blank_organ) == "organ");
}

TEST_CASE("DecodeEvent leaves date empty when it is not given, so the service uses today") {
  json body = Distribute();
  body.erase("date");
  CHECK_FALSE(DecodeEvent(body).date.has_value());
}

TEST_CASE("DecodeEvent rejects an unknown field and names it") {
  json body = Distribute();
  body["too"] = "fs";
  CHECK(EventField(body) == "too");
  json nested = Distribute();
  nested["document"] = {{"title", "Motionsunderlag"}, {"author", "RLK"}};
  CHECK(EventField(nested) == "document.author");
  json vote = Distribute();
  vote["vote"] = {{"yes", 9}, {"no", 6}, {"blank", 1}};
  CHECK(EventField(vote) == "vote.blank");
  json clause = Distribute();
  clause["clauses"] = json::array({{{"clause", 1}, {"outcome", "answered"}, {"x", 1}}});
  CHECK(EventField(clause) == "clauses[0].x");
}

TEST_CASE("DecodeEvent rejects fields of the wrong JSON type") {
  json to = Distribute();
  to["to"] = json::array({"fs"});
  CHECK(EventField(to) == "to");
  json consult = Distribute();
  consult["consult"] = "ana";
  CHECK(EventField(consult) == "consult");
  json text = Distribute();
  text["text"] = 17;
  CHECK(EventField(text) == "text");
  json vote = Distribute();
  vote["vote"] = {{"yes", "9"}, {"no", 6}};
  CHECK(EventField(vote) == "vote.yes");
  json negative = Distribute();
  negative["vote"] = {{"yes", 9}, {"no", -1}};
  CHECK(EventField(negative) == "vote.no");
  json reservations = Distribute();
  reservations["reservations"] = json::array({"M reserverar sig", 3});
  CHECK(EventField(reservations) == "reservations[1]");
  json document = Distribute();
  document["document"] = "Motionsunderlag";
  CHECK(EventField(document) == "document");
}

TEST_CASE("DecodeEvent requires organ codes to be lower-case codes") {
  json organ = Distribute();
  organ["organ"] = "RF-pres";
  CHECK(EventField(organ) == "organ");
  json to = Distribute();
  to["to"] = "Folkhälsa och sjukvård";
  CHECK(EventField(to) == "to");
  json consult = Distribute();
  consult["consult"] = json::array({"ana", "Pers Del"});
  CHECK(EventField(consult) == "consult[1]");
  json consult_type = Distribute();
  consult_type["consult"] = json::array({7});
  CHECK(EventField(consult_type) == "consult[0]");
}

TEST_CASE("DecodeEvent drops repeated organs in consult") {
  json body = Distribute();
  body["consult"] = json::array({"ana", "pers-del", "ana"});
  CHECK(DecodeEvent(body).consult == std::vector<std::string>{"ana", "pers-del"});
}

TEST_CASE("DecodeEvent names the field of a bad date") {
  json date = Distribute();
  date["date"] = "2021-08-32";
  CHECK(EventField(date) == "date");
  json due = Distribute();
  due["due"] = "2022-2-1";
  CHECK(EventField(due) == "due");
  json answer_by = Distribute();
  answer_by["answer_by"] = "31 oktober";
  CHECK(EventField(answer_by) == "answer_by");
  json doc_date = Distribute();
  doc_date["document"] = {{"title", "Motionsunderlag"}, {"date", "2022-04-31"}};
  CHECK(EventField(doc_date) == "document.date");
}

TEST_CASE("DecodeEvent accepts exactly the four outcomes") {
  for (const char* outcome : {"approved", "rejected", "answered", "partly_approved"}) {
    json body = {{"event", "decide"}, {"organ", "rf"}, {"outcome", outcome}};
    CHECK(DecodeEvent(body).outcome == std::optional<std::string>(outcome));
  }
  for (const char* outcome : {"bifall", "Approved", "declined", ""}) {
    INFO("outcome: ", outcome);
    json body = {{"event", "decide"}, {"organ", "rf"}, {"outcome", outcome}};
    CHECK(EventField(body) == "outcome");
  }
}

TEST_CASE("DecodeEvent names the clause whose outcome is missing or wrong") {
  json missing = {
      {"event", "decide"},
      {"organ", "rf"},
      {"outcome", "partly_approved"},
      {"clauses", json::array({{{"clause", 1}}, {{"clause", 2}, {"outcome", "rejected"}}})}};
  CHECK(EventField(missing) == "clauses[0].outcome");
  json wrong = missing;
  wrong["clauses"][0]["outcome"] = "approved";
  wrong["clauses"][1]["outcome"] = "avslag";
  CHECK(EventField(wrong) == "clauses[1].outcome");
  json no_number = missing;
  no_number["clauses"] = json::array({{{"outcome", "approved"}}});
  CHECK(EventField(no_number) == "clauses[0].clause");
}

TEST_CASE("DecodeEvent requires a document to have a title and a known type") {
  json no_title = Distribute();
  no_title["document"] = {{"date", "2022-04-12"}};
  CHECK(EventField(no_title) == "document.title");
  json bad_type = Distribute();
  bad_type["document"] = {{"title", "Motionsunderlag"}, {"type", "MOTIONSUNDERLAG"}};
  CHECK(EventField(bad_type) == "document.type");
  json no_type = Distribute();
  no_type["document"] = {{"title", "Motionsunderlag"}};
  REQUIRE(DecodeEvent(no_type).document.has_value());
  CHECK(DecodeEvent(no_type).document->type == "other");
}

TEST_CASE("EncodeEvent round-trips a decoded event with every field") {
  const json body = json::parse(R"({
    "event": "decide", "date": "2022-11-22", "organ": "rf", "paragraph": "§ 140",
    "text": "Regionfullmäktige beslutar att anse motionen besvarad",
    "to": "fs", "consult": ["ana", "pers-del"], "assignee": "rlk", "due": "2022-12-01",
    "from": "ana", "outcome": "partly_approved", "reason": "Ytterligare beredning",
    "officer": "Anna", "answer_by": "2022-12-31", "delegation": "ANAV 4.2.1",
    "document": {"title": "Motionssvar", "date": "2022-05-24", "type": "motionssvar"},
    "vote": {"yes": 9, "no": 6, "abstain": 1},
    "reservations": ["M reserverar sig till förmån för eget förslag"],
    "clauses": [{"clause": 1, "outcome": "approved"}, {"clause": 2, "outcome": "rejected"}]
  })");
  const json encoded = EncodeEvent(DecodeEvent(body));
  CHECK(encoded == body);
  CHECK(EncodeEvent(DecodeEvent(encoded)) == body);
}

TEST_CASE("EncodeEvent writes only the fields that were given") {
  const json body = {{"event", "note"}, {"organ", "fs"}};
  const json encoded = EncodeEvent(DecodeEvent(body));
  CHECK(encoded == body);
  CHECK(encoded.size() == 2);
  CHECK(EncodeEvent(DecodeEvent(Distribute())) ==
        json::parse(R"({"event": "distribute", "date": "2021-08-19", "organ": "rf-pres",
          "paragraph": "§ 23", "to": "fs",
          "text": "Motionen fördelas till nämnd för folkhälsa och sjukvård"})"));
}

}  // namespace
}  // namespace kansli::workflow
