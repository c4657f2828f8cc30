#include "states/machine.h"

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <utility>

#include "states/table_machine.h"

namespace kansli::states {
namespace {

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

bool Machine::IsState(const std::string& state) const { return Contains(States(), state); }

bool Machine::IsEvent(const std::string& event) const { return Contains(Events(), event); }

std::vector<std::string> Machine::AllowedEvents(const std::string& state,
                                                const Facts& facts) const {
  if (!IsState(state)) {
    throw std::invalid_argument("unknown " + CaseType() + " state '" + state + "'");
  }
  // Asking the machine itself, rather than keeping a second table, means the
  // list can never disagree with what Fire accepts; a few dozen MSM runs of
  // a machine that lives on the stack cost microseconds.
  std::vector<std::string> allowed;
  for (const std::string& event : Events()) {
    if (Fire(state, event, facts).accepted) allowed.push_back(event);
  }
  return allowed;
}

const Machine* MachineFor(const std::string& case_type) {
  if (case_type == MotionMachine().CaseType()) return &MotionMachine();
  if (case_type == RemissMachine().CaseType()) return &RemissMachine();
  return nullptr;
}

namespace internal {

TableMachine::TableMachine(std::string case_type, std::vector<std::string> states,
                           std::vector<std::string> final_states, std::vector<std::string> events,
                           Runner runner)
    : case_type_(std::move(case_type)),
      states_(std::move(states)),
      final_states_(std::move(final_states)),
      events_(std::move(events)),
      runner_(runner) {
  if (states_.empty() || events_.empty() || runner_ == nullptr) {
    throw std::logic_error("a " + case_type_ + " machine needs states, events and a runner");
  }
}

bool TableMachine::IsOpen(const std::string& state) const {
  return IsState(state) && !Contains(final_states_, state);
}

Verdict TableMachine::Fire(const std::string& state, const std::string& event,
                           const Facts& facts) const {
  if (!IsState(state)) {
    throw std::invalid_argument("unknown " + case_type_ + " state '" + state + "'");
  }
  const auto found = std::find(events_.begin(), events_.end(), event);
  if (found == events_.end()) {
    throw std::invalid_argument("unknown " + case_type_ + " event '" + event + "'");
  }
  Run run = runner_(state, static_cast<std::size_t>(found - events_.begin()), facts);
  if (run.restored_state != state) {
    throw std::logic_error("the " + case_type_ + " machine restored '" + state + "' as '" +
                           run.restored_state + "'");
  }
  Verdict verdict;
  verdict.accepted = run.accepted;
  if (run.accepted) verdict.to_state = std::move(run.to_state);
  return verdict;
}

}  // namespace internal
}  // namespace kansli::states
