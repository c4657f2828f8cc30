// The motion machine (api.md, "Motion events") as one Boost.MSM state machine.
//
// A back-end lives only for one Fire: it is built on the stack, restored from
// the stored state NAME and offered one event. MSM's numeric state ids follow
// the order in which states appear in the transition table, so they would
// change meaning whenever a row is added; they are never read or stored here.
#include <cstddef>
#include <exception>
#include <string>
#include <vector>

#include <boost/mpl/end.hpp>
#include <boost/mpl/insert_range.hpp>
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

// A state that records its own name when entered: that name, not an MSM id,
// is what Fire reports and what the case row stores.
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
struct Answered : Named<Answered> {
  static constexpr const char* kName = "answered";
};
struct BoardPreparation : Named<BoardPreparation> {
  static constexpr const char* kName = "board_preparation";
};
struct ReadyForCouncil : Named<ReadyForCouncil> {
  static constexpr const char* kName = "ready_for_council";
};
struct Decided : Named<Decided> {
  static constexpr const char* kName = "decided";
};
struct WrittenOff : Named<WrittenOff> {
  static constexpr const char* kName = "written_off";
};
struct Withdrawn : Named<Withdrawn> {
  static constexpr const char* kName = "withdrawn";
};

struct Announce {
  static constexpr const char* kName = "announce";
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
struct RequestMaterial {
  static constexpr const char* kName = "request_material";
};
struct MaterialDelivered {
  static constexpr const char* kName = "material_delivered";
};
struct RequestViews {
  static constexpr const char* kName = "request_views";
};
struct ViewsDelivered {
  static constexpr const char* kName = "views_delivered";
};
struct Recommend {
  static constexpr const char* kName = "recommend";
};
struct AdoptAnswer {
  static constexpr const char* kName = "adopt_answer";
};
struct BoardPrepare {
  static constexpr const char* kName = "board_prepare";
};
struct BoardPropose {
  static constexpr const char* kName = "board_propose";
};
struct Table {
  static constexpr const char* kName = "table";
};
struct ReferBack {
  static constexpr const char* kName = "refer_back";
};
struct Decide {
  static constexpr const char* kName = "decide";
};
struct ReportUnanswered {
  static constexpr const char* kName = "report_unanswered";
};
struct WriteOff {
  static constexpr const char* kName = "write_off";
};
struct Withdraw {
  static constexpr const char* kName = "withdraw";
};

// Guard of the restore rows: taking the row's own target type means a row
// cannot restore one name into another state.
struct IsRestoreTarget {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& /*event*/, Fsm& fsm, Source& /*source*/, Target& /*target*/) const {
    return fsm.restore_target_ == Target::kName;
  }
};

// RF may write a motion off only once the KL 5 kap. 35 § report is recorded.
struct ReportedUnanswered {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& /*event*/, Fsm& fsm, Source& /*source*/, Target& /*target*/) const {
    return fsm.facts_.reported_unanswered;
  }
};

// One mpl::vector holds at most BOOST_MPL_LIMIT_VECTOR_SIZE (50, see
// CMakeLists.txt) rows, fewer than this machine has, so the table is written
// in chunks and joined. g++ gets MPL's typeof-based vectors, which grow past
// the limit by insertion; MSM itself extends tables the same way.
template <class Head, class Tail>
using Join =
    typename boost::mpl::insert_range<Head, typename boost::mpl::end<Head>::type, Tail>::type;

struct MotionDef : msmf::state_machine_def<MotionDef> {
  // The pseudo-state a back-end starts in; its event-less rows move it at
  // once to the state named by restore_target_. A real new case starts in
  // "registered" the same way.
  struct Init : msmf::state<> {};
  using initial_state = Init;

  // Set before start(); read by the guards.
  std::string restore_target_;
  Facts facts_;
  // Maintained by Named::on_entry; empty while in Init.
  const char* current_ = "";
  // An offered event that no row of the active state takes. (A failing guard
  // is reported through process_event's HANDLED_GUARD_REJECT instead.)
  bool rejected_ = false;
  std::exception_ptr error_;

