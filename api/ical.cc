#include "api/ical.h"

#include <map>

namespace kansli::api {

namespace {

constexpr std::size_t kMaxLineOctets = 75;

// What readers see instead of a confidential case's title (as json_codec.cc).
constexpr const char* kRedacted = "Sekretessmarkerat";

// YYYYMMDD (a DATE value).
std::string DateValue(const workflow::Date& d) {
  std::string s = workflow::FormatDate(d);
  std::string out;
  for (char c : s)
    if (c != '-') out += c;
  return out;
}

// YYYYMMDDTHHMMSSZ (a DATE-TIME in UTC).
std::string UtcValue(std::chrono::system_clock::time_point t) {
  return date::format("%Y%m%dT%H%M%SZ", date::floor<std::chrono::seconds>(t));
}

}  // namespace

std::string ICalText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\r':
        out += "\\n";
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F)
          out += ' ';
        else
          out += c;
    }
  }
  return out;
}

std::string ICalFold(std::string_view line) {
  std::string out;
  std::size_t start = 0;
  bool first = true;
  while (true) {
    // A continuation line's leading space counts toward its 75 octets.
    const std::size_t room = first ? kMaxLineOctets : kMaxLineOctets - 1;
    if (!first) out += ' ';
    if (line.size() - start <= room) {
      out.append(line.substr(start));
      out += "\r\n";
      return out;
    }
    std::size_t cut = start + room;
    // Never before a continuation byte (10xxxxxx): that would split a character.
    while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    if (cut == start) cut = start + room;  // not UTF-8 at all: cut where the octets run out
    out.append(line.substr(start, cut - start));
    out += "\r\n";
    start = cut;
    first = false;
  }
}

std::string WriteICalendar(const ICalCalendar& cal) {
  std::string out;
  auto line = [&](const std::string& text) { out += ICalFold(text); };
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:-//Kansli//Kansli//SV");
  line("CALSCALE:GREGORIAN");
  line("METHOD:PUBLISH");
  line("X-WR-CALNAME:" + ICalText(cal.name));
  line("X-WR-TIMEZONE:Europe/Stockholm");
  const std::string stamp = UtcValue(cal.stamp);
  for (const auto& e : cal.events) {
    line("BEGIN:VEVENT");
    line("UID:" + ICalText(e.uid));
    line("DTSTAMP:" + stamp);
    line("DTSTART;VALUE=DATE:" + DateValue(e.date));
    line("DTEND;VALUE=DATE:" + DateValue(date::sys_days{e.date} + date::days{1}));
    line("SUMMARY:" + ICalText(e.summary));
    if (!e.description.empty()) line("DESCRIPTION:" + ICalText(e.description));
    if (e.location) line("LOCATION:" + ICalText(*e.location));
    if (e.url) line("URL:" + *e.url);
    if (!e.categories.empty()) {
      std::string categories;
      for (std::size_t i = 0; i < e.categories.size(); ++i)
        categories += (i == 0 ? "" : ",") + ICalText(e.categories[i]);
      line("CATEGORIES:" + categories);
    }
    if (e.transparent) line("TRANSP:TRANSPARENT");
    line("END:VEVENT");
  }
  line("END:VCALENDAR");
  return out;
}

ICalCalendar KansliCalendar(const workflow::CalendarFeed& feed, bool redact,
                            const std::string& public_url,
                            std::chrono::system_clock::time_point now) {
  std::map<std::string, std::string> names;
  for (const auto& o : feed.organs) names[o.code] = o.name;
  auto name_of = [&](const std::string& code) {
    const auto it = names.find(code);
    return it == names.end() ? code : it->second;
  };
  ICalCalendar cal;
  cal.name = std::string("Kansli – ") + (feed.organ ? feed.organ->name : "alla organ");
  cal.stamp = now;
  for (const auto& m : feed.entries.meetings) {
    ICalEvent e;
    e.uid = "meeting-" + std::to_string(m.id) + "@kansli";
    e.date = m.date;
    const std::string organ = m.organ_name.value_or(name_of(m.organ));
    e.summary = "Sammanträde: " + organ;
    e.description = "Sammanträde med " + organ + " (" + m.organ + ")";
    if (m.time) e.description += "\nTid: " + *m.time;
    e.location = m.place;
    e.categories = {"Sammanträde"};
    cal.events.push_back(std::move(e));
  }
  for (const auto& item : feed.entries.deadlines) {
    const auto& d = item.deadline;
    const auto& c = item.case_summary;
    const std::string title = redact && c.confidential ? kRedacted : c.title;
    const std::string link = public_url + "/cases/" + std::to_string(c.id);
    ICalEvent e;
    e.uid = "deadline-" + std::to_string(c.id) + "-" + d.kind + "-" + std::to_string(item.seq) +
            "@kansli";
    e.date = d.due;
    e.summary = d.label + ": " + c.reference + " " + title;
    e.description = "Tidsfrist: " + d.label + "\nGrund: " + d.basis;
    if (d.organ) e.description += "\nSka agera: " + name_of(*d.organ);
    if (c.responsible_organ) e.description += "\nAnsvarig: " + name_of(*c.responsible_organ);
    e.description += "\nÄrende: " + c.reference + " " + title + "\n" + link;
    e.url = link;
    e.categories = {"Tidsfrist"};
    e.transparent = true;
    cal.events.push_back(std::move(e));
  }
  return cal;
}

}  // namespace kansli::api
