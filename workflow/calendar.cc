#include "workflow/calendar.h"

#include <algorithm>

namespace kansli::workflow {

namespace {

using date::days;
using date::sys_days;

Date Ymd(int y, unsigned m, unsigned d) {
  return Date{date::year{y}, date::month{m}, date::day{d}};
}

// The first `weekday` on or after `from`.
Date FirstOnOrAfter(const Date& from, date::weekday weekday) {
  const sys_days start{from};
  const date::weekday wd{start};
  return Date{start + (weekday - wd)};
}

}  // namespace

Date EasterSunday(int year) {
  // The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return Ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

std::vector<Holiday> SwedishHolidays(int year) {
  const sys_days easter{EasterSunday(year)};
  const Date midsummer_day = FirstOnOrAfter(Ymd(year, 6, 20), date::Saturday);
  std::vector<Holiday> out = {
      {Ymd(year, 1, 1), "nyårsdagen"},
      {Ymd(year, 1, 6), "trettondedag jul"},
      {Date{easter - days{2}}, "långfredagen"},
      {Date{easter}, "påskdagen"},
      {Date{easter + days{1}}, "annandag påsk"},
      {Ymd(year, 5, 1), "första maj"},
      {Date{easter + days{39}}, "Kristi himmelsfärdsdag"},
      {Date{easter + days{49}}, "pingstdagen"},
      {Ymd(year, 6, 6), "Sveriges nationaldag"},
      {Date{sys_days{midsummer_day} - days{1}}, "midsommarafton", false},
      {midsummer_day, "midsommardagen"},
      {FirstOnOrAfter(Ymd(year, 10, 31), date::Saturday), "alla helgons dag"},
      {Ymd(year, 12, 24), "julafton", false},
      {Ymd(year, 12, 25), "juldagen"},
      {Ymd(year, 12, 26), "annandag jul"},
      {Ymd(year, 12, 31), "nyårsafton", false},
  };
  std::sort(out.begin(), out.end(),
            [](const Holiday& x, const Holiday& y) { return sys_days{x.date} < sys_days{y.date}; });
  return out;
}

bool IsNonWorkingDay(const Date& d) {
  const date::weekday wd{sys_days{d}};
  if (wd == date::Saturday || wd == date::Sunday) return true;
  for (const auto& h : SwedishHolidays(static_cast<int>(d.year())))
    if (h.date == d) return true;
  return false;
}

Date NextWorkingDayOnOrAfter(const Date& d) {
  Date cur = d;
  // At most a few days: the longest run is a weekend next to Christmas or Easter.
  while (IsNonWorkingDay(cur)) cur = Date{sys_days{cur} + days{1}};
  return cur;
}

}  // namespace kansli::workflow
