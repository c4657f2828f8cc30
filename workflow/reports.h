// Reports computed from the cases and their histories: the KL 5 kap. 35 §
// report of unanswered motions ("Redovisning av obesvarade motioner"), and the
// contents of the calendar feed. Pure functions of their inputs (no clock, no
// I/O); CaseService reads the inputs (UnansweredMotions, Calendar).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workflow/model.h"
#include "workflow/ports.h"

namespace kansli::workflow {

// The group of the motions no organ has been made responsible for yet.
inline constexpr const char* kUndistributedGroupName = "Ej fördelade";

// A history row as the report shows it.
struct Handling {
  Date date;
  std::string event;
  std::string event_label;
  std::optional<std::string> organ;
  std::optional<std::string> organ_name;
  std::optional<std::string> paragraph;
  std::optional<std::string> text;
};

// One motion of the report, as it stood at the end of the report's day.
struct UnansweredMotion {
  std::int64_t id = 0;
  std::string reference;
  std::string title;
  bool confidential = false;
  std::vector<Submitter> submitters;
  Date received;
  // The `to` of the latest distribute dated on or before the report's day.
  std::optional<std::string> organ;
  std::optional<std::string> organ_name;
  // The to_state of the last row dated on or before the report's day.
  std::string state;
  std::string state_label;
  // That last row (by date, then posting order).
  std::optional<Handling> last_handling;
  Date decision_due;     // MotionDecisionDue(received)
  int days_open = 0;     // from received to the report's day
  bool overdue = false;  // decision_due is before the report's day
  // A report_unanswered dated on or before the report's day; the latest's date.
  bool reported = false;
  std::optional<Date> reported_on;
};

struct UnansweredMotionGroup {
  std::optional<std::string> organ;  // nullopt: the motions not yet distributed
  std::string organ_name;            // kUndistributedGroupName when organ is nullopt
  std::vector<UnansweredMotion> motions;
};

struct UnansweredMotionsReport {
  Date as_of;
  std::chrono::system_clock::time_point generated_at{};
  int total = 0;    // motions in all groups
  int overdue = 0;  // of which past decision_due
  std::vector<UnansweredMotionGroup> groups;
};

// KL 5 kap. 35 §: fullmäktige should decide within one year of the day the
// motion was raised; a year that ends on a non-working day runs to the next
// working day (lag (1930:173)), as the decision_due deadline does.
Date MotionDecisionDue(const Date& received);

// The motion states that close a motion (decided, written off, withdrawn).
std::vector<std::string> MotionFinalStates();

// The report for the end of `as_of`, judged by the history alone (never by
// the cases' current state), so the report for a past day is what it would
// have been that day. It lists every motion (type "motion") received on or
// before `as_of` that no history row dated on or before `as_of` closed
// (to_state in MotionFinalStates()). Rows dated after `as_of` are ignored, so
// `motions` may carry whole histories. A motion's group is its responsible
// organ on that day; organ names come from `organs` (the code itself when
// unknown). Groups are ordered by organ name in Swedish alphabetical order
// (å, ä, ö after z), the undistributed group last; the motions of a group by
// received, then reference (year and number compared as numbers).
UnansweredMotionsReport BuildUnansweredMotionsReport(
    const std::vector<MotionRecord>& motions, const std::vector<Organ>& organs, const Date& as_of,
    std::chrono::system_clock::time_point generated_at);

// The calendar feed (GET /calendar.ics) of one organ or of all organs: the
// meetings and deadlines from this many years before today onward.
inline constexpr int kCalendarWindowYears = 1;
struct CalendarFeed {
  std::optional<Organ> organ;  // nullopt: every organ
  Date from;                   // the feed's window starts here
  CalendarEntries entries;
  std::vector<Organ> organs;  // the organisation, for names
};

// A key that orders texts the way a Swedish reader expects: ASCII letters
// case-insensitive, å, ä, ö after z (æ as ä, ø as ö, é as e, ü as y).
std::string SwedishSortKey(const std::string& text);

}  // namespace kansli::workflow
