// iCalendar (RFC 5545) for GET /api/v1/calendar.ics: a small writer (text
// escaping, line folding, the VCALENDAR document) and the Kansli feed built
// with it (an organ's meetings and open deadlines). Pure: no clock, no I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workflow/reports.h"

namespace kansli::api {

// An all-day event: DTSTART;VALUE=DATE on `date`, DTEND;VALUE=DATE the day after.
struct ICalEvent {
  std::string uid;  // globally unique and stable across fetches
  workflow::Date date;
  std::string summary;
  std::string description;  // omitted when empty
  std::optional<std::string> location;
  std::optional<std::string> url;  // an absolute URI, written as it is
  std::vector<std::string> categories;
  bool transparent = false;  // TRANSP:TRANSPARENT: does not make anyone busy
};

struct ICalCalendar {
  std::string name;                               // X-WR-CALNAME
  std::chrono::system_clock::time_point stamp{};  // every event's DTSTAMP (UTC)
  std::vector<ICalEvent> events;
};

// A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped with
// a backslash, every line break (CRLF, LF or CR) as \n; other control
// characters (tab aside), which TEXT does not allow, become spaces.
std::string ICalText(std::string_view text);

// One content line (without its line break), folded as RFC 5545 3.1 says: no
// line longer than 75 octets, each continuation line starting with one space,
// never splitting a UTF-8 sequence; every line ends with CRLF.
std::string ICalFold(std::string_view content_line);

// The VCALENDAR: VERSION 2.0, PRODID "-//Kansli//Kansli//SV", CALSCALE
// GREGORIAN, METHOD PUBLISH, X-WR-CALNAME, then the events in order.
std::string WriteICalendar(const ICalCalendar& calendar);

// The Kansli feed (docs/api.md): one event per meeting ("Sammanträde: <organ
// name>", UID meeting-<id>@kansli) and per open deadline ("<label>:
// <reference> <title>", UID deadline-<case>-<kind>-<seq>@kansli, with the basis
// and a link to <public_url>/cases/<id>). Named "Kansli – <organ name>" (or
// "Kansli – alla organ"). With `redact_confidential` (readers) a confidential
// case's title reads "Sekretessmarkerat".
ICalCalendar KansliCalendar(const workflow::CalendarFeed& feed, bool redact_confidential,
                            const std::string& public_url,
                            std::chrono::system_clock::time_point now);

}  // namespace kansli::api
