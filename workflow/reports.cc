#include "workflow/reports.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "states/machine.h"
#include "workflow/calendar.h"
#include "workflow/case_service.h"
#include "workflow/errors.h"
#include "workflow/reference.h"
#include "workflow/vocabulary.h"

namespace kansli::workflow {

namespace {

// Later in the history: a later date, or the same date and posted later.
bool IsAfter(const HistoryEntry& a, const HistoryEntry& b) {
  return std::tie(a.date, a.seq) > std::tie(b.date, b.seq);
}

// The `to` of a distribute row (the event as accepted).
std::optional<std::string> DistributedTo(const HistoryEntry& h) {
  const auto it = h.details.find("to");
  if (it == h.details.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// "RJL 2021/999" before "RJL 2021/1342"; what does not parse after, as text.
bool ReferenceBefore(const std::string& a, const std::string& b) {
  const auto ra = ParseReference(a, "");
  const auto rb = ParseReference(b, "");
  if (ra && rb) {
    const auto ka = std::tie(ra->prefix, ra->year, ra->number);
    const auto kb = std::tie(rb->prefix, rb->year, rb->number);
    if (ka != kb) return ka < kb;
    return a < b;
  }
  if (ra || rb) return static_cast<bool>(ra);
  return a < b;
}

}  // namespace

Date MotionDecisionDue(const Date& received) {
  return NextWorkingDayOnOrAfter(AddYears(received, 1));
}

std::vector<std::string> MotionFinalStates() {
  const states::Machine& m = states::MotionMachine();
  std::vector<std::string> out;
  for (const auto& s : m.States())
    if (!m.IsOpen(s)) out.push_back(s);
  return out;
}

std::string SwedishSortKey(const std::string& text) {
  std::string key;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      key += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      continue;
    }
    // Two-byte UTF-8 letters of Latin-1 Supplement (U+00C0..U+00FF).
    if (c == 0xC3 && i + 1 < text.size()) {
      const auto d = static_cast<unsigned char>(text[i + 1]);
      const unsigned cp = 0xC0u + (d & 0x3Fu);
      char mapped = 0;
      switch (cp) {
        case 0xC5:
        case 0xE5:
          mapped = '{';
          break;  // å: after z
        case 0xC4:
        case 0xE4:
        case 0xC6:
        case 0xE6:
          mapped = '|';
          break;  // ä, æ
        case 0xD6:
        case 0xF6:
        case 0xD8:
        case 0xF8:
          mapped = '}';
          break;  // ö, ø
        case 0xC9:
        case 0xE9:
        case 0xC8:
        case 0xE8:
          mapped = 'e';
          break;  // é, è
        case 0xDC:
        case 0xFC:
          mapped = 'y';
          break;  // ü
        case 0xC1:
        case 0xE1:
        case 0xC0:
        case 0xE0:
          mapped = 'a';
          break;  // á, à
        default:
          break;
      }
      if (mapped) {
        key += mapped;
        ++i;
        continue;
      }
    }
    key += static_cast<char>(c);  // anything else sorts after the letters, by its bytes
  }
  return key;
}

UnansweredMotionsReport BuildUnansweredMotionsReport(
    const std::vector<MotionRecord>& motions, const std::vector<Organ>& organs, const Date& as_of,
    std::chrono::system_clock::time_point generated_at) {
  std::map<std::string, std::string> names;
  for (const auto& o : organs) names[o.code] = o.name;
  auto name_of = [&](const std::optional<std::string>& code) -> std::optional<std::string> {
    if (!code) return std::nullopt;
    const auto it = names.find(*code);
    return it == names.end() ? *code : it->second;
  };
  const std::vector<std::string> final_states = MotionFinalStates();
  auto closes = [&](const std::string& state) {
    return std::find(final_states.begin(), final_states.end(), state) != final_states.end();
  };

  UnansweredMotionsReport report;
  report.as_of = as_of;
  report.generated_at = generated_at;
  // By organ code; "" holds the undistributed ones.
  std::map<std::string, UnansweredMotionGroup> groups;
  for (const auto& record : motions) {
    const Case& c = record.motion;
    if (c.type != "motion" || c.received > as_of) continue;
    const HistoryEntry* last = nullptr;
    const HistoryEntry* distribution = nullptr;
    const HistoryEntry* report_row = nullptr;
    bool closed = false;
    for (const auto& h : record.history) {
      if (h.date > as_of) continue;
      closed = closed || closes(h.to_state);
      if (!last || IsAfter(h, *last)) last = &h;
      if (h.event == "distribute" && (!distribution || IsAfter(h, *distribution)))
        distribution = &h;
      if (h.event == "report_unanswered" && (!report_row || IsAfter(h, *report_row)))
        report_row = &h;
    }
    if (closed) continue;

    UnansweredMotion m;
    m.id = c.id;
    m.reference = c.reference;
    m.title = c.title;
    m.confidential = c.confidential;
    m.submitters = c.submitters;
    m.received = c.received;
    if (distribution) m.organ = DistributedTo(*distribution);
    m.organ_name = name_of(m.organ);
    // Without a row on or before the day (a registration dated later than
    // `received` would be odd, but the report must not fail on it) the motion
    // was as registered.
    m.state = last ? last->to_state : states::MotionMachine().InitialState();
    m.state_label = StateLabel("motion", m.state);
    if (last) {
      m.last_handling =
          Handling{last->date,  last->event,          EventLabel("motion", last->event),
                   last->organ, name_of(last->organ), last->paragraph,
                   last->text};
    }
    m.decision_due = MotionDecisionDue(c.received);
    m.days_open = DaysBetween(c.received, as_of);
    m.overdue = m.decision_due < as_of;
    m.reported = report_row != nullptr;
    if (report_row) m.reported_on = report_row->date;

    ++report.total;
    if (m.overdue) ++report.overdue;
    auto& group = groups[m.organ.value_or("")];
    group.organ = m.organ;
    group.organ_name = m.organ ? *m.organ_name : kUndistributedGroupName;
    group.motions.push_back(std::move(m));
  }

  for (auto& [code, group] : groups) {
    std::sort(group.motions.begin(), group.motions.end(),
              [](const UnansweredMotion& a, const UnansweredMotion& b) {
                if (a.received != b.received) return a.received < b.received;
                return ReferenceBefore(a.reference, b.reference);
              });
    report.groups.push_back(std::move(group));
  }
  std::sort(report.groups.begin(), report.groups.end(),
            [](const UnansweredMotionGroup& a, const UnansweredMotionGroup& b) {
              if (a.organ.has_value() != b.organ.has_value()) return a.organ.has_value();
              const std::string ka = SwedishSortKey(a.organ_name);
              const std::string kb = SwedishSortKey(b.organ_name);
              if (ka != kb) return ka < kb;
              return a.organ.value_or("") < b.organ.value_or("");
            });
  return report;
}

// CaseService's report reads (declared in case_service.h): read the inputs,
// then the pure functions above.

UnansweredMotionsReport CaseService::UnansweredMotions(const Date& as_of) {
  const auto motions = reader_.MotionsOpenOn(as_of, MotionFinalStates());
  return BuildUnansweredMotionsReport(motions, reader_.Organs(), as_of, clock_.Now());
}

CalendarFeed CaseService::Calendar(const std::optional<std::string>& organ) {
  CalendarFeed feed;
  feed.organs = reader_.Organs();
  if (organ) {
    const auto it = std::find_if(feed.organs.begin(), feed.organs.end(),
                                 [&](const Organ& o) { return o.code == *organ; });
    if (it == feed.organs.end()) throw ValidationError("organ", "unknown organ '" + *organ + "'");
    feed.organ = *it;
  }
  feed.from = AddYears(clock_.Today(), -kCalendarWindowYears);
  feed.entries = reader_.ReadCalendar(CalendarFilter{organ, feed.from});
  return feed;
}

}  // namespace kansli::workflow
