// The case state machines, seen from outside: states and events are stable
// lower-case ASCII names (api.md), never MSM's numeric ids, so a stored state
// name can always be restored. Everything here is pure: no I/O, no clock.
//
// Thread safety: all functions are reentrant; a Machine is immutable after
// construction and may be shared between threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kansli::states {

// Facts about the case that guards read. They come from the case's history,
// never from the machine itself.
struct Facts {
  // A KL 5 kap. 35 § report (report_unanswered) has been recorded on the motion.
  bool reported_unanswered = false;
};

// Result of offering an event to a machine in a given state.
struct Verdict {
  bool accepted = false;
  // The state after the event (equal to the source state for internal
  // transitions); empty when not accepted.
  std::string to_state;
};

class Machine {
 public:
  virtual ~Machine() = default;

  // "motion" or "remiss".
  virtual const std::string& CaseType() const = 0;
  // Every state name, in the order of api.md's table.
  virtual const std::vector<std::string>& States() const = 0;
  // Every event name the machine knows (including ones allowed in no state).
  virtual const std::vector<std::string>& Events() const = 0;
  // The state a newly created case is in ("registered").
  virtual const std::string& InitialState() const = 0;

  bool IsState(const std::string& state) const;
  bool IsEvent(const std::string& event) const;
  // Open states are every state but the final ones.
  virtual bool IsOpen(const std::string& state) const = 0;

  // Restores the machine in `state`, offers `event` and reports the outcome.
  // An event the state does not allow (or whose guard fails) is a value
  // (accepted == false), not an exception.
  // Throws std::invalid_argument for an unknown state or event name.
  virtual Verdict Fire(const std::string& state, const std::string& event,
                       const Facts& facts) const = 0;

  // The events Fire would accept in `state` given `facts`, in Events() order.
  // Throws std::invalid_argument for an unknown state name.
  std::vector<std::string> AllowedEvents(const std::string& state, const Facts& facts) const;
};

// The motion machine (api.md, "Motion events"). Implemented with Boost.MSM in
// motion_machine.cc; the returned object lives for the whole program.
const Machine& MotionMachine();

// The remiss machine (api.md, "Remiss events").
const Machine& RemissMachine();

// The machine for a case type, or nullptr for an unknown type.
const Machine* MachineFor(const std::string& case_type);

}  // namespace kansli::states
