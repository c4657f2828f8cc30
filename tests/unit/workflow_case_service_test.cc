// CaseService over the in-memory fakes (fakes.h): registration, events,
// the errors of each rejected command, rollback, idempotency and actions.
#include "workflow/case_service.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "states/machine.h"
#include "tests/unit/fakes.h"
#include "workflow/errors.h"

namespace kansli::workflow {
namespace {

using nlohmann::json;
using namespace date::literals;
using namespace std::chrono_literals;

std::chrono::system_clock::time_point Utc(date::year_month_day day,
                                          std::chrono::seconds time_of_day) {
  return date::sys_days{day} + time_of_day;
}

const Actor kRegistrar{"kansliet", "registrar"};
const Actor kSecretary{"sekreterare-fs", "secretary"};
const Actor kPresidium{"rf-presidiet", "presidium"};
const Actor kOfficer{"handlaggare", "officer"};
const Actor kReader{"allmanheten", "reader"};

// A service over a fresh fake database with RJL's organs, at 2022-06-16 10:00
// in Stockholm.
struct World {
  fakes::FakeDb db;
  fakes::FakeTransactions tx{db};
  fakes::FakeCaseReader reader{db};
  FixedClock clock{Utc(2022_y / 6 / 16, 8h)};
  CaseService service{tx, reader, clock, ServiceSettings{}};

  World() { db.organs = fakes::RjlOrgans(); }

  Case Register(const json& body, const Actor& actor = kRegistrar,
                const CommandOptions& opts = {}) {
    return service.Register(DecodeRegistration(body), actor, opts).changed;
  }

  Case Apply(std::int64_t id, const json& body, const Actor& actor = kRegistrar,
             const CommandOptions& opts = {}) {
    return service.Apply(id, DecodeEvent(body), actor, opts).changed;
  }

  const std::vector<HistoryEntry>& HistoryOf(std::int64_t id) { return db.history[id]; }

  // Everything a command could change, as text: equal before and after means
  // the command changed nothing.
  std::string Dump() const {
    std::ostringstream out;
    for (const auto& [id, c] : db.cases) {
      out << "case " << id << " " << c.reference << " " << c.state << " v" << c.version << " "
          << c.responsible_organ.value_or("-") << " [";
      for (const auto& o : c.consulted_organs) out << o << ",";
      out << "] " << c.proposed_outcome.value_or("-") << " " << c.outcome.value_or("-") << " "
          << c.reported_unanswered << " " << (c.answer_by ? FormatDate(*c.answer_by) : "-") << "\n";
    }
    for (const auto& [id, rows] : db.history)
      for (const auto& h : rows) out << "history " << id << " " << h.seq << " " << h.event << "\n";
    for (const auto& [id, ds] : db.deadlines) {
      for (const auto& d : ds)
        out << "deadline " << id << " " << d.kind << " " << FormatDate(d.due) << " "
            << (d.met_on ? FormatDate(*d.met_on) : "-") << " " << d.cancelled << "\n";
    }
    for (const auto& [key, n] : db.series)
      out << "series " << key.first << " " << key.second << " " << n << "\n";
    for (const auto& [key, rec] : db.idempotency)
      out << "key " << key.first << " " << key.second << " " << rec.request_hash << "\n";
    out << "next " << db.next_case_id << " " << db.next_history_id << "\n";
    return out.str();
  }
};

json Motion(const char* title = "Kultur för hälsa") {
  json body = json::parse(R"({"type": "motion", "received": "2021-06-15",
    "submitters": [{"name": "Kristina Nero", "party": "V"}, {"name": "Mikael Ekvall", "party": "V"}]})");
  body["title"] = title;
  return body;
}

json Remiss() {
  return json::parse(R"({"type": "remiss",
    "title": "Audiovisuell strategi Regionsamverkan Sydsverige", "received": "2022-08-11",
    "sender": "Regionsamverkan Sydsverige", "answer_by": "2022-10-31"})");
}

json Distribute(const char* to = "fs") {
  json body = json::parse(R"({"event": "distribute", "date": "2021-08-19", "organ": "rf-pres",
    "paragraph": "§ 23", "consult": [],
    "text": "Motionen fördelas till nämnd för folkhälsa och sjukvård"})");
  body["to"] = to;
  return body;
}

// The field named by the ValidationError that `f` throws; a marker otherwise.
std::string FieldOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ValidationError& e) {
    return e.field();
  }
  return "<no ValidationError>";
}

const Deadline* Find(const std::vector<Deadline>& all, const std::string& kind) {
  for (const auto& d : all)
    if (d.kind == kind) return &d;
  return nullptr;
}

// --- registration -------------------------------------------------------------

TEST_CASE("Register allocates RJL YYYY/1, then /2, in the year of registration") {
  World w;
  const Case first = w.Register(Motion("Kultur för hälsa"));
  const Case second = w.Register(Motion("Fler vårdplatser"));
  CHECK(first.reference == "RJL 2022/1");  // registered 2022, received 2021
  CHECK(second.reference == "RJL 2022/2");
  CHECK(first.id == 1);
  CHECK(second.id == 2);
  CHECK(w.db.cases.at(2).title == "Fler vårdplatser");
  CHECK(w.tx.commits == 2);
}

