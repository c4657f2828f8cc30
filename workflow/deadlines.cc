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

// A deadline back-scheduled from `organ`'s meeting plan: its last meeting on
// or before `latest`, or `latest` itself when the plan does not reach it.
Deadline Scheduled(const MeetingPlans& plans, const std::string& kind, const std::string& label,
                   const std::string& organ, const Date& latest, const std::string& why) {
  Deadline d;
  d.kind = kind;
  d.label = label;
  d.organ = organ;
  d.latest = latest;
  const std::string name = plans.NameOf(organ);
  const bool covered = plans.Covers(organ, latest);
  const auto meeting = covered ? plans.LastOnOrBefore(organ, latest) : std::nullopt;
  if (meeting) {
    d.due = *meeting;
    d.from_meeting_plan = true;
    d.basis = "Sammanträde i " + name + " " + FormatDate(*meeting) + ": sista före " +
              FormatDate(latest) + " (" + why + ")";
  } else if (covered) {
    d.due = latest;
    d.basis = "Inget sammanträde i " + name + " planerat på eller före " + FormatDate(latest) +
              ": kalenderdatum (" + why + ")";
  } else {
    d.due = latest;
    d.basis = "Sammanträdesplan för " + name + " saknas för " +
              std::to_string(static_cast<int>(latest.year())) + ": kalenderdatum " +
              FormatDate(latest) + " (" + why + ")";
  }
  return d;
}

void MeetOnce(std::optional<Date>& met, const Date& on) {
  if (!met) met = on;
}

}  // namespace

MeetingPlans MeetingPlans::Of(const std::vector<Organ>& organs) {
  MeetingPlans p;
  for (const auto& o : organs) {
    if (o.kind == "fullmäktige" && !p.council) p.council = o.code;
    if (o.presidium && *o.presidium != o.code) p.presidium_of[o.code] = *o.presidium;
    p.name_of[o.code] = o.name;
  }
  return p;
}

std::vector<std::string> MeetingPlans::Needs(const Case& c) const {
  std::vector<std::string> out;
  if (c.type == "motion" && council) out.push_back(*council);
  if (c.type == "remiss" && c.responsible_organ) {
    out.push_back(*c.responsible_organ);
    auto it = presidium_of.find(*c.responsible_organ);
    if (it != presidium_of.end()) out.push_back(it->second);
  }
  return out;
}

bool MeetingPlans::Covers(const std::string& organ, const Date& latest) const {
  auto it = dates.find(organ);
  if (it == dates.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](const Date& d) { return d.year() == latest.year(); });
}

std::optional<Date> MeetingPlans::LastOnOrBefore(const std::string& organ,
                                                 const Date& latest) const {
  auto it = dates.find(organ);
  if (it == dates.end()) return std::nullopt;
  const auto& v = it->second;
  auto pos = std::upper_bound(v.begin(), v.end(), latest, [](const Date& a, const Date& b) {
    return date::sys_days{a} < date::sys_days{b};
  });
  if (pos == v.begin()) return std::nullopt;
  return *std::prev(pos);
}

std::string MeetingPlans::NameOf(const std::string& organ) const {
  auto it = name_of.find(organ);
  return it == name_of.end() ? organ : it->second;
}

std::vector<Deadline> ComputeDeadlines(const Case& c, const std::vector<HistoryEntry>& history,
                                       const DeadlineSettings& settings,
                                       const MeetingPlans& plans) {
  std::vector<Deadline> out;
  std::vector<Pending> material, views;
  std::optional<std::size_t> answer_due;
  // When the events that meet the back-scheduled deadlines happened.
  std::optional<Date> reported_or_decided, proposed, response_decided;

  if (c.type == "motion") {
    Deadline d;
    d.kind = "decision_due";
    d.label = "Beslut i fullmäktige (KL 5 kap. 35 §)";
    SetComputedDue(d, AddYears(c.received, 1), "Inkom " + FormatDate(c.received) + " + 1 år");
    d.organ = plans.council;  // fullmäktige decides
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
        MeetOnce(reported_or_decided, h.date);
      } else if (h.event == "report_unanswered") {
        MeetOnce(reported_or_decided, h.date);
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
      } else if (h.event == "propose_response") {
        MeetOnce(proposed, h.date);
      } else if (h.event == "decide_response") {
        MeetOnce(response_decided, h.date);
        MeetOnce(proposed, h.date);  // decided without a proposal (delegation)
      }
    }
  }

  // Back-scheduled from meeting plans, placed right after the main deadline.
  std::vector<Deadline> scheduled;
  if (c.type == "motion" && plans.council) {
    Deadline d = Scheduled(plans, "report_due", "Beslut eller redovisning i fullmäktige",
                           *plans.council, out[0].due, "beslut inom ett år, KL 5 kap. 35 §");
    d.met_on = reported_or_decided;
    scheduled.push_back(d);
  } else if (c.type == "remiss" && c.responsible_organ) {
    const std::string organ = *c.responsible_organ;
    const Date latest{date::sys_days{out[0].due} - date::days{settings.remiss_send_margin_days}};
    Deadline decision =
        Scheduled(plans, "decision_meeting", "Beslut om remissvar", organ, latest,
                  "svar senast " + FormatDate(out[0].due) + ", " +
                      std::to_string(settings.remiss_send_margin_days) + " dagar för expediering");
    decision.met_on = response_decided;
    scheduled.push_back(decision);
    auto pres = plans.presidium_of.find(organ);
    if (pres != plans.presidium_of.end()) {
      const Date before{date::sys_days{decision.due} - date::days{1}};
      Deadline proposal =
          Scheduled(plans, "proposal_due", "Förslag till remissvar (presidiet)", pres->second,
                    before, "före beslutet " + FormatDate(decision.due));
      proposal.met_on = proposed;
      scheduled.push_back(proposal);
    }
  }
  out.insert(out.begin() + 1, scheduled.begin(), scheduled.end());

  const states::Machine* m = states::MachineFor(c.type);
  if (m && m->IsState(c.state) && !m->IsOpen(c.state)) {
    for (auto& d : out)
      if (!d.met_on) d.cancelled = true;
  }
  return out;
}

bool MayChangeDeadlines(const std::string& case_type, const std::string& event) {
  static const std::vector<std::string> kMotion = {
      "distribute",    "adopt_answer",    "request_material", "material_delivered",
      "request_views", "views_delivered", "decide",           "report_unanswered"};
  static const std::vector<std::string> kRemiss = {"distribute", "extend_deadline", "send_response",
                                                   "propose_response", "decide_response"};
  const auto& list = case_type == "motion" ? kMotion : kRemiss;
  return std::find(list.begin(), list.end(), event) != list.end();
}

bool IsOverdue(const Deadline& d, const Date& today) {
  return !d.met_on && !d.cancelled && date::sys_days{d.due} < date::sys_days{today};
}

}  // namespace kansli::workflow
