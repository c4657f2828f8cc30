// The remiss machine (api.md, "Remiss events") as one Boost.MSM state machine.
//
// Built like motion_machine.cc (see there): a back-end per Fire, restored from
// the stored state name through an Init pseudo-state. The small MSM helpers
// are repeated rather than shared so that no Boost header has to live in a
// header file and each machine stays one self-contained translation unit.
#include <cstddef>
#include <exception>
#include <string>
#include <vector>

#include <boost/mpl/vector.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "states/machine.h"
#include "states/table_machine.h"

namespace kansli::states {
namespace {

namespace msm = boost::msm;
namespace msmf = boost::msm::front;
using msmf::none;
using msmf::Row;

// A state that records its own name when entered (see motion_machine.cc).
template <class Derived>
struct Named : msmf::state<> {
  template <class Event, class Fsm>
  void on_entry(const Event& /*event*/, Fsm& fsm) {
    fsm.current_ = Derived::kName;
  }
};

struct Registered : Named<Registered> {
  static constexpr const char* kName = "registered";
};
struct Distributed : Named<Distributed> {
  static constexpr const char* kName = "distributed";
};
struct InPreparation : Named<InPreparation> {
  static constexpr const char* kName = "in_preparation";
};
struct ProposalReady : Named<ProposalReady> {
  static constexpr const char* kName = "proposal_ready";
};
// The yttrande is adopted but not yet sent: still an open state.
struct Decided : Named<Decided> {
  static constexpr const char* kName = "decided";
};
struct Answered : Named<Answered> {
  static constexpr const char* kName = "answered";
};
struct Declined : Named<Declined> {
  static constexpr const char* kName = "declined";
};
struct Withdrawn : Named<Withdrawn> {
  static constexpr const char* kName = "withdrawn";
};

struct Distribute {
  static constexpr const char* kName = "distribute";
};
struct BeginPreparation {
  static constexpr const char* kName = "begin_preparation";
};
struct Note {
  static constexpr const char* kName = "note";
};
struct ExtendDeadline {
  static constexpr const char* kName = "extend_deadline";
};
struct ProposeResponse {
  static constexpr const char* kName = "propose_response";
};
struct DecideResponse {
  static constexpr const char* kName = "decide_response";
};
struct SendResponse {
  static constexpr const char* kName = "send_response";
};
struct Decline {
  static constexpr const char* kName = "decline";
};
struct Withdraw {
  static constexpr const char* kName = "withdraw";
};

// Guard of the restore rows, keyed on the row's own target type.
struct IsRestoreTarget {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& /*event*/, Fsm& fsm, Source& /*source*/, Target& /*target*/) const {
    return fsm.restore_target_ == Target::kName;
  }
};

struct RemissDef : msmf::state_machine_def<RemissDef> {
  // Start pseudo-state; its event-less rows jump to restore_target_.
  struct Init : msmf::state<> {};
  using initial_state = Init;

  // Set before start(); read by the guards. No remiss guard reads facts yet,
  // but they are kept so both machines are driven the same way.
  std::string restore_target_;
  Facts facts_;
  // Maintained by Named::on_entry; empty while in Init.
  const char* current_ = "";
  bool rejected_ = false;
  std::exception_ptr error_;

  // The defaults assert; a rejection is an expected outcome, kept as data.
  template <class Fsm, class Event>
  void no_transition(const Event& /*event*/, Fsm& /*fsm*/, int /*state*/) {
    rejected_ = true;
  }
  // Rethrown by the runner once MSM has unwound.
  template <class Fsm, class Event>
  void exception_caught(const Event& /*event*/, Fsm& /*fsm*/, std::exception& /*error*/) {
    error_ = std::current_exception();
  }

