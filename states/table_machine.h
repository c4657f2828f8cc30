// Internal to states/ (not part of the public contract): the Boost-free half
// of a Machine. The name tables and the argument checks are shared here so
// that motion_machine.cc and remiss_machine.cc hold nothing but their MSM
// definitions, and so that no Boost header leaks out of a .cc file.
//
// Thread safety: a TableMachine is immutable after construction.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "states/machine.h"

namespace kansli::states::internal {

// What one run of an MSM back-end observed.
struct Run {
  // The state the back-end was in after restoration, as recorded by the state
  // itself. Fire compares it with the requested state, so every Fire is also a
  // round-trip check of the restore rows.
  std::string restored_state;
  bool accepted = false;
  // The state after the event; empty when not accepted.
  std::string to_state;
};

// Builds a fresh MSM back-end, restores it in `state` (a valid state name),
// offers event number `event` (an index into the machine's Events()) under
// `facts` and reports what happened. Must not keep state between calls.
using Runner = Run (*)(const std::string& state, std::size_t event, const Facts& facts);

class TableMachine final : public Machine {
 public:
  // `states` in api.md order, the first being the initial state; `final_states`
  // a subset of `states`; `events` in the order `runner` numbers them.
  TableMachine(std::string case_type, std::vector<std::string> states,
               std::vector<std::string> final_states, std::vector<std::string> events,
               Runner runner);

  const std::string& CaseType() const override { return case_type_; }
  const std::vector<std::string>& States() const override { return states_; }
  const std::vector<std::string>& Events() const override { return events_; }
  const std::string& InitialState() const override { return states_.front(); }
  // False for an unknown state name: it is not an open state.
  bool IsOpen(const std::string& state) const override;
  // Also throws std::logic_error if the back-end could not be restored in
  // `state` (a defect in the machine's restore rows, never a user error).
  Verdict Fire(const std::string& state, const std::string& event,
               const Facts& facts) const override;

 private:
  std::string case_type_;
  std::vector<std::string> states_;
  std::vector<std::string> final_states_;
  std::vector<std::string> events_;
  Runner runner_;
};

}  // namespace kansli::states::internal
