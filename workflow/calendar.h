// The Swedish business calendar: public holidays (lag (1989:253) om allmänna
// helgdagar), computed for any year, and the rule of lag (1930:173) om
// beräkning av lagstadgad tid that moves a deadline ending on a non-working day.
#pragma once

#include <string>
#include <vector>

#include "workflow/civil_date.h"

namespace kansli::workflow {

struct Holiday {
  Date date;
  std::string name;  // "långfredagen"
  // False for the days lag (1930:173) treats like holidays without being
  // allmänna helgdagar: midsommarafton, julafton, nyårsafton.
  bool public_holiday = true;
};

// Easter Sunday (Gregorian) of `year`.
Date EasterSunday(int year);

// Every public holiday of `year`, plus midsommarafton, julafton and
// nyårsafton, in date order.
std::vector<Holiday> SwedishHolidays(int year);

// Saturday, Sunday, a public holiday, midsommarafton, julafton or nyårsafton.
bool IsNonWorkingDay(const Date& d);

// Lag (1930:173): a deadline that ends on a non-working day moves to the next
// working day. Returns `d` itself when it is a working day.
Date NextWorkingDayOnOrAfter(const Date& d);

}  // namespace kansli::workflow
