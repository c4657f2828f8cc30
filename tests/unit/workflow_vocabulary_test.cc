// Swedish labels, per-event fields and role permissions (workflow/vocabulary.h).
#include "workflow/vocabulary.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "states/machine.h"

namespace kansli::workflow {
namespace {

const std::vector<const states::Machine*>& Machines() {
  static const std::vector<const states::Machine*> m = {&states::MotionMachine(),
                                                        &states::RemissMachine()};
  return m;
}

TEST_CASE("Every state of both machines has a Swedish label different from its code") {
  for (const auto* m : Machines()) {
    std::set<std::string> labels;
    for (const auto& state : m->States()) {
      INFO(m->CaseType(), " state ", state);
      const std::string label = StateLabel(m->CaseType(), state);
      CHECK(label != state);
      CHECK_FALSE(label.empty());
      labels.insert(label);
    }
    // Two states with one label could not be told apart in a list.
    CHECK(labels.size() == m->States().size());
  }
}

TEST_CASE("Every event of both machines, and the registration, has a Swedish label") {
  for (const auto* m : Machines()) {
    std::vector<std::string> events = m->Events();
    events.push_back("register");
    std::set<std::string> labels;
    for (const auto& event : events) {
      INFO(m->CaseType(), " event ", event);
      const std::string label = EventLabel(m->CaseType(), event);
      CHECK(label != event);
      CHECK_FALSE(label.empty());
      labels.insert(label);
    }
    CHECK(labels.size() == events.size());
  }
}

TEST_CASE("Labels follow api.md's example and fall back to the code when unknown") {
  CHECK(StateLabel("motion", "in_preparation") == "Under beredning");
  CHECK(StateLabel("motion", "nonsense") == "nonsense");
  CHECK(StateLabel("skrivelse", "registered") == "registered");
  CHECK(EventLabel("remiss", "nonsense") == "nonsense");
  // The same code may read differently per case type.
  CHECK(StateLabel("motion", "withdrawn") != StateLabel("remiss", "withdrawn"));
}

TEST_CASE("Every outcome and case type has a Swedish label") {
  CHECK(OutcomeLabel("approved") == "Bifall");
  CHECK(OutcomeLabel("rejected") == "Avslag");
  CHECK(OutcomeLabel("answered") == "Anse besvarad");
  CHECK(OutcomeLabel("partly_approved") == "Delvis bifall");
  CHECK(OutcomeLabel("other") == "other");
  CHECK(CaseTypeLabel("motion") == "Motion");
  CHECK(CaseTypeLabel("remiss") == "Remiss");
  CHECK(CaseTypeLabel("skrivelse") == "skrivelse");
}

// The names of the required / all fields of an event.
std::vector<std::string> Names(const std::vector<FieldSpec>& specs, bool required_only) {
  std::vector<std::string> out;
  for (const auto& f : specs)
    if (!required_only || f.required) out.push_back(f.name);
  return out;
}

TEST_CASE("EventFields lists the fields of api.md's event tables") {
  CHECK(Names(EventFields("motion", "distribute"), false) ==
        std::vector<std::string>{"to", "consult"});
  CHECK(Names(EventFields("motion", "distribute"), true) == std::vector<std::string>{"to"});
  CHECK(Names(EventFields("motion", "request_material"), false) ==
        std::vector<std::string>{"assignee", "due"});
  CHECK(Names(EventFields("motion", "request_views"), false) ==
        std::vector<std::string>{"to", "due"});
  CHECK(Names(EventFields("motion", "request_views"), true) == std::vector<std::string>{"to"});
  CHECK(Names(EventFields("motion", "views_delivered"), true) == std::vector<std::string>{"from"});
  for (const char* e : {"recommend", "adopt_answer", "board_propose", "decide"}) {
    INFO(e);
    CHECK(Names(EventFields("motion", e), true) == std::vector<std::string>{"outcome"});
  }
  CHECK(Names(EventFields("motion", "refer_back"), false) == std::vector<std::string>{"reason"});
  CHECK(EventFields("motion", "note").empty());
  CHECK(EventFields("motion", "withdraw").empty());
  CHECK(Names(EventFields("remiss", "distribute"), false) ==
        std::vector<std::string>{"to", "officer"});
  CHECK(Names(EventFields("remiss", "extend_deadline"), true) ==
        std::vector<std::string>{"answer_by"});
  CHECK(Names(EventFields("remiss", "decide_response"), false) ==
        std::vector<std::string>{"delegation"});
  CHECK(Names(EventFields("remiss", "decline"), false) == std::vector<std::string>{"reason"});
  CHECK(EventFields("remiss", "send_response").empty());
}

TEST_CASE("Every field an event takes has a Swedish description") {
  for (const auto* m : Machines()) {
    for (const auto& event : m->Events()) {
      for (const auto& f : EventFields(m->CaseType(), event)) {
        INFO(m->CaseType(), " ", event, ".", f.name);
        CHECK_FALSE(f.description.empty());
      }
    }
  }
}

TEST_CASE("A reader may register, record and administer nothing") {
  CHECK_FALSE(MayRegister("reader"));
  CHECK_FALSE(MayAdminister("reader"));
  for (const auto* m : Machines()) {
    for (const auto& event : m->Events()) {
      INFO(m->CaseType(), " ", event);
      CHECK_FALSE(MayRecord("reader", m->CaseType(), event));
    }
  }
}

TEST_CASE("An unknown role may do nothing") {
  CHECK_FALSE(MayRegister("guest"));
  CHECK_FALSE(MayRegister(""));
  CHECK_FALSE(MayAdminister("Admin"));
  CHECK_FALSE(MayRecord("guest", "motion", "note"));
  CHECK_FALSE(MayRecord("", "remiss", "note"));
}

TEST_CASE("An officer may not decide, but may record the work of the officials") {
  CHECK_FALSE(MayRecord("officer", "motion", "decide"));
  CHECK_FALSE(MayRecord("officer", "motion", "adopt_answer"));
  CHECK_FALSE(MayRecord("officer", "motion", "distribute"));
  CHECK_FALSE(MayRecord("officer", "remiss", "decide_response"));
  CHECK_FALSE(MayRecord("officer", "remiss", "send_response"));
  CHECK_FALSE(MayRegister("officer"));
  CHECK(MayRecord("officer", "motion", "material_delivered"));
  CHECK(MayRecord("officer", "motion", "note"));
  CHECK(MayRecord("officer", "remiss", "propose_response"));
  CHECK_FALSE(MayRecord("officer", "motion", "recommend"));
}

TEST_CASE("The registrar may register and record every event") {
  CHECK(MayRegister("registrar"));
  CHECK(MayRegister("admin"));
  CHECK_FALSE(MayRegister("secretary"));
  CHECK_FALSE(MayRegister("presidium"));
  CHECK_FALSE(MayAdminister("registrar"));
  CHECK(MayAdminister("admin"));
  for (const char* role : {"admin", "registrar", "secretary"}) {
    for (const auto* m : Machines()) {
      for (const auto& event : m->Events()) {
        INFO(role, " ", m->CaseType(), " ", event);
        CHECK(MayRecord(role, m->CaseType(), event));
      }
    }
  }
}

TEST_CASE("The presidium may distribute and propose, but not decide") {
  CHECK(MayRecord("presidium", "motion", "distribute"));
  CHECK(MayRecord("presidium", "remiss", "distribute"));
  CHECK(MayRecord("presidium", "motion", "recommend"));
  CHECK(MayRecord("presidium", "motion", "announce"));
  CHECK(MayRecord("presidium", "remiss", "propose_response"));
  CHECK_FALSE(MayRecord("presidium", "motion", "decide"));
  CHECK_FALSE(MayRecord("presidium", "motion", "write_off"));
  CHECK_FALSE(MayRecord("presidium", "motion", "withdraw"));
  CHECK_FALSE(MayRecord("presidium", "remiss", "decide_response"));
}

TEST_CASE("The roles are api.md's six") {
  CHECK(kRoles == std::vector<std::string>{"admin", "registrar", "secretary", "presidium",
                                           "officer", "reader"});
}

}  // namespace
}  // namespace kansli::workflow
