#include "workflow/civil_date.h"

#include <cstdio>

namespace kansli::workflow {

namespace {
bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}
int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}
Date Clamp(date::year y, date::month m, date::day d) {
  const date::year_month_day_last last{y / m / date::last};
  return Date{y, m, d > last.day() ? last.day() : d};
}
}  // namespace

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto ys = text.substr(0, 4), ms = text.substr(5, 2), ds = text.substr(8, 2);
  if (!AllDigits(ys) || !AllDigits(ms) || !AllDigits(ds)) return std::nullopt;
  const int y = ToInt(ys);
  if (y < 1900 || y > 2999) return std::nullopt;
  const Date d{date::year{y}, date::month{static_cast<unsigned>(ToInt(ms))},
               date::day{static_cast<unsigned>(ToInt(ds))}};
  if (!d.ok()) return std::nullopt;
  return d;
}

std::string FormatDate(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

Date AddYears(const Date& d, int years) {
  return Clamp(d.year() + date::years{years}, d.month(), d.day());
}

Date AddMonths(const Date& d, int months) {
  const date::year_month ym = date::year_month{d.year(), d.month()} + date::months{months};
  return Clamp(ym.year(), ym.month(), d.day());
}

int DaysBetween(const Date& from, const Date& to) {
  return static_cast<int>((date::sys_days{to} - date::sys_days{from}).count());
}

}  // namespace kansli::workflow