TEST_CASE("Register stores the case in state registered, version 1, with one history row") {
  World w;
  const Case c = w.Register(Motion());
  CHECK(c.type == "motion");
  CHECK(c.state == "registered");
  CHECK(c.version == 1);
  CHECK(c.received == 2021_y / 6 / 15);
  REQUIRE(c.submitters.size() == 2);
  CHECK(c.submitters[1].name == "Mikael Ekvall");

  const Case stored = w.db.cases.at(c.id);
  CHECK(stored.state == "registered");
  CHECK(stored.version == 1);
  CHECK(stored.reference == "RJL 2022/1");

  const auto& history = w.HistoryOf(c.id);
  REQUIRE(history.size() == 1);
  CHECK(history[0].seq == 1);
  CHECK(history[0].event == "register");
  CHECK_FALSE(history[0].from_state.has_value());
  CHECK(history[0].to_state == "registered");
  CHECK(history[0].date == 2021_y / 6 / 15);
  CHECK(history[0].actor == "kansliet");
  CHECK(history[0].text == std::optional<std::string>("Kultur för hälsa"));
  CHECK(history[0].details.at("title") == "Kultur för hälsa");
  CHECK(history[0].details.at("type") == "motion");
}

TEST_CASE("Register computes and stores the motion's decision_due") {
  World w;
  const Case c = w.Register(Motion());
  const Deadline* d = Find(c.deadlines, "decision_due");
  REQUIRE(d != nullptr);
  CHECK(d->due == 2022_y / 6 / 15);
  // And the report to fullmäktige, which has no meeting plan here: on the same date.
  REQUIRE(w.db.deadlines.at(c.id).size() == 2);
  CHECK(w.db.deadlines.at(c.id)[0].kind == "decision_due");
  CHECK(w.db.deadlines.at(c.id)[1].kind == "report_due");
  CHECK_FALSE(w.db.deadlines.at(c.id)[1].from_meeting_plan);
  const Case read = w.service.GetCase(c.id);
  REQUIRE(read.deadlines.size() == 2);
  CHECK(read.deadlines[0].due == 2022_y / 6 / 15);
  CHECK(read.deadlines[1].due == 2022_y / 6 / 15);
}

TEST_CASE("The registration year is the year in Stockholm, not in UTC") {
  World w;
  w.clock.Set(Utc(2022_y / 12 / 31, 23h + 30min));  // 00:30 on 1 January 2023 in Stockholm
  CHECK(w.Register(Motion()).reference == "RJL 2023/1");
  w.clock.Set(Utc(2022_y / 12 / 31, 22h + 30min));  // 23:30 on 31 December in Stockholm
  CHECK(w.Register(Motion()).reference == "RJL 2022/1");
}

TEST_CASE("Register uses the configured reference prefix") {
  World w;
  ServiceSettings settings;
  settings.reference_prefix = "KS";
  CaseService ks(w.tx, w.reader, w.clock, settings);
  CHECK(ks.Register(DecodeRegistration(Motion()), kRegistrar, {}).changed.reference == "KS 2022/1");
  CHECK(ks.NormaliseReference("2021/1342") == std::optional<std::string>("KS 2021/1342"));
  CHECK(w.service.NormaliseReference("Dnr. rjl 2021/1342") ==
        std::optional<std::string>("RJL 2021/1342"));
  CHECK_FALSE(w.service.NormaliseReference("21/1342").has_value());
}

TEST_CASE(
    "Register with a reference normalises and reserves it, and the series continues after it") {
  World w;
  json body = Motion();
  body["reference"] = "Dnr. rjl 2022/7";
  CHECK(w.Register(body).reference == "RJL 2022/7");
  CHECK(w.Register(Motion()).reference == "RJL 2022/8");
  json old = Motion();
  old["reference"] = "2021/1342";
  CHECK(w.Register(old).reference == "RJL 2021/1342");
}

TEST_CASE("Register with a reference that is already a case's is a Conflict and changes nothing") {
  World w;
  json body = Motion();
  body["reference"] = "RJL 2021/1342";
  w.Register(body);
  const std::string before = w.Dump();
  json again = Motion("Dubblett");
  again["reference"] = "Dnr. RJL 2021/1342";
  CHECK_THROWS_AS(w.Register(again), Conflict);
  CHECK(w.Dump() == before);
  CHECK(w.db.cases.size() == 1);
  CHECK(w.tx.rollbacks == 1);
}

TEST_CASE("Register rejects a reference that is no diarienummer, naming the field") {
  World w;
  json body = Motion();
  body["reference"] = "RJL 21/1342";
  CHECK(FieldOf([&] { w.Register(body); }) == "reference");
  CHECK(w.db.cases.empty());
  CHECK(w.db.series.empty());
}

TEST_CASE("Register rejects to on a motion even when the command did not come from the decoder") {
  World w;
  RegisterCommand cmd = DecodeRegistration(Motion());
  cmd.to = "fs";
  CHECK(FieldOf([&] { w.service.Register(cmd, kRegistrar, {}); }) == "to");
  CHECK(w.db.cases.empty());
}

TEST_CASE("Only the registrar and the admin may register") {
  World w;
  for (const Actor& actor : {kReader, kOfficer, kSecretary, kPresidium}) {
    INFO(actor.role);
    CHECK_THROWS_AS(w.Register(Motion(), actor), Forbidden);
  }
  CHECK(w.db.cases.empty());
  CHECK(w.Register(Motion(), Actor{"root", "admin"}).reference == "RJL 2022/1");
}

