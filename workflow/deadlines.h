// The deadline engine: every deadline of a case, derived from the case and
// its history alone, so it can be recomputed in the transaction of any change.
#pragma once

#include <vector>

#include "workflow/model.h"

namespace kansli::workflow {

struct DeadlineSettings {
  // answer_due = distribution date + this many months.
  int answer_period_months = 6;
};

// Pure: same inputs, same deadlines, in a stable order: the case's main
// deadline first (decision_due or answer_by), then the others in the order the
// events that created them were recorded.
//  motion: decision_due (received + 1 year, KL 5 kap. 35 §; met by `decide`),
//          answer_due (distribution + answer_period_months; met by `adopt_answer`),
//          material_due / views_due (the `due` of request_material / request_views;
//          met by the next material_delivered / views_delivered from that organ).
//  remiss: answer_by (the sender's date, moved by extend_deadline; met by send_response).
// decision_due and answer_due, which the engine computes, move from a
// non-working day to the next working day (lag (1930:173)); dates that a
// sender or an organ gives (answer_by, due) are kept as given.
// Deadlines still unmet when the case closes are marked cancelled.
std::vector<Deadline> ComputeDeadlines(const Case& c, const std::vector<HistoryEntry>& history,
                                       const DeadlineSettings& settings);

// Whether appending `event` to a case's history can change what
// ComputeDeadlines returns, leaving aside events that close the case (those
// always can: they cancel what is unmet). Lets a transition skip reading the
// history for events such as `note`; a unit test holds it to ComputeDeadlines.
bool MayChangeDeadlines(const std::string& case_type, const std::string& event);

// Display status relative to `today`.
bool IsOverdue(const Deadline& d, const Date& today);

}  // namespace kansli::workflow
