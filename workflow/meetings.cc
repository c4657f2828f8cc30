#include "workflow/meetings.h"

#include <cctype>

#include "workflow/vocabulary.h"

namespace kansli::workflow {

namespace {

const Organ* Find(const std::vector<Organ>& organs, const std::optional<std::string>& code) {
  if (!code) return nullptr;
  for (const auto& o : organs)
    if (o.code == *code) return &o;
  return nullptr;
}

std::string Days(int n) { return std::to_string(n) + (n == 1 ? " dag" : " dagar"); }

}  // namespace

std::optional<int> ParseParagraph(const std::string& text) {
  std::size_t i = 0;
  auto skip_spaces = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  };
  skip_spaces();
  static const std::string kSign = "\xC2\xA7";  // §
  if (text.compare(i, kSign.size(), kSign) != 0) return std::nullopt;
  i += kSign.size();
  skip_spaces();
  const std::size_t start = i;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == start || i - start > 6) return std::nullopt;
  const int n = std::stoi(text.substr(start, i - start));
  skip_spaces();
  if (i != text.size() || n < 1) return std::nullopt;
  return n;
}

std::string FormatParagraph(int number) { return "\xC2\xA7 " + std::to_string(number); }

AgendaRequest PlanAgenda(const Meeting& meeting, const std::vector<Organ>& organs,
                         const std::optional<Meeting>& next) {
  AgendaRequest r;
  r.meeting = meeting;
  r.until = next ? next->date : Date{date::sys_days{meeting.date} + date::days{kAgendaHorizonDays}};
  r.subject_organ = meeting.organ;
  r.sections.push_back("scheduled_here");
  const Organ* self = Find(organs, meeting.organ);
  const Organ* parent = self ? Find(organs, self->parent) : nullptr;
  const std::string kind = self ? self->kind : "";
  if (kind == "fullmäktige") {
    r.sections.push_back("ready_for_decision");
  } else if (kind == "styrelse") {
    // The board prepares its organisation's motions for fullmäktige.
    for (const auto& o : organs)
      if (o.kind == "fullmäktige") {
        r.subject_organ = o.code;
        break;
      }
    r.sections.push_back("board_preparation");
  } else if (kind == "nämnd") {
    r.sections.push_back("proposal_ready");
  } else if (parent && (kind == "presidium" || kind == "utskott")) {
    r.subject_organ = parent->code;
    if (parent->kind == "fullmäktige" && kind == "presidium") {
      r.sections.push_back("to_distribute");
    } else if (parent->kind == "styrelse") {
      for (const auto& o : organs)
        if (o.kind == "fullmäktige") {
          r.subject_organ = o.code;
          break;
        }
      r.sections.push_back("board_preparation");
    } else if (parent->kind == "nämnd" && kind == "presidium") {
      r.sections.push_back("needs_proposal");
      r.sections.push_back("in_preparation");
    }
  }
  r.sections.push_back("due_before_next_meeting");
  r.sections.push_back("overdue");
  return r;
}

std::string AgendaSectionLabel(const std::string& code) {
  if (code == "scheduled_here") return "Ska behandlas vid detta sammanträde";
  if (code == "ready_for_decision") return "Motioner redo för beslut";
  if (code == "to_distribute") return "Motioner att fördela";
  if (code == "board_preparation") return "Besvarade motioner att bereda inför fullmäktige";
  if (code == "proposal_ready") return "Förslag att besluta";
  if (code == "needs_proposal") return "Remisser som behöver förslag till nämnden";
  if (code == "in_preparation") return "Motioner under beredning i nämnden";
  if (code == "due_before_next_meeting") return "Förfaller före nästa sammanträde";
  if (code == "overdue") return "Försenade";
  return code;
}

std::string AgendaReason(const std::string& section, const AgendaItem& item,
                         const Date& meeting_day) {
  const Case& c = item.case_summary;
  if (item.deadline) {
    const Deadline& d = *item.deadline;
    const int days = DaysBetween(meeting_day, d.due);
    std::string when = days == 0  ? "på sammanträdesdagen"
                       : days > 0 ? Days(days) + " efter sammanträdet"
                                  : Days(-days) + " före sammanträdet";
    if (section == "scheduled_here") return d.label + ": " + d.basis;
    if (section == "overdue") return d.label + " förföll " + FormatDate(d.due) + ", " + when;
    return d.label + " förfaller " + FormatDate(d.due) + ", " + when;
  }
  if (section == "proposal_ready" && c.proposed_outcome)
    return "Förslag: " + OutcomeLabel(*c.proposed_outcome);
  return StateLabel(c.type, c.state);
}

}  // namespace kansli::workflow