TEST_CASE("A remiss registered with to is registered and distributed in one command") {
  World w;
  json body = Remiss();
  body["to"] = "ana";
  body["officer"] = "Anna Handläggare";
  const Case c = w.Register(body);
  CHECK(c.state == "distributed");
  CHECK(c.version == 2);
  CHECK(c.responsible_organ == std::optional<std::string>("ana"));
  CHECK(c.officer == std::optional<std::string>("Anna Handläggare"));
  CHECK(c.distributed_on == std::optional<Date>(2022_y / 8 / 11));

  const auto& history = w.HistoryOf(c.id);
  REQUIRE(history.size() == 2);
  CHECK(history[0].seq == 1);
  CHECK(history[0].event == "register");
  CHECK(history[0].to_state == "registered");
  CHECK(history[1].seq == 2);
  CHECK(history[1].event == "distribute");
  CHECK(history[1].from_state == std::optional<std::string>("registered"));
  CHECK(history[1].to_state == "distributed");
  CHECK(history[1].date == 2022_y / 8 / 11);
  CHECK(history[1].organ == std::optional<std::string>("rlk"));  // the registry acted
  CHECK(history[1].details.at("to") == "ana");
  CHECK(history[1].transition_id == history[0].transition_id);

  const Case stored = w.db.cases.at(c.id);
  CHECK(stored.state == "distributed");
  CHECK(stored.version == 2);
  const Deadline* d = Find(c.deadlines, "answer_by");
  REQUIRE(d != nullptr);
  CHECK(d->due == 2022_y / 10 / 31);
  CHECK(d->organ == std::optional<std::string>("ana"));
}

TEST_CASE(
    "A remiss distributed at registration names the answering organ when there is no registry "
    "organ") {
  World w;
  w.db.organs.erase(std::remove_if(w.db.organs.begin(), w.db.organs.end(),
                                   [](const Organ& o) { return o.code == "rlk"; }),
                    w.db.organs.end());
  json body = Remiss();
  body["to"] = "ana";
  const Case c = w.Register(body);
  REQUIRE(w.HistoryOf(c.id).size() == 2);
  CHECK(w.HistoryOf(c.id)[1].organ == std::optional<std::string>("ana"));
}

TEST_CASE("A remiss registered with an unknown to is rejected and uses up no number") {
  World w;
  json body = Remiss();
  body["to"] = "kultur";
  CHECK(FieldOf([&] { w.Register(body); }) == "to");
  CHECK(w.db.cases.empty());
  CHECK(w.Register(Remiss()).reference == "RJL 2022/1");
}

TEST_CASE(
    "A failure while writing rolls the registration back and the number is handed out again") {
  World w;
  w.db.fail_in = "AppendHistory";
  CHECK_THROWS_AS(w.Register(Motion()), Unavailable);
  CHECK(w.db.cases.empty());
  CHECK(w.db.series.empty());
  w.db.fail_in.clear();
  CHECK(w.Register(Motion()).reference == "RJL 2022/1");
}

// --- events -----------------------------------------------------------------------

TEST_CASE("Apply moves the case, bumps its version and appends a history row with the next seq") {
  World w;
  const Case reg = w.Register(Motion());
  json body = Distribute("fs");
  body["consult"] = json::array({"pers-del"});
  const CommandResult result = w.service.Apply(reg.id, DecodeEvent(body), kPresidium, {});
  CHECK(result.from_state == "registered");
  CHECK_FALSE(result.replayed);
  const Case& c = result.changed;
  CHECK(c.state == "distributed");
  CHECK(c.version == 2);
  CHECK(c.responsible_organ == std::optional<std::string>("fs"));
  CHECK(c.consulted_organs == std::vector<std::string>{"pers-del"});
  CHECK(c.distributed_on == std::optional<Date>(2021_y / 8 / 19));

  const Case stored = w.db.cases.at(reg.id);
  CHECK(stored.state == "distributed");
  CHECK(stored.version == 2);
  CHECK(stored.responsible_organ == std::optional<std::string>("fs"));

  const auto& history = w.HistoryOf(reg.id);
  REQUIRE(history.size() == 2);
  const HistoryEntry& h = history[1];
  CHECK(h.seq == 2);
  CHECK(h.case_id == reg.id);
  CHECK(h.event == "distribute");
  CHECK(h.from_state == std::optional<std::string>("registered"));
  CHECK(h.to_state == "distributed");
  CHECK(h.date == 2021_y / 8 / 19);
  CHECK(h.organ == std::optional<std::string>("rf-pres"));
  CHECK(h.paragraph == std::optional<std::string>("§ 23"));
  CHECK(h.text ==
        std::optional<std::string>("Motionen fördelas till nämnd för folkhälsa och sjukvård"));
  CHECK(h.actor == "rf-presidiet");
  CHECK(h.details.at("to") == "fs");
  CHECK(h.details.at("consult") == json::array({"pers-del"}));
  CHECK(h.details.at("date") == "2021-08-19");

  const Deadline* answer = Find(c.deadlines, "answer_due");
  REQUIRE(answer != nullptr);
  CHECK(answer->due == 2022_y / 2 / 21);  // Saturday 19th moved to Monday (lag 1930:173)
  CHECK(Find(w.db.deadlines.at(reg.id), "answer_due") != nullptr);
}

TEST_CASE("Each command's history rows carry that command's transition id") {
  World w;
  const Case reg = w.Register(Motion());
  w.Apply(reg.id, Distribute());
  REQUIRE(w.tx.transition_ids.size() == 2);
  const auto& history = w.HistoryOf(reg.id);
  REQUIRE(history.size() == 2);
  CHECK(history[0].transition_id == w.tx.transition_ids[0]);
  CHECK(history[1].transition_id == w.tx.transition_ids[1]);
  CHECK(w.tx.transition_ids[0] != w.tx.transition_ids[1]);
  CHECK(w.tx.transition_ids[0].size() == 32);
}

