#include "notifications/messages.h"

#include "workflow/vocabulary.h"

namespace kansli::notifications {

namespace {

std::string OrganName(const std::vector<workflow::Organ>& organs,
                      const std::optional<std::string>& code) {
  if (!code) return "–";
  for (const auto& o : organs)
    if (o.code == *code) return o.name;
  return *code;
}

std::string Days(int n) { return std::to_string(n) + (n == 1 ? " dag" : " dagar"); }

}  // namespace

workflow::NewNotification ComposeReminder(const ReminderContext& x) {
  using workflow::FormatDate;
  const auto& c = x.c;
  const auto& d = x.deadline;
  const int left = workflow::DaysBetween(x.today, d.due);
  std::string when;
  if (left > 0) {
    when = "om " + Days(left);
  } else if (left == 0) {
    when = "i dag";
  } else {
    when = "försenad " + Days(-left);
  }
  const bool escalate = x.reminder.escalate;
  const std::string title = c.confidential ? "(sekretessmarkerat ärende)" : c.title;

  workflow::NewNotification n;
  n.case_id = c.id;
  n.kind = escalate ? "escalation" : "reminder";
  n.subject = std::string(escalate ? "Eskalering" : "Påminnelse") + ": " + c.reference + " " +
              title + " – " + d.label + " " + when + " (" + FormatDate(d.due) + ")";
  const std::string link = x.base_url + "/cases/" + std::to_string(c.id);
  std::string body;
  body += escalate ? "Eskalering: en tidsfrist är försenad sedan " + Days(-left) + ".\n\n"
                   : "Påminnelse om en tidsfrist.\n\n";
  body += "Ärende:        " + c.reference + " – " + title + "\n";
  body += "Tidsfrist:     " + d.label + "\n";
  body += "Datum:         " + FormatDate(d.due) + " (" + when + ")\n";
  body += "Grund:         " + d.basis + "\n";
  body += "Ansvarig:      " + OrganName(x.organs, d.organ ? d.organ : c.responsible_organ) + "\n";
  if (c.officer) body += "Handläggare:   " + *c.officer + "\n";
  body += "Status:        " + workflow::StateLabel(c.type, c.state) + "\n";
  if (x.last_handling) {
    const auto& h = *x.last_handling;
    body += "Senast:        " + FormatDate(h.date) + " " + OrganName(x.organs, h.organ);
    if (h.paragraph) body += " " + *h.paragraph;
    body += " – " + workflow::EventLabel(c.type, h.event);
    if (h.text && !c.confidential) body += ": " + *h.text;
    body += "\n";
  }
  body += "\nÖppna ärendet: " + link + "\n";
  body += "\nDetta meddelande skickades automatiskt av Kansli.\n";
  n.body = body;
  n.payload = {{"type", n.kind},
               {"case",
                {{"id", c.id},
                 {"reference", c.reference},
                 {"title", title},
                 {"state", c.state},
                 {"responsible_organ", c.responsible_organ ? nlohmann::json(*c.responsible_organ)
                                                           : nlohmann::json(nullptr)}}},
               {"deadline",
                {{"kind", d.kind},
                 {"label", d.label},
                 {"due", FormatDate(d.due)},
                 {"days_left", left},
                 {"organ", d.organ ? nlohmann::json(*d.organ) : nlohmann::json(nullptr)}}},
               {"step", x.reminder.step},
               {"escalate", escalate},
               {"subject", n.subject},
               {"link", link}};
  return n;
}

}  // namespace kansli::notifications