  // The defaults assert, which vanishes under NDEBUG and would let an invalid
  // event pass silently: a rejection is an expected outcome, recorded as data.
  template <class Fsm, class Event>
  void no_transition(const Event& /*event*/, Fsm& /*fsm*/, int /*state*/) {
    rejected_ = true;
  }
  // Called from inside MSM's catch block; kept and rethrown by the runner
  // once MSM has unwound, so a defect is never mistaken for a verdict.
  template <class Fsm, class Event>
  void exception_caught(const Event& /*event*/, Fsm& /*fsm*/, std::exception& /*error*/) {
    error_ = std::current_exception();
  }

  // clang-format off
  //  Row<source,          event,              target,            action, guard>
  // Restoration from the stored name (event-less, so taken on start()).
  using RestoreRows = boost::mpl::vector<
    Row<Init,             none,               Registered,        none, IsRestoreTarget>,
    Row<Init,             none,               Distributed,       none, IsRestoreTarget>,
    Row<Init,             none,               InPreparation,     none, IsRestoreTarget>,
    Row<Init,             none,               Answered,          none, IsRestoreTarget>,
    Row<Init,             none,               BoardPreparation,  none, IsRestoreTarget>,
    Row<Init,             none,               ReadyForCouncil,   none, IsRestoreTarget>,
    Row<Init,             none,               Decided,           none, IsRestoreTarget>,
    Row<Init,             none,               WrittenOff,        none, IsRestoreTarget>,
    Row<Init,             none,               Withdrawn,         none, IsRestoreTarget>
  >;
  // api.md "Motion events", in its order: from announce to adopt_answer...
  using PreparationRows = boost::mpl::vector<
    Row<Registered,       Announce,           Registered>,
    Row<Distributed,      Announce,           Distributed>,
    Row<Registered,       Distribute,         Distributed>,
    Row<Distributed,      BeginPreparation,   InPreparation>,
    // note: any open state, same -- except that preparation starts by itself.
    Row<Registered,       Note,               Registered>,
    Row<Distributed,      Note,               InPreparation>,
    Row<InPreparation,    Note,               InPreparation>,
    Row<Answered,         Note,               Answered>,
    Row<BoardPreparation, Note,               BoardPreparation>,
    Row<ReadyForCouncil,  Note,               ReadyForCouncil>,
    Row<Distributed,      RequestMaterial,    InPreparation>,
    Row<InPreparation,    RequestMaterial,    InPreparation>,
    Row<Distributed,      MaterialDelivered,  InPreparation>,
    Row<InPreparation,    MaterialDelivered,  InPreparation>,
    Row<Distributed,      RequestViews,       InPreparation>,
    Row<InPreparation,    RequestViews,       InPreparation>,
    Row<Answered,         RequestViews,       Answered>,
    // views_delivered is not among the events that start preparation.
    Row<InPreparation,    ViewsDelivered,     InPreparation>,
    Row<Answered,         ViewsDelivered,     Answered>,
    Row<Distributed,      Recommend,          InPreparation>,
    Row<InPreparation,    Recommend,          InPreparation>,
    Row<BoardPreparation, Recommend,          BoardPreparation>,
    Row<InPreparation,    AdoptAnswer,        Answered>
  >;
  // ...and from board_prepare to withdraw.
  using CouncilRows = boost::mpl::vector<
    Row<Answered,         BoardPrepare,       BoardPreparation>,
    Row<Answered,         BoardPropose,       ReadyForCouncil>,
    Row<BoardPreparation, BoardPropose,       ReadyForCouncil>,
    Row<ReadyForCouncil,  Table,              ReadyForCouncil>,
    Row<BoardPreparation, Table,              BoardPreparation>,
    Row<Answered,         ReferBack,          InPreparation>,
    Row<BoardPreparation, ReferBack,          InPreparation>,
    Row<ReadyForCouncil,  ReferBack,          InPreparation>,
    Row<ReadyForCouncil,  Decide,             Decided>,
    Row<Registered,       ReportUnanswered,   Registered>,
    Row<Distributed,      ReportUnanswered,   Distributed>,
    Row<InPreparation,    ReportUnanswered,   InPreparation>,
    Row<Answered,         ReportUnanswered,   Answered>,
    Row<BoardPreparation, ReportUnanswered,   BoardPreparation>,
    Row<ReadyForCouncil,  ReportUnanswered,   ReadyForCouncil>,
    Row<Registered,       WriteOff,           WrittenOff,        none, ReportedUnanswered>,
    Row<Distributed,      WriteOff,           WrittenOff,        none, ReportedUnanswered>,
    Row<InPreparation,    WriteOff,           WrittenOff,        none, ReportedUnanswered>,
    Row<Answered,         WriteOff,           WrittenOff,        none, ReportedUnanswered>,
    Row<BoardPreparation, WriteOff,           WrittenOff,        none, ReportedUnanswered>,
    Row<ReadyForCouncil,  WriteOff,           WrittenOff,        none, ReportedUnanswered>,
    Row<Registered,       Withdraw,           Withdrawn>,
    Row<Distributed,      Withdraw,           Withdrawn>,
    Row<InPreparation,    Withdraw,           Withdrawn>,
    Row<Answered,         Withdraw,           Withdrawn>,
    Row<BoardPreparation, Withdraw,           Withdrawn>,
    Row<ReadyForCouncil,  Withdraw,           Withdrawn>
  >;
  // clang-format on
  using transition_table = Join<Join<RestoreRows, PreparationRows>, CouncilRows>;
};