TEST_CASE("Apply dates an event without date with today's date in Stockholm") {
  World w;
  const Case reg = w.Register(Motion());
  w.clock.Set(Utc(2022_y / 6 / 15, 22h + 30min));  // 00:30 on 16 June in Stockholm
  json body = Distribute();
  body.erase("date");
  w.Apply(reg.id, body);
  REQUIRE(w.HistoryOf(reg.id).size() == 2);
  CHECK(w.HistoryOf(reg.id)[1].date == 2022_y / 6 / 16);
  CHECK(w.HistoryOf(reg.id)[1].details.at("date") == "2022-06-16");
  CHECK(w.db.cases.at(reg.id).distributed_on == std::optional<Date>(2022_y / 6 / 16));
}

TEST_CASE("Preparation starts by itself when a distributed motion gets a note") {
  World w;
  const Case reg = w.Register(Motion());
  w.Apply(reg.id, Distribute());
  const Case c = w.Apply(reg.id, {{"event", "note"}, {"date", "2022-02-22"}, {"organ", "fs"}});
  CHECK(c.state == "in_preparation");
  CHECK(c.version == 3);
  CHECK(w.HistoryOf(reg.id)[2].from_state == std::optional<std::string>("distributed"));
}

TEST_CASE("A disallowed event is an InvalidTransition naming the state and the allowed events") {
  World w;
  const Case reg = w.Register(Motion());
  const std::string before = w.Dump();
  try {
    w.Apply(reg.id, {{"event", "decide"}, {"organ", "rf"}, {"outcome", "approved"}});
    FAIL("no InvalidTransition");
  } catch (const InvalidTransition& e) {
    CHECK(e.state() == "registered");
    CHECK(e.event() == "decide");
    CHECK(e.allowed() == std::vector<std::string>{"announce", "distribute", "note",
                                                  "report_unanswered", "withdraw"});
    CHECK(std::string(e.what()).find("registered") != std::string::npos);
  }
  CHECK(w.Dump() == before);
  CHECK(w.db.cases.at(reg.id).version == 1);
  CHECK(w.HistoryOf(reg.id).size() == 1);
}

TEST_CASE(
    "A stale expected version is a StaleVersion with the current version, and changes nothing") {
  World w;
  const Case reg = w.Register(Motion());
  w.Apply(reg.id, Distribute());
  const std::string before = w.Dump();
  CommandOptions opts;
  opts.expected_version = 1;
  try {
    w.Apply(reg.id, {{"event", "note"}, {"organ", "fs"}}, kRegistrar, opts);
    FAIL("no StaleVersion");
  } catch (const StaleVersion& e) {
    CHECK(e.current() == 2);
  }
  CHECK(w.Dump() == before);
  opts.expected_version = 2;
  CHECK(w.Apply(reg.id, {{"event", "note"}, {"organ", "fs"}}, kRegistrar, opts).version == 3);
}

TEST_CASE("An unknown organ is a ValidationError naming the field it was given in") {
  World w;
  const Case reg = w.Register(Motion());
  const std::string before = w.Dump();
  CHECK(FieldOf([&] { w.Apply(reg.id, Distribute("kultur")); }) == "to");
  json organ = Distribute();
  organ["organ"] = "rf-presidium";
  CHECK(FieldOf([&] { w.Apply(reg.id, organ); }) == "organ");
  json consult = Distribute();
  consult["consult"] = json::array({"ana", "pd"});
  CHECK(FieldOf([&] { w.Apply(reg.id, consult); }) == "consult[1]");
  CHECK(w.Dump() == before);

  w.Apply(reg.id, Distribute());
  CHECK(FieldOf([&] {
          w.Apply(reg.id, {{"event", "request_material"}, {"organ", "fs"}, {"assignee", "kansli"}});
        }) == "assignee");
  w.Apply(reg.id, {{"event", "request_views"}, {"organ", "fs"}, {"to", "ana"}});
  CHECK(FieldOf([&] {
          w.Apply(reg.id, {{"event", "views_delivered"}, {"organ", "ana"}, {"from", "anna"}});
        }) == "from");
}

TEST_CASE("distribute without to is a ValidationError naming to") {
  World w;
  const Case reg = w.Register(Motion());
  json body = Distribute();
  body.erase("to");
  const std::string before = w.Dump();
  CHECK(FieldOf([&] { w.Apply(reg.id, body); }) == "to");
  CHECK(w.Dump() == before);
}

TEST_CASE("Events that need a field name it when it is missing") {
  World w;
  const Case reg = w.Register(Motion());
  w.Apply(reg.id, Distribute());
  CHECK(FieldOf([&] {
          w.Apply(reg.id, {{"event", "recommend"}, {"organ", "fs-pres"}});
        }) == "outcome");
  CHECK(FieldOf([&] {
          w.Apply(reg.id, {{"event", "request_material"}, {"organ", "fs"}});
        }) == "assignee");
  CHECK(FieldOf([&] { w.Apply(reg.id, {{"event", "request_views"}, {"organ", "fs"}}); }) == "to");
  CHECK(w.db.cases.at(reg.id).version == 2);
}

