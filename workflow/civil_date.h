// Civil dates (YYYY-MM-DD, Europe/Stockholm) as used throughout the domain.
#pragma once

#include <date/date.h>

#include <optional>
#include <string>
#include <string_view>

namespace kansli::workflow {

using Date = date::year_month_day;

// Parses exactly "YYYY-MM-DD" (four-digit year 1900-2999) into a valid date;
// nullopt for anything else, including 2023-02-30.
std::optional<Date> ParseDate(std::string_view text);

// "YYYY-MM-DD".
std::string FormatDate(const Date& d);

// The same day `years` later; 29 February falls back to 28 February.
Date AddYears(const Date& d, int years);

// The same day `months` later; a day that does not exist in the target month
// becomes that month's last day (31 Aug + 6 months = 28/29 Feb).
Date AddMonths(const Date& d, int months);

// Whole days from `from` to `to` (negative when `to` is earlier).
int DaysBetween(const Date& from, const Date& to);

}  // namespace kansli::workflow
