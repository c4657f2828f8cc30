#include "workflow/clock.h"

#include <date/tz.h>

#include <cctype>

namespace kansli::workflow {

namespace {
const date::time_zone* Stockholm() {
  static const date::time_zone* zone = date::locate_zone("Europe/Stockholm");
  return zone;
}
}  // namespace

Date Clock::Today() const { return StockholmDate(Now()); }

Date StockholmDate(std::chrono::system_clock::time_point t) {
  const auto local = date::make_zoned(Stockholm(), date::floor<std::chrono::seconds>(t));
  return Date{date::floor<date::days>(local.get_local_time())};
}

std::chrono::system_clock::time_point StockholmInstant(const Date& d, int hour) {
  const auto local = date::local_days{d} + std::chrono::hours(hour);
  return date::make_zoned(Stockholm(), local, date::choose::latest).get_sys_time();
}

std::string FormatInstant(std::chrono::system_clock::time_point t) {
  const auto zoned = date::make_zoned(Stockholm(), date::floor<std::chrono::seconds>(t));
  // %Ez prints the offset as +02:00.
  return date::format("%FT%T%Ez", zoned);
}

std::optional<std::chrono::system_clock::time_point> ParseInstant(const std::string& text) {
  if (auto d = ParseDate(text)) {
    const date::local_days day{*d};
    const auto local = day + std::chrono::hours(12);
    return date::make_zoned(Stockholm(), local).get_sys_time();
  }
  // YYYY-MM-DDTHH:MM:SS followed by Z or ±HH:MM.
  if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':')
    return std::nullopt;
  auto day = ParseDate(text.substr(0, 10));
  auto num = [&](std::size_t pos) -> int {
    if (!std::isdigit(static_cast<unsigned char>(text[pos])) ||
        !std::isdigit(static_cast<unsigned char>(text[pos + 1])))
      return -1;
    return (text[pos] - '0') * 10 + (text[pos + 1] - '0');
  };
  const int h = num(11), m = num(14), sec = num(17);
  if (!day || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60) return std::nullopt;
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
  }
  int offset_min = 0;
  const std::string zone = text.substr(pos);
  if (zone == "Z") {
    offset_min = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    const int oh = num(pos + 1), om = num(pos + 4);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return std::nullopt;
    offset_min = (zone[0] == '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  return date::sys_days{*day} + std::chrono::hours(h) + std::chrono::minutes(m - offset_min) +
         std::chrono::seconds(sec);
  return std::nullopt;
}

std::chrono::system_clock::time_point SystemClock::Now() const {
  return std::chrono::system_clock::now();
}

}  // namespace kansli::workflow