TEST_CASE("A field that does not belong to the event is a ValidationError naming it") {
  World w;
  const Case reg = w.Register(Motion());
  w.Apply(reg.id, Distribute());
  const std::string before = w.Dump();
  CHECK(FieldOf([&] {
          w.Apply(reg.id, {{"event", "note"}, {"organ", "fs"}, {"outcome", "approved"}});
        }) == "outcome");
  CHECK(FieldOf([&] {
          w.Apply(reg.id, {{"event", "note"}, {"organ", "fs"}, {"due", "2022-09-01"}});
        }) == "due");
  CHECK(FieldOf([&] {
          w.Apply(reg.id, {{"event", "begin_preparation"}, {"organ", "fs"}, {"to", "ana"}});
        }) == "to");
  CHECK(FieldOf([&] {
          w.Apply(reg.id, {{"event", "note"}, {"organ", "fs"}, {"answer_by", "2022-09-01"}});
        }) == "answer_by");
  CHECK(w.Dump() == before);
}

TEST_CASE("An event the case type does not know is a ValidationError naming event") {
  World w;
  const Case reg = w.Register(Motion());
  CHECK(FieldOf([&] {
          w.Apply(reg.id, {{"event", "send_response"}, {"organ", "fs"}});
        }) == "event");
  CHECK(FieldOf([&] { w.Apply(reg.id, {{"event", "register"}, {"organ", "fs"}}); }) == "event");
}

TEST_CASE("An unknown case is NotFound") {
  World w;
  w.Register(Motion());
  CHECK_THROWS_AS(w.Apply(999, Distribute()), NotFound);
  CHECK_THROWS_AS(w.service.GetCase(999), NotFound);
  CHECK_THROWS_AS(w.service.History(999), NotFound);
  CHECK(w.HistoryOf(1).size() == 1);
}

TEST_CASE("History returns the case's events oldest first") {
  World w;
  const Case reg = w.Register(Motion());
  w.Apply(reg.id, Distribute());
  const auto history = w.service.History(reg.id);
  REQUIRE(history.size() == 2);
  CHECK(history[0].event == "register");
  CHECK(history[1].event == "distribute");
}

TEST_CASE("A reader may not record events, and an officer may not decide") {
  World w;
  const Case reg = w.Register(Motion());
  const std::string before = w.Dump();
  CHECK_THROWS_AS(w.Apply(reg.id, {{"event", "note"}, {"organ", "fs"}}, kReader), Forbidden);
  CHECK_THROWS_AS(w.Apply(reg.id, Distribute(), kOfficer), Forbidden);
  CHECK(w.Dump() == before);
  CHECK(w.Apply(reg.id, {{"event", "note"}, {"organ", "rlk"}}, kOfficer).version == 2);
}

// A motion distributed to FS with ANA consulted.
Case PreparedMotion(World& w) {
  const Case reg = w.Register(Motion());
  json body = Distribute("fs");
  body["consult"] = json::array({"ana"});
  return w.Apply(reg.id, body, kPresidium);
}

TEST_CASE(
    "A consulted organ's recommend keeps proposed_outcome but the responsible presidium's changes "
    "it") {
  World w;
  const Case c = PreparedMotion(w);
  const json ana = {{"event", "recommend"},
                    {"date", "2022-09-21"},
                    {"organ", "ana-pres"},
                    {"outcome", "approved"}};
  Case after = w.Apply(c.id, ana, kSecretary);
  CHECK(after.state == "in_preparation");  // preparation starts by itself
  CHECK_FALSE(after.proposed_outcome.has_value());
  CHECK(w.HistoryOf(c.id).back().details.at("outcome") == "approved");  // still recorded

  after = w.Apply(c.id, {{"event", "recommend"}, {"organ", "fs-pres"}, {"outcome", "rejected"}},
                  kSecretary);
  CHECK(after.proposed_outcome == std::optional<std::string>("rejected"));
  CHECK(w.db.cases.at(c.id).proposed_outcome == std::optional<std::string>("rejected"));

  after = w.Apply(c.id, {{"event", "recommend"}, {"organ", "ana"}, {"outcome", "approved"}},
                  kSecretary);
  CHECK(after.proposed_outcome == std::optional<std::string>("rejected"));

  after =
      w.Apply(c.id, {{"event", "recommend"}, {"organ", "fs"}, {"outcome", "answered"}}, kSecretary);
  CHECK(after.proposed_outcome == std::optional<std::string>("answered"));
  CHECK_FALSE(after.outcome.has_value());
}

TEST_CASE("adopt_answer and board_propose set proposed_outcome and only decide sets outcome") {
  World w;
  const Case c = PreparedMotion(w);
  w.Apply(c.id, {{"event", "begin_preparation"}, {"organ", "fs"}});
  Case after = w.Apply(c.id, {{"event", "adopt_answer"}, {"organ", "fs"}, {"outcome", "rejected"}});
  CHECK(after.state == "answered");
  CHECK(after.proposed_outcome == std::optional<std::string>("rejected"));
  after = w.Apply(c.id, {{"event", "board_prepare"}, {"organ", "rs-au"}});
  CHECK(after.state == "board_preparation");
  after = w.Apply(c.id, {{"event", "recommend"}, {"organ", "rs-au"}, {"outcome", "answered"}});
  CHECK(after.proposed_outcome == std::optional<std::string>("answered"));  // the board's chain
  after = w.Apply(c.id, {{"event", "board_propose"}, {"organ", "rs"}, {"outcome", "answered"}});
  CHECK(after.state == "ready_for_council");
  CHECK_FALSE(after.outcome.has_value());
  after = w.Apply(c.id, {{"event", "decide"},
                         {"date", "2022-11-22"},
                         {"organ", "rf"},
                         {"outcome", "partly_approved"}});
  CHECK(after.state == "decided");
  CHECK(after.outcome == std::optional<std::string>("partly_approved"));
  CHECK(after.proposed_outcome == std::optional<std::string>("answered"));
  const Deadline* decision = Find(after.deadlines, "decision_due");
  REQUIRE(decision != nullptr);
  CHECK(decision->met_on == std::optional<Date>(2022_y / 11 / 22));
}

