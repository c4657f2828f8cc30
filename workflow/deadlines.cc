#include "workflow/deadlines.h"

#include <algorithm>

#include "states/machine.h"
#include "workflow/calendar.h"

namespace kansli::workflow {

namespace {

std::optional<std::string> Str(const nlohmann::json& d, const char* key) {
  auto it = d.find(key);
  if (it == d.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<Date> DateOf(const nlohmann::json& d, const char* key) {
  auto s = Str(d, key);
  return s ? ParseDate(*s) : std::nullopt;
}

// A deadline the engine computes (not one a sender or an organ gives) that ends
// on a non-working day moves to the next working day: lag (1930:173).
void SetComputedDue(Deadline& d, const Date& raw, const std::string& basis) {
  d.due = NextWorkingDayOnOrAfter(raw);
  d.basis = basis;
  if (d.due != raw)
    d.basis += " = " + FormatDate(raw) + ", flyttad till nästa vardag (lag 1930:173)";
}

// A request (uppdrag or remittering) waiting for its delivery.
struct Pending {
  std::size_t index;  // into the result
  std::string organ;
};

void MeetFirst(std::vector<Pending>& pending, std::vector<Deadline>& out, const std::string& organ,
               const Date& on, bool any_organ) {
  auto it = std::find_if(pending.begin(), pending.end(),
                         [&](const Pending& p) { return p.organ == organ; });
  if (it == pending.end() && any_organ && !pending.empty()) it = pending.begin();
  if (it == pending.end()) return;
  out[it->index].met_on = on;
  pending.erase(it);
}

}  // namespace

std::vector<Deadline> ComputeDeadlines(const Case& c, const std::vector<HistoryEntry>& history,
                                       const DeadlineSettings& settings) {
  std::vector<Deadline> out;
  std::vector<Pending> material, views;
  std::optional<std::size_t> answer_due;

  if (c.type == "motion") {
    Deadline d;
    d.kind = "decision_due";
    d.label = "Beslut i fullmäktige (KL 5 kap. 35 §)";
    SetComputedDue(d, AddYears(c.received, 1), "Inkom " + FormatDate(c.received) + " + 1 år");
    out.push_back(d);
  } else if (c.type == "remiss") {
    Deadline d;
    d.kind = "answer_by";
    d.label = "Remissvar till avsändaren";
    d.due = c.answer_by.value_or(c.received);
    d.basis = "Avsändarens sista svarsdag";
    d.organ = c.responsible_organ;
    out.push_back(d);
  }

  for (const auto& h : history) {
    const auto& det = h.details;
    if (c.type == "motion") {
      if (h.event == "distribute") {
        // A motion is distributed once; its answer period runs from that day.
        Deadline d;
        d.kind = "answer_due";
        d.label = "Svar från ansvarig nämnd";
        SetComputedDue(d, AddMonths(h.date, settings.answer_period_months),
                       "Fördelad " + FormatDate(h.date) + " + " +
                           std::to_string(settings.answer_period_months) + " månader");
        d.organ = Str(det, "to");
        answer_due = out.size();
        out.push_back(d);
      } else if (h.event == "adopt_answer") {
        if (answer_due && !out[*answer_due].met_on) out[*answer_due].met_on = h.date;
      } else if (h.event == "request_material") {
        auto due = DateOf(det, "due");
        auto who = Str(det, "assignee").value_or("");
        if (due) {
          Deadline d;
          d.kind = "material_due";
          d.label = "Underlag (uppdrag)";
          d.due = *due;
          d.basis = "Uppdrag " + FormatDate(h.date) + (h.paragraph ? " " + *h.paragraph : "");
          d.organ = who;
          material.push_back({out.size(), who});
          out.push_back(d);
        }
      } else if (h.event == "material_delivered") {
        MeetFirst(material, out, h.organ.value_or(""), h.date, true);
      } else if (h.event == "request_views") {
        auto due = DateOf(det, "due");
        auto who = Str(det, "to").value_or("");
        if (due) {
          Deadline d;
          d.kind = "views_due";
          d.label = "Synpunkter från remissinstans";
          d.due = *due;
          d.basis = "Remitterad " + FormatDate(h.date) + (h.paragraph ? " " + *h.paragraph : "");
          d.organ = who;
          views.push_back({out.size(), who});
          out.push_back(d);
        }
      } else if (h.event == "views_delivered") {
        MeetFirst(views, out, Str(det, "from").value_or(""), h.date, false);
      } else if (h.event == "decide") {
        out[0].met_on = h.date;
      }
    } else if (c.type == "remiss") {
      if (h.event == "extend_deadline") {
        if (auto d = DateOf(det, "answer_by")) {
          out[0].due = *d;
          out[0].basis = "Förlängd " + FormatDate(h.date) + " i samråd med avsändaren";
        }
      } else if (h.event == "distribute") {
        out[0].organ = Str(det, "to");
      } else if (h.event == "send_response") {
        out[0].met_on = h.date;
      }
    }
  }

  const states::Machine* m = states::MachineFor(c.type);
  if (m && m->IsState(c.state) && !m->IsOpen(c.state)) {
    for (auto& d : out)
      if (!d.met_on) d.cancelled = true;
  }
  return out;
}

bool MayChangeDeadlines(const std::string& case_type, const std::string& event) {
  static const std::vector<std::string> kMotion = {
      "distribute",      "adopt_answer", "request_material", "material_delivered", "request_views",
      "views_delivered", "decide"};
  static const std::vector<std::string> kRemiss = {"distribute", "extend_deadline",
                                                   "send_response"};
  const auto& list = case_type == "motion" ? kMotion : kRemiss;
  return std::find(list.begin(), list.end(), event) != list.end();
}

bool IsOverdue(const Deadline& d, const Date& today) {
  return !d.met_on && !d.cancelled && date::sys_days{d.due} < date::sys_days{today};
}

}  // namespace kansli::workflow
