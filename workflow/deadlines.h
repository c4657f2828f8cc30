// The deadline engine: every deadline of a case, derived from the case and
// its history alone, so it can be recomputed in the transaction of any change.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "workflow/model.h"

namespace kansli::workflow {

struct DeadlineSettings {
  // answer_due = distribution date + this many months.
  int answer_period_months = 6;
  // A remiss's decision meeting is the answering organ's last meeting at
  // least this many days before the answer-by date, leaving time to send.
  int remiss_send_margin_days = 7;
};

// The meeting plans the engine back-schedules from. A plain value, filled by
// the caller for the organs that Needs() names.
struct MeetingPlans {
  std::optional<std::string> council;               // the fullmäktige organ's code
  std::map<std::string, std::string> presidium_of;  // organ -> its presidium
  std::map<std::string, std::string> name_of;       // organ -> display name
  std::map<std::string, std::vector<Date>> dates;   // organ -> meeting days, ascending

  // Sets council, presidium_of and name_of from the organisation.
  static MeetingPlans Of(const std::vector<Organ>& organs);
  // The organs whose meeting days ComputeDeadlines reads for `c`: the council
  // for a motion; the answering organ and its presidium for a remiss.
  std::vector<std::string> Needs(const Case& c) const;
  // Whether the organ's plan for latest's year is known: it has a meeting in
  // that year. Without one, "the last meeting before `latest`" is unknown.
  bool Covers(const std::string& organ, const Date& latest) const;
  // The organ's last meeting on or before `latest`, if any.
  std::optional<Date> LastOnOrBefore(const std::string& organ, const Date& latest) const;
  std::string NameOf(const std::string& organ) const;
};

// Deadline kinds back-scheduled from a meeting plan (Deadline::latest is set).
inline const std::vector<std::string> kMeetingDeadlineKinds = {"report_due", "decision_meeting",
                                                               "proposal_due"};

// Pure: same inputs, same deadlines, in a stable order: the case's main
// deadline first (decision_due or answer_by), then the others in the order the
// events that created them were recorded.
//  motion: decision_due (received + 1 year, KL 5 kap. 35 §; met by `decide`),
//          answer_due (distribution + answer_period_months; met by `adopt_answer`),
//          material_due / views_due (the `due` of request_material / request_views;
//          met by the next material_delivered / views_delivered from that organ).
//          report_due (the council's last meeting on or before decision_due; met by
//          `decide` or `report_unanswered`).
//  remiss: answer_by (the sender's date, moved by extend_deadline; met by send_response),
//          once distributed: decision_meeting (the answering organ's last meeting at
//          least remiss_send_margin_days before answer_by; met by decide_response) and
//          proposal_due (its presidium's last meeting before the decision meeting; met
//          by propose_response or, under delegation, decide_response).
// A back-scheduled deadline whose organ's plan does not cover the date
// (MeetingPlans::Covers) falls back to the latest allowed date itself, with
// from_meeting_plan false and a basis that says the plan is missing.
// decision_due and answer_due, which the engine computes, move from a
// non-working day to the next working day (lag (1930:173)); dates that a
// sender or an organ gives (answer_by, due) are kept as given.
// Deadlines still unmet when the case closes are marked cancelled.
std::vector<Deadline> ComputeDeadlines(const Case& c, const std::vector<HistoryEntry>& history,
                                       const DeadlineSettings& settings,
                                       const MeetingPlans& plans = MeetingPlans{});

// Whether appending `event` to a case's history can change what
// ComputeDeadlines returns, leaving aside events that close the case (those
// always can: they cancel what is unmet). Lets a transition skip reading the
// history for events such as `note`; a unit test holds it to ComputeDeadlines.
bool MayChangeDeadlines(const std::string& case_type, const std::string& event);

// Display status relative to `today`.
bool IsOverdue(const Deadline& d, const Date& today);

}  // namespace kansli::workflow