TEST_CASE("request_views adds the organ to consulted_organs once") {
  World w;
  const Case reg = w.Register(Motion());
  json body = Distribute("fs");
  body["consult"] = json::array({"pers-del"});
  w.Apply(reg.id, body);
  Case c = w.Apply(reg.id, {{"event", "request_views"},
                            {"date", "2022-05-31"},
                            {"organ", "fs"},
                            {"to", "ana"},
                            {"due", "2022-09-30"}});
  CHECK(c.state == "in_preparation");
  CHECK(c.consulted_organs == std::vector<std::string>{"pers-del", "ana"});
  CHECK(w.db.cases.at(reg.id).consulted_organs == std::vector<std::string>{"pers-del", "ana"});
  const Deadline* views = Find(c.deadlines, "views_due");
  REQUIRE(views != nullptr);
  CHECK(views->due == 2022_y / 9 / 30);
  CHECK(views->organ == std::optional<std::string>("ana"));

  c = w.Apply(reg.id, {{"event", "request_views"}, {"organ", "fs"}, {"to", "ana"}});
  CHECK(c.consulted_organs == std::vector<std::string>{"pers-del", "ana"});
  c = w.Apply(reg.id, {{"event", "views_delivered"},
                       {"date", "2022-09-21"},
                       {"organ", "ana-pres"},
                       {"from", "ana"}});
  views = Find(c.deadlines, "views_due");
  REQUIRE(views != nullptr);
  CHECK(views->met_on == std::optional<Date>(2022_y / 9 / 21));
  CHECK(c.responsible_organ == std::optional<std::string>("fs"));
}

TEST_CASE("write_off is allowed only after report_unanswered") {
  World w;
  const Case c = PreparedMotion(w);
  const json write_off = {{"event", "write_off"}, {"date", "2022-09-27"}, {"organ", "rf"}};
  try {
    w.Apply(c.id, write_off);
    FAIL("no InvalidTransition");
  } catch (const InvalidTransition& e) {
    CHECK(e.state() == "distributed");
    CHECK(std::find(e.allowed().begin(), e.allowed().end(), "write_off") == e.allowed().end());
    CHECK(std::find(e.allowed().begin(), e.allowed().end(), "report_unanswered") !=
          e.allowed().end());
  }
  Case after =
      w.Apply(c.id, {{"event", "report_unanswered"}, {"date", "2022-06-14"}, {"organ", "rf"}});
  CHECK(after.reported_unanswered);
  CHECK(after.state == "distributed");
  CHECK(w.db.cases.at(c.id).reported_unanswered);
  after = w.Apply(c.id, write_off);
  CHECK(after.state == "written_off");
  // The report met report_due; everything else unmet is cancelled.
  for (const auto& d : after.deadlines) {
    INFO(d.kind);
    if (d.kind == "report_due") {
      CHECK(d.met_on == std::optional<Date>(2022_y / 6 / 14));
    } else {
      CHECK(d.cancelled);
    }
  }
}

TEST_CASE("extend_deadline moves a remiss's answer_by on the case and its deadline") {
  World w;
  json body = Remiss();
  body["to"] = "ana";
  const Case reg = w.Register(body);
  const Case c = w.Apply(reg.id, {{"event", "extend_deadline"},
                                  {"date", "2022-10-20"},
                                  {"organ", "ana"},
                                  {"answer_by", "2022-11-15"}});
  CHECK(c.answer_by == std::optional<Date>(2022_y / 11 / 15));
  CHECK(w.db.cases.at(reg.id).answer_by == std::optional<Date>(2022_y / 11 / 15));
  const Deadline* d = Find(c.deadlines, "answer_by");
  REQUIRE(d != nullptr);
  CHECK(d->due == 2022_y / 11 / 15);
  CHECK(FieldOf([&] {
          w.Apply(reg.id, {{"event", "extend_deadline"}, {"organ", "ana"}});
        }) == "answer_by");
}

