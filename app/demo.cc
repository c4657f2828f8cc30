#include "app/demo.h"

#include <stdexcept>

#include "workflow/errors.h"

namespace kansli::app {

using nlohmann::json;

namespace {

const std::vector<std::pair<std::string, std::string>>& EmbeddedDemo() {
  static const std::vector<std::pair<std::string, std::string>> files = {
#include "demo.inc"
  };
  return files;
}

json Strip(json j) {
  if (j.is_object()) {
    j.erase("source_lines");
    j.erase("create_source_lines");
  }
  return j;
}

const workflow::Actor kImporter{"import", "admin"};

}  // namespace

ReplayResult Replay(workflow::CaseService& cases, const json& doc, bool skip_existing) {
  if (!doc.is_object() || !doc.contains("create"))
    throw workflow::ValidationError("create", "a replay document needs a 'create' object");
  const json create = Strip(doc["create"]);
  const auto reg = workflow::DecodeRegistration(create);
  ReplayResult result;
  if (reg.reference && skip_existing) {
    const auto ref = cases.NormaliseReference(*reg.reference);
    workflow::CaseFilter f;
    f.reference = ref;
    f.limit = 1;
    const auto found = ref ? cases.ListCases(f) : workflow::CasePage{};
    if (!found.items.empty()) {
      result.case_id = found.items[0].id;
      result.reference = found.items[0].reference;
      result.state = found.items[0].state;
      result.skipped = true;
      return result;
    }
  }
  auto r = cases.Register(reg, kImporter, {});
  result.case_id = r.changed.id;
  result.reference = r.changed.reference;
  result.state = r.changed.state;
  const json events = doc.value("events", json::array());
  for (std::size_t i = 0; i < events.size(); ++i) {
    try {
      const auto cmd = workflow::DecodeEvent(Strip(events[i]));
      result.state = cases.Apply(result.case_id, cmd, kImporter, {}).changed.state;
      ++result.events;
    } catch (const workflow::ValidationError& e) {
      throw workflow::ValidationError("events[" + std::to_string(i) + "]." + e.field(),
                                      "event " + std::to_string(i + 1) + ": " + e.what());
    } catch (const workflow::InvalidTransition& e) {
      throw workflow::InvalidTransition(e.state(), e.event(), e.allowed(),
                                        "event " + std::to_string(i + 1) + ": " + e.what());
    }
  }
  return result;
}

int LoadOrgans(workflow::Transactions& tx, const json& doc) {
  if (!doc.is_object() || !doc.contains("organs") || !doc["organs"].is_array())
    throw workflow::ValidationError("organs", "an organs document needs an 'organs' list");
  int n = 0;
  tx.Run("organs", [&](workflow::UnitOfWork& u) {
    n = 0;
    for (const auto& o : doc["organs"]) {
      workflow::Organ organ;
      organ.code = o.at("code").get<std::string>();
      organ.name = o.at("name").get<std::string>();
      organ.kind = o.at("kind").get<std::string>();
      if (o.contains("parent") && o["parent"].is_string())
        organ.parent = o["parent"].get<std::string>();
      if (o.contains("presidium") && o["presidium"].is_string())
        organ.presidium = o["presidium"].get<std::string>();
      u.UpsertOrgan(organ);
      ++n;
    }
  });
  return n;
}

std::string LoadDemo(workflow::CaseService& cases, workflow::Transactions& tx) {
  std::string report;
  for (const auto& [name, text] : EmbeddedDemo()) {
    if (name == "organs.json") {
      report += "organs: " + std::to_string(LoadOrgans(tx, json::parse(text))) + "\n";
    }
  }
  for (const auto& [name, text] : EmbeddedDemo()) {
    if (name.rfind("meetings/", 0) != 0) continue;
    const json doc = json::parse(text);
    int n = 0;
    for (const auto& m : doc.value("meetings", json::array())) {
      workflow::Meeting meeting;
      meeting.organ = m.at("organ").get<std::string>();
      const auto date = workflow::ParseDate(m.at("date").get<std::string>());
      if (!date) throw workflow::ValidationError("date", "bad meeting date in " + name);
      meeting.date = *date;
      if (m.contains("time") && m["time"].is_string()) meeting.time = m["time"].get<std::string>();
      if (m.contains("place") && m["place"].is_string())
        meeting.place = m["place"].get<std::string>();
      workflow::MeetingFilter f;
      f.organ = meeting.organ;
      f.from = f.to = meeting.date;
      if (!cases.ListMeetings(f).empty()) continue;
      cases.AddMeeting(meeting, kImporter);
      ++n;
    }
    std::string label = name.substr(9);
    if (label.size() > 5 && label.substr(label.size() - 5) == ".json")
      label.resize(label.size() - 5);
    report += "meetings " + label + ": " + std::to_string(n) + "\n";
  }
  for (const auto& [name, text] : EmbeddedDemo()) {
    if (name.rfind("cases/", 0) != 0) continue;
    const auto r = Replay(cases, json::parse(text), true);
    report += r.reference + ": " +
              (r.skipped ? "already loaded" : std::to_string(r.events) + " events") + ", state " +
              r.state + "\n";
  }
  return report;
}

}  // namespace kansli::app