using Motion = msm::back::state_machine<MotionDef>;

// The name lists are generated from the types, so a name is spelled once.
template <class... States>
std::vector<std::string> NamesOf() {
  return {States::kName...};
}

template <class Event>
msm::back::HandledEnum Offer(Motion& motion) {
  return motion.process_event(Event{});
}

// Events in api.md order: Events() and the runner's numbering both come from
// this one list.
template <class... Events>
struct EventList {
  static std::vector<std::string> Names() { return NamesOf<Events...>(); }
  static msm::back::HandledEnum OfferNumber(Motion& motion, std::size_t event) {
    using OfferFn = msm::back::HandledEnum (*)(Motion&);
    static constexpr OfferFn kOffers[] = {&Offer<Events>...};
    return kOffers[event](motion);
  }
};

using MotionEvents =
    EventList<Announce, Distribute, BeginPreparation, Note, RequestMaterial, MaterialDelivered,
              RequestViews, ViewsDelivered, Recommend, AdoptAnswer, BoardPrepare, BoardPropose,
              Table, ReferBack, Decide, ReportUnanswered, WriteOff, Withdraw>;

internal::Run RunMotion(const std::string& state, std::size_t event, const Facts& facts) {
  Motion motion;
  motion.restore_target_ = state;
  motion.facts_ = facts;
  motion.start();

  internal::Run run;
  run.restored_state = motion.current_;
  const msm::back::HandledEnum handled = MotionEvents::OfferNumber(motion, event);
  if (motion.error_) std::rethrow_exception(motion.error_);
  // Anything but HANDLED_TRUE (no row, guard rejected, deferred) is a refusal.
  run.accepted = handled == msm::back::HANDLED_TRUE && !motion.rejected_;
  if (run.accepted) run.to_state = motion.current_;
  return run;
}

}  // namespace

const Machine& MotionMachine() {
  static const internal::TableMachine machine(
      "motion",
      NamesOf<Registered, Distributed, InPreparation, Answered, BoardPreparation, ReadyForCouncil,
              Decided, WrittenOff, Withdrawn>(),
      NamesOf<Decided, WrittenOff, Withdrawn>(), MotionEvents::Names(), &RunMotion);
  return machine;
}

}  // namespace kansli::states