TEST_CASE("Replaying the fixture motion RJL 2021/1342 gives the expected case") {
  World w;
  const Case reg = w.Register(json::parse(R"({"type": "motion", "reference": "RJL 2021/1342",
    "title": "Kultur för hälsa", "received": "2021-06-15",
    "submitters": [{"name": "Kristina Nero", "party": "V"}, {"name": "Bengt-Ove Eriksson", "party": "V"},
                   {"name": "Elisabeth Töre", "party": "V"}, {"name": "Mikael Ekvall", "party": "V"}]})"));
  const auto events = json::parse(R"([
    {"event": "distribute", "date": "2021-08-19", "organ": "rf-pres", "paragraph": "§ 23", "to": "fs", "consult": [], "text": "Motionen fördelas till nämnd för folkhälsa och sjukvård"},
    {"event": "begin_preparation", "date": "2022-02-09", "organ": "fs-pres", "paragraph": "§ 30", "text": "Motionen anmäls till presidiet."},
    {"event": "note", "date": "2022-02-22", "organ": "fs", "paragraph": "§ 36", "text": "Information."},
    {"event": "request_material", "date": "2022-02-22", "organ": "fs", "paragraph": "§ 36", "assignee": "rlk", "text": "Uppdrag om faktaunderlag."},
    {"event": "material_delivered", "date": "2022-04-12", "organ": "rlk", "document": {"title": "Motionsunderlag - Kultur för hälsa", "date": "2022-04-12"}, "text": "Motionsunderlag daterat 2022-04-12"},
    {"event": "request_material", "date": "2022-04-20", "organ": "fs-pres", "paragraph": "§ 69", "assignee": "rlk", "text": "Komplettering."},
    {"event": "material_delivered", "date": "2022-05-06", "organ": "rlk", "document": {"title": "Motionsunderlag - Kultur för hälsa", "date": "2022-05-06"}, "text": "Motionsunderlag daterat 2022-05-06"},
    {"event": "recommend", "date": "2022-05-17", "organ": "fs-pres", "paragraph": "§ 91", "outcome": "rejected", "text": "Avslå motionen."},
    {"event": "material_delivered", "date": "2022-05-24", "organ": "rlk", "document": {"title": "Motionssvar - Kultur för hälsa", "date": "2022-05-24"}, "text": "Motionssvar daterat 2022-05-24"},
    {"event": "request_views", "date": "2022-05-31", "organ": "fs", "paragraph": "§ 100", "to": "ana", "text": "Remitterar ärendet."},
    {"event": "recommend", "date": "2022-09-21", "organ": "ana-pres", "paragraph": "§ 128", "outcome": "rejected", "text": "Instämmer i avslaget."}
  ])");
  for (const auto& e : events) w.Apply(reg.id, e);

  const Case c = w.service.GetCase(reg.id);
  CHECK(c.reference == "RJL 2021/1342");
  CHECK(c.state == "in_preparation");
  CHECK(c.version == 12);
  CHECK(c.responsible_organ == std::optional<std::string>("fs"));
  CHECK(c.consulted_organs == std::vector<std::string>{"ana"});
  CHECK_FALSE(c.outcome.has_value());
  CHECK(c.proposed_outcome == std::optional<std::string>("rejected"));
  const auto history = w.service.History(reg.id);
  REQUIRE(history.size() == 12);
  for (std::size_t i = 0; i < history.size(); ++i) {
    INFO("row ", i);
    CHECK(history[i].seq == static_cast<int>(i + 1));
  }
  // Posting order is kept even where dates repeat (§ 36 twice on 2022-02-22).
  CHECK(history[3].event == "note");
  CHECK(history[4].event == "request_material");
  const Deadline* decision = Find(c.deadlines, "decision_due");
  REQUIRE(decision != nullptr);
  CHECK(decision->due == 2022_y / 6 / 15);
  CHECK_FALSE(decision->met_on.has_value());
  CHECK(IsOverdue(*decision, w.clock.Today()));  // 2022-06-16
}

// --- idempotency ------------------------------------------------------------------

CommandOptions Idempotent(const std::string& key, const std::string& hash) {
  CommandOptions opts;
  opts.idempotency_key = key;
  opts.request = hash;
  opts.render = [](const Case& c) {
    return StoredResponse{200, c.state + " v" + std::to_string(c.version)};
  };
  return opts;
}

TEST_CASE("A repeated idempotent event returns the stored response and does nothing again") {
  World w;
  const Case reg = w.Register(Motion());
  const auto opts = Idempotent("key-1", "hash-a");
  const CommandResult first = w.service.Apply(reg.id, DecodeEvent(Distribute()), kRegistrar, opts);
  CHECK_FALSE(first.replayed);
  REQUIRE(first.response.has_value());
  CHECK(first.response->status == 200);
  CHECK(first.response->body == "distributed v2");
  const std::string after_first = w.Dump();

  const CommandResult second = w.service.Apply(reg.id, DecodeEvent(Distribute()), kRegistrar, opts);
  CHECK(second.replayed);
  REQUIRE(second.response.has_value());
  CHECK(second.response->status == 200);
  CHECK(second.response->body == "distributed v2");
  CHECK(w.Dump() == after_first);
  CHECK(w.db.cases.at(reg.id).version == 2);
  CHECK(w.HistoryOf(reg.id).size() == 2);
}

TEST_CASE("An idempotency key reused with a different request is an IdempotencyMismatch") {
  World w;
  const Case reg = w.Register(Motion());
  w.service.Apply(reg.id, DecodeEvent(Distribute()), kRegistrar, Idempotent("key-1", "hash-a"));
  const std::string before = w.Dump();
  CHECK_THROWS_AS(w.service.Apply(reg.id, DecodeEvent({{"event", "note"}, {"organ", "fs"}}),
                                  kRegistrar, Idempotent("key-1", "hash-b")),
                  IdempotencyMismatch);
  CHECK(w.Dump() == before);
}

TEST_CASE("Idempotency keys are scoped to the actor") {
  World w;
  const Case reg = w.Register(Motion());
  w.service.Apply(reg.id, DecodeEvent(Distribute()), kRegistrar, Idempotent("key-1", "hash-a"));
  const CommandResult other =
      w.service.Apply(reg.id, DecodeEvent({{"event", "note"}, {"organ", "fs"}}), kSecretary,
                      Idempotent("key-1", "hash-b"));
  CHECK_FALSE(other.replayed);
  CHECK(other.changed.version == 3);
}

TEST_CASE("A rejected idempotent command leaves its key unused") {
  World w;
  const Case reg = w.Register(Motion());
  CHECK_THROWS_AS(
      w.service.Apply(reg.id,
                      DecodeEvent({{"event", "decide"}, {"organ", "rf"}, {"outcome", "approved"}}),
                      kRegistrar, Idempotent("key-1", "hash-a")),
      InvalidTransition);
  CHECK(w.db.idempotency.empty());
  const CommandResult retry =
      w.service.Apply(reg.id, DecodeEvent(Distribute()), kRegistrar, Idempotent("key-1", "hash-b"));
  CHECK_FALSE(retry.replayed);
  CHECK(retry.changed.state == "distributed");
}