  // clang-format off
  using transition_table = boost::mpl::vector<
    //   source         event             target         action guard
    // Restoration from the stored name (event-less, so taken on start()).
    Row<Init,          none,             Registered,    none, IsRestoreTarget>,
    Row<Init,          none,             Distributed,   none, IsRestoreTarget>,
    Row<Init,          none,             InPreparation, none, IsRestoreTarget>,
    Row<Init,          none,             ProposalReady, none, IsRestoreTarget>,
    Row<Init,          none,             Decided,       none, IsRestoreTarget>,
    Row<Init,          none,             Answered,      none, IsRestoreTarget>,
    Row<Init,          none,             Declined,      none, IsRestoreTarget>,
    Row<Init,          none,             Withdrawn,     none, IsRestoreTarget>,
    // api.md "Remiss events", in its order.
    Row<Registered,    Distribute,       Distributed>,
    Row<Distributed,   BeginPreparation, InPreparation>,
    Row<Registered,    Note,             Registered>,
    Row<Distributed,   Note,             Distributed>,
    Row<InPreparation, Note,             InPreparation>,
    Row<ProposalReady, Note,             ProposalReady>,
    Row<Decided,       Note,             Decided>,
    Row<Registered,    ExtendDeadline,   Registered>,
    Row<Distributed,   ExtendDeadline,   Distributed>,
    Row<InPreparation, ExtendDeadline,   InPreparation>,
    Row<ProposalReady, ExtendDeadline,   ProposalReady>,
    Row<Decided,       ExtendDeadline,   Decided>,
    Row<InPreparation, ProposeResponse,  ProposalReady>,
    Row<ProposalReady, DecideResponse,   Decided>,
    Row<InPreparation, DecideResponse,   Decided>,
    Row<Decided,       SendResponse,     Answered>,
    Row<Registered,    Decline,          Declined>,
    Row<Distributed,   Decline,          Declined>,
    Row<InPreparation, Decline,          Declined>,
    Row<Registered,    Withdraw,         Withdrawn>,
    Row<Distributed,   Withdraw,         Withdrawn>,
    Row<InPreparation, Withdraw,         Withdrawn>,
    Row<ProposalReady, Withdraw,         Withdrawn>,
    Row<Decided,       Withdraw,         Withdrawn>
  >;
  // clang-format on
};

using Remiss = msm::back::state_machine<RemissDef>;

template <class... States>
std::vector<std::string> NamesOf() {
  return {States::kName...};
}

template <class Event>
msm::back::HandledEnum Offer(Remiss& remiss) {
  return remiss.process_event(Event{});
}

// Events in api.md order, the single source of Events() and of the numbering.
template <class... Events>
struct EventList {
  static std::vector<std::string> Names() { return NamesOf<Events...>(); }
  static msm::back::HandledEnum OfferNumber(Remiss& remiss, std::size_t event) {
    using OfferFn = msm::back::HandledEnum (*)(Remiss&);
    static constexpr OfferFn kOffers[] = {&Offer<Events>...};
    return kOffers[event](remiss);
  }
};

using RemissEvents = EventList<Distribute, BeginPreparation, Note, ExtendDeadline, ProposeResponse,
                               DecideResponse, SendResponse, Decline, Withdraw>;

internal::Run RunRemiss(const std::string& state, std::size_t event, const Facts& facts) {
  Remiss remiss;
  remiss.restore_target_ = state;
  remiss.facts_ = facts;
  remiss.start();

  internal::Run run;
  run.restored_state = remiss.current_;
  const msm::back::HandledEnum handled = RemissEvents::OfferNumber(remiss, event);
  if (remiss.error_) std::rethrow_exception(remiss.error_);
  run.accepted = handled == msm::back::HANDLED_TRUE && !remiss.rejected_;
  if (run.accepted) run.to_state = remiss.current_;
  return run;
}

}  // namespace

const Machine& RemissMachine() {
  static const internal::TableMachine machine(
      "remiss",
      NamesOf<Registered, Distributed, InPreparation, ProposalReady, Decided, Answered, Declined,
              Withdrawn>(),
      NamesOf<Answered, Declined, Withdrawn>(), RemissEvents::Names(), &RunRemiss);
  return machine;
}

}  // namespace kansli::states
