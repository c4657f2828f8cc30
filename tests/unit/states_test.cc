// The case machines, checked against api.md's tables written out again here as
// plain data. The tables are deliberately not derived from the machines: a row
// missing from (or added to) the MSM transition table must show up as a
// difference between the two.
#include "states/machine.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace kansli::states {
namespace {

// One allowed (state, event) pair of api.md.
struct Step {
  const char* from;
  const char* event;
  const char* to;
  // Allowed only once the motion has been reported unanswered (write_off).
  bool needs_report = false;
};

// A machine's part of api.md.
struct Spec {
  const Machine& machine;
  std::vector<std::string> states;  // in api.md's order, the first the initial state
  std::vector<std::string> final_states;
  std::vector<std::string> events;  // in api.md's order
  std::vector<Step> steps;
};

const Spec& MotionSpec() {
  static const Spec spec{
      MotionMachine(),
      {"registered", "distributed", "in_preparation", "answered", "board_preparation",
       "ready_for_council", "decided", "written_off", "withdrawn"},
      {"decided", "written_off", "withdrawn"},
      {"announce", "distribute", "begin_preparation", "note", "request_material",
       "material_delivered", "request_views", "views_delivered", "recommend", "adopt_answer",
       "board_prepare", "board_propose", "table", "refer_back", "decide", "report_unanswered",
       "write_off", "withdraw"},
      {
          {"registered", "announce", "registered"},
          {"distributed", "announce", "distributed"},
          {"registered", "distribute", "distributed"},
          {"distributed", "begin_preparation", "in_preparation"},
          // "Preparation starts by itself" for note, request_material,
          // material_delivered, request_views and recommend on a distributed motion.
          {"registered", "note", "registered"},
          {"distributed", "note", "in_preparation"},
          {"in_preparation", "note", "in_preparation"},
          {"answered", "note", "answered"},
          {"board_preparation", "note", "board_preparation"},
          {"ready_for_council", "note", "ready_for_council"},
          {"distributed", "request_material", "in_preparation"},
          {"in_preparation", "request_material", "in_preparation"},
          {"distributed", "material_delivered", "in_preparation"},
          {"in_preparation", "material_delivered", "in_preparation"},
          {"distributed", "request_views", "in_preparation"},
          {"in_preparation", "request_views", "in_preparation"},
          {"answered", "request_views", "answered"},
          {"in_preparation", "views_delivered", "in_preparation"},
          {"answered", "views_delivered", "answered"},
          {"distributed", "recommend", "in_preparation"},
          {"in_preparation", "recommend", "in_preparation"},
          {"board_preparation", "recommend", "board_preparation"},
          {"in_preparation", "adopt_answer", "answered"},
          {"answered", "board_prepare", "board_preparation"},
          {"answered", "board_propose", "ready_for_council"},
          {"board_preparation", "board_propose", "ready_for_council"},
          {"ready_for_council", "table", "ready_for_council"},
          {"board_preparation", "table", "board_preparation"},
          {"answered", "refer_back", "in_preparation"},
          {"board_preparation", "refer_back", "in_preparation"},
          {"ready_for_council", "refer_back", "in_preparation"},
          {"ready_for_council", "decide", "decided"},
          {"registered", "report_unanswered", "registered"},
          {"distributed", "report_unanswered", "distributed"},
          {"in_preparation", "report_unanswered", "in_preparation"},
          {"answered", "report_unanswered", "answered"},
          {"board_preparation", "report_unanswered", "board_preparation"},
          {"ready_for_council", "report_unanswered", "ready_for_council"},
          {"registered", "write_off", "written_off", true},
          {"distributed", "write_off", "written_off", true},
          {"in_preparation", "write_off", "written_off", true},
          {"answered", "write_off", "written_off", true},
          {"board_preparation", "write_off", "written_off", true},
          {"ready_for_council", "write_off", "written_off", true},
          {"registered", "withdraw", "withdrawn"},
          {"distributed", "withdraw", "withdrawn"},
          {"in_preparation", "withdraw", "withdrawn"},
          {"answered", "withdraw", "withdrawn"},
          {"board_preparation", "withdraw", "withdrawn"},
          {"ready_for_council", "withdraw", "withdrawn"},
      }};
  return spec;
}

const Spec& RemissSpec() {
  static const Spec spec{
      RemissMachine(),
      {"registered", "distributed", "in_preparation", "proposal_ready", "decided", "answered",
       "declined", "withdrawn"},
      {"answered", "declined", "withdrawn"},
      {"distribute", "begin_preparation", "note", "extend_deadline", "propose_response",
       "decide_response", "send_response", "decline", "withdraw"},
      {
          {"registered", "distribute", "distributed"},
          {"distributed", "begin_preparation", "in_preparation"},
          {"registered", "note", "registered"},
          {"distributed", "note", "distributed"},
          {"in_preparation", "note", "in_preparation"},
          {"proposal_ready", "note", "proposal_ready"},
          {"decided", "note", "decided"},
          {"registered", "extend_deadline", "registered"},
          {"distributed", "extend_deadline", "distributed"},
          {"in_preparation", "extend_deadline", "in_preparation"},
          {"proposal_ready", "extend_deadline", "proposal_ready"},
          {"decided", "extend_deadline", "decided"},
          {"in_preparation", "propose_response", "proposal_ready"},
          {"proposal_ready", "decide_response", "decided"},
          {"in_preparation", "decide_response", "decided"},
          {"decided", "send_response", "answered"},
          {"registered", "decline", "declined"},
          {"distributed", "decline", "declined"},
          {"in_preparation", "decline", "declined"},
          {"registered", "withdraw", "withdrawn"},
          {"distributed", "withdraw", "withdrawn"},
          {"in_preparation", "withdraw", "withdrawn"},
          {"proposal_ready", "withdraw", "withdrawn"},
          {"decided", "withdraw", "withdrawn"},
      }};
  return spec;
}

const Facts kNotReported{false};
const Facts kReported{true};

bool IsFinal(const Spec& spec, const std::string& state) {
  return std::count(spec.final_states.begin(), spec.final_states.end(), state) > 0;
}

// The step api.md allows for (state, event) under `facts`, or nullptr.
const Step* Allowed(const Spec& spec, const std::string& state, const std::string& event,
                    const Facts& facts) {
  for (const Step& step : spec.steps) {
    if (state == step.from && event == step.event &&
        (!step.needs_report || facts.reported_unanswered)) {
      return &step;
    }
  }
  return nullptr;
}

void CheckNames(const Spec& spec) {
  const Machine& m = spec.machine;
  CHECK(m.States() == spec.states);
  CHECK(m.Events() == spec.events);
  CHECK(m.InitialState() == "registered");
  for (const std::string& state : spec.states) {
    INFO(m.CaseType(), " state ", state);
    CHECK(m.IsState(state));
    CHECK(m.IsOpen(state) == !IsFinal(spec, state));
  }
  for (const std::string& event : spec.events) {
    INFO(m.CaseType(), " event ", event);
    CHECK(m.IsEvent(event));
  }
  CHECK_FALSE(m.IsState("nonsense"));
  CHECK_FALSE(m.IsEvent("nonsense"));
  CHECK_FALSE(m.IsOpen("nonsense"));
}

void CheckEveryStep(const Spec& spec) {
  for (const Step& step : spec.steps) {
    INFO(spec.machine.CaseType(), ": ", step.from, " --", step.event, "--> ", step.to);
    const Verdict verdict = spec.machine.Fire(step.from, step.event, kReported);
    CHECK(verdict.accepted);
    CHECK(verdict.to_state == step.to);
  }
}

// Every (state, event, facts) combination, so that both the allowed ones and
// their complement are pinned down.
void CheckEveryCombination(const Spec& spec) {
  for (const Facts& facts : {kNotReported, kReported}) {
    for (const std::string& state : spec.states) {
      for (const std::string& event : spec.events) {
        INFO(spec.machine.CaseType(), ": ", event, " in ", state,
             facts.reported_unanswered ? " (reported)" : " (not reported)");
        const Step* step = Allowed(spec, state, event, facts);
        const Verdict verdict = spec.machine.Fire(state, event, facts);
        if (step == nullptr) {
          CHECK_FALSE(verdict.accepted);
          CHECK(verdict.to_state.empty());
        } else {
          CHECK(verdict.accepted);
          CHECK(verdict.to_state == step->to);
        }
      }
    }
  }
}

void CheckAllowedEvents(const Spec& spec) {
  for (const Facts& facts : {kNotReported, kReported}) {
    for (const std::string& state : spec.states) {
      INFO(spec.machine.CaseType(), ": ", state,
           facts.reported_unanswered ? " (reported)" : " (not reported)");
      std::vector<std::string> expected;
      for (const std::string& event : spec.events) {
        if (Allowed(spec, state, event, facts) != nullptr) expected.push_back(event);
      }
      CHECK(spec.machine.AllowedEvents(state, facts) == expected);
      CHECK(expected.empty() == IsFinal(spec, state));
    }
  }
}

void CheckRoundTrip(const Spec& spec) {
  for (const std::string& state : spec.states) {
    INFO(spec.machine.CaseType(), ": ", state);
    int internal_events = 0;
    for (const Step& step : spec.steps) {
      if (state != step.from || state != step.to) continue;
      ++internal_events;
      INFO("internal event ", step.event);
      const Verdict verdict = spec.machine.Fire(state, step.event, kReported);
      CHECK(verdict.accepted);
      CHECK(verdict.to_state == state);
      // The returned name restores the same state again.
      CHECK(spec.machine.Fire(verdict.to_state, step.event, kReported).to_state == state);
    }
    if (IsFinal(spec, state)) {
      // A final state has no internal event; restoring it must still succeed
      // (Fire throws std::logic_error when a restore lands elsewhere).
      for (const std::string& event : spec.events) {
        CHECK_NOTHROW(spec.machine.Fire(state, event, kReported));
      }
    } else {
      CHECK(internal_events > 0);
    }
  }
}

// Feeds each resulting name back in, as CaseService does with the stored state.
std::string Walk(const Machine& machine, std::string state, const std::vector<std::string>& events,
                 const Facts& facts) {
  for (const std::string& event : events) {
    INFO(machine.CaseType(), ": ", event, " in ", state);
    const Verdict verdict = machine.Fire(state, event, facts);
    REQUIRE(verdict.accepted);
    state = verdict.to_state;
  }
  return state;
}

void CheckUnknownNames(const Machine& m) {
  CHECK_THROWS_AS(m.Fire("nonsense", "note", kNotReported), std::invalid_argument);
  CHECK_THROWS_AS(m.Fire("registered", "nonsense", kNotReported), std::invalid_argument);
  CHECK_THROWS_AS(m.Fire("", "", kNotReported), std::invalid_argument);
  // Names are exact codes: no case folding, no trimming.
  CHECK_THROWS_AS(m.Fire("Registered", "note", kNotReported), std::invalid_argument);
  CHECK_THROWS_AS(m.Fire("registered", " note", kNotReported), std::invalid_argument);
  CHECK_THROWS_AS(m.AllowedEvents("nonsense", kNotReported), std::invalid_argument);
  // The other machine's vocabulary is unknown too.
  const std::string foreign = m.CaseType() == "motion" ? "send_response" : "adopt_answer";
  CHECK_THROWS_AS(m.Fire("registered", foreign, kNotReported), std::invalid_argument);
}

TEST_CASE("the motion machine names its states, events and open states as api.md does") {
  CHECK(MotionMachine().CaseType() == "motion");
  CheckNames(MotionSpec());
}

TEST_CASE("the remiss machine names its states, events and open states as api.md does") {
  CHECK(RemissMachine().CaseType() == "remiss");
  CheckNames(RemissSpec());
}

TEST_CASE("every motion table row takes its source state to its target state") {
  CheckEveryStep(MotionSpec());
}

TEST_CASE("every remiss table row takes its source state to its target state") {
  CheckEveryStep(RemissSpec());
}

TEST_CASE("a motion rejects every event its table does not allow, in every state") {
  CheckEveryCombination(MotionSpec());
}

TEST_CASE("a remiss rejects every event its table does not allow, in every state") {
  CheckEveryCombination(RemissSpec());
}

TEST_CASE("the allowed motion events are exactly the table's, in api.md order") {
  CheckAllowedEvents(MotionSpec());
}

TEST_CASE("the allowed remiss events are exactly the table's, in api.md order") {
  CheckAllowedEvents(RemissSpec());
}

TEST_CASE("a motion is written off only after it has been reported unanswered") {
  const Machine& m = MotionMachine();
  for (const std::string& state : MotionSpec().states) {
    INFO("state ", state);
    CHECK_FALSE(m.Fire(state, "write_off", kNotReported).accepted);
    if (m.IsOpen(state)) {
      // The report itself leaves the state alone; the fact comes from history.
      CHECK(m.Fire(state, "report_unanswered", kNotReported).to_state == state);
      const Verdict after = m.Fire(state, "write_off", kReported);
      CHECK(after.accepted);
      CHECK(after.to_state == "written_off");
    } else {
      CHECK_FALSE(m.Fire(state, "write_off", kReported).accepted);
    }
  }
}

TEST_CASE("the remiss machine ignores the motion's report fact") {
  for (const std::string& state : RemissSpec().states) {
    INFO("state ", state);
    CHECK(RemissMachine().AllowedEvents(state, kNotReported) ==
          RemissMachine().AllowedEvents(state, kReported));
  }
}

TEST_CASE("restoring any motion state and firing an internal event keeps that state") {
  CheckRoundTrip(MotionSpec());
}

TEST_CASE("restoring any remiss state and firing an internal event keeps that state") {
  CheckRoundTrip(RemissSpec());
}

TEST_CASE("a motion walks from registration to a decision through stored names") {
  CHECK(Walk(MotionMachine(), "registered",
             {"announce", "distribute", "announce", "note", "request_material",
              "material_delivered", "request_views", "views_delivered", "recommend", "adopt_answer",
              "board_prepare", "recommend", "table", "board_propose", "table", "refer_back",
              "adopt_answer", "board_propose", "decide"},
             kNotReported) == "decided");
}

TEST_CASE("a remiss walks from registration to a sent response through stored names") {
  CHECK(Walk(RemissMachine(), "registered",
             {"extend_deadline", "distribute", "begin_preparation", "propose_response", "note",
              "decide_response", "send_response"},
             kNotReported) == "answered");
}

TEST_CASE("unknown state and event names throw invalid_argument") {
  CheckUnknownNames(MotionMachine());
  CheckUnknownNames(RemissMachine());
}

TEST_CASE("MachineFor finds each machine by its case type and nothing else") {
  CHECK(MachineFor("motion") == &MotionMachine());
  CHECK(MachineFor("remiss") == &RemissMachine());
  CHECK(MachineFor("Motion") == nullptr);
  CHECK(MachineFor("") == nullptr);
  CHECK(MachineFor("medborgarförslag") == nullptr);
}

}  // namespace
}  // namespace kansli::states