TEST_CASE("A repeated idempotent registration returns the first response and registers nothing") {
  World w;
  CommandOptions opts;
  opts.idempotency_key = "reg-1";
  opts.request = "hash-a";
  opts.render = [](const Case& c) { return StoredResponse{201, c.reference}; };
  const CommandResult first = w.service.Register(DecodeRegistration(Motion()), kRegistrar, opts);
  CHECK_FALSE(first.replayed);
  REQUIRE(first.response.has_value());
  CHECK(first.response->status == 201);
  CHECK(first.response->body == "RJL 2022/1");

  const CommandResult second = w.service.Register(DecodeRegistration(Motion()), kRegistrar, opts);
  CHECK(second.replayed);
  REQUIRE(second.response.has_value());
  CHECK(second.response->status == 201);
  CHECK(second.response->body == "RJL 2022/1");
  CHECK(w.db.cases.size() == 1);
  CHECK(w.db.series.at({"RJL", 2022}) == 1);

  opts.request = "hash-b";
  CHECK_THROWS_AS(w.service.Register(DecodeRegistration(Motion("Annan")), kRegistrar, opts),
                  IdempotencyMismatch);
  CHECK(w.db.cases.size() == 1);
}

// --- actions and reads --------------------------------------------------------------

// event -> permitted, for comparing whole lists.
std::vector<std::pair<std::string, bool>> Flags(const std::vector<Action>& actions) {
  std::vector<std::pair<std::string, bool>> out;
  for (const auto& a : actions) out.emplace_back(a.event, a.permitted);
  return out;
}

TEST_CASE("Actions lists the events allowed now, each permitted or not for the role") {
  World w;
  const Case c = w.Register(Motion());
  using Flag = std::pair<std::string, bool>;
  CHECK(Flags(w.service.Actions(c, "presidium")) == std::vector<Flag>{{"announce", true},
                                                                      {"distribute", true},
                                                                      {"note", true},
                                                                      {"report_unanswered", false},
                                                                      {"withdraw", false}});
  CHECK(Flags(w.service.Actions(c, "officer")) == std::vector<Flag>{{"announce", false},
                                                                    {"distribute", false},
                                                                    {"note", true},
                                                                    {"report_unanswered", false},
                                                                    {"withdraw", false}});
  CHECK(Flags(w.service.Actions(c, "reader")) == std::vector<Flag>{{"announce", false},
                                                                   {"distribute", false},
                                                                   {"note", false},
                                                                   {"report_unanswered", false},
                                                                   {"withdraw", false}});
  CHECK(Flags(w.service.Actions(c, "registrar")) == std::vector<Flag>{{"announce", true},
                                                                      {"distribute", true},
                                                                      {"note", true},
                                                                      {"report_unanswered", true},
                                                                      {"withdraw", true}});
}

TEST_CASE("Actions carry the Swedish label and the fields of each event") {
  World w;
  const Case c = w.Register(Motion());
  const auto actions = w.service.Actions(c, "registrar");
  REQUIRE(actions.size() == 5);
  CHECK(actions[1].event == "distribute");
  CHECK(actions[1].label == "Fördelning");
  REQUIRE(actions[1].fields.size() == 2);
  CHECK(actions[1].fields[0].name == "to");
  CHECK(actions[1].fields[0].required);
  CHECK(actions[1].fields[1].name == "consult");
  CHECK_FALSE(actions[1].fields[1].required);
}

TEST_CASE(
    "Actions offer write_off once the motion has been reported unanswered, and nothing when "
    "closed") {
  World w;
  const Case reg = w.Register(Motion());
  const Case reported = w.Apply(reg.id, {{"event", "report_unanswered"}, {"organ", "rf"}});
  const auto actions = w.service.Actions(reported, "registrar");
  CHECK(std::any_of(actions.begin(), actions.end(),
                    [](const Action& a) { return a.event == "write_off" && a.permitted; }));
  const Case closed = w.Apply(reg.id, {{"event", "withdraw"}, {"organ", "rf"}});
  CHECK(closed.state == "withdrawn");
  CHECK(w.service.Actions(closed, "admin").empty());
}

TEST_CASE("ListCases asks the reader with today's Stockholm date for overdue") {
  World w;
  w.Register(Motion("Kultur för hälsa"));
  w.Register(Motion("Fler vårdplatser"));
  w.clock.Set(Utc(2022_y / 6 / 15, 22h + 30min));
  CaseFilter filter;
  filter.overdue = true;
  const CasePage page = w.service.ListCases(filter);
  REQUIRE(w.reader.last_filter.has_value());
  CHECK(w.reader.last_filter->today == 2022_y / 6 / 16);
  CHECK(page.total == 2);  // decision_due 2022-06-15 has passed
  REQUIRE(page.items.size() == 2);
  CHECK(page.items[0].title == "Fler vårdplatser");  // newest first
}

TEST_CASE("Organs come from the reader") {
  World w;
  const auto organs = w.service.Organs();
  REQUIRE(organs.size() == 14);
  CHECK(organs[0].code == "rf");
  CHECK(organs[5].presidium == std::optional<std::string>("fs-pres"));
}

}  // namespace
}  // namespace kansli::workflow
