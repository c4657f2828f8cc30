// The Swedish business calendar (workflow/calendar.h) against known dates.
#include "workflow/calendar.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace kansli::workflow {
namespace {

using namespace date::literals;

Date D(const char* text) { return *ParseDate(text); }

Date Plus(const Date& d, int n) { return Date{date::sys_days{d} + date::days{n}}; }

std::optional<Date> Find(int year, const std::string& name) {
  for (const auto& h : SwedishHolidays(year))
    if (h.name == name) return h.date;
  return std::nullopt;
}

// Easter Sunday, midsommardagen and alla helgons dag 2020-2035, from the
// almanac (not from the code under test).
struct Known {
  int year;
  const char* easter;
  const char* midsummer_day;
  const char* all_saints;
};
const std::vector<Known> kKnown = {
    {2020, "2020-04-12", "2020-06-20", "2020-10-31"},
    {2021, "2021-04-04", "2021-06-26", "2021-11-06"},
    {2022, "2022-04-17", "2022-06-25", "2022-11-05"},
    {2023, "2023-04-09", "2023-06-24", "2023-11-04"},
    {2024, "2024-03-31", "2024-06-22", "2024-11-02"},
    {2025, "2025-04-20", "2025-06-21", "2025-11-01"},
    {2026, "2026-04-05", "2026-06-20", "2026-10-31"},
    {2027, "2027-03-28", "2027-06-26", "2027-11-06"},
    {2028, "2028-04-16", "2028-06-24", "2028-11-04"},
    {2029, "2029-04-01", "2029-06-23", "2029-11-03"},
    {2030, "2030-04-21", "2030-06-22", "2030-11-02"},
    {2031, "2031-04-13", "2031-06-21", "2031-11-01"},
    {2032, "2032-03-28", "2032-06-26", "2032-11-06"},
    {2033, "2033-04-17", "2033-06-25", "2033-11-05"},
    {2034, "2034-04-09", "2034-06-24", "2034-11-04"},
    {2035, "2035-03-25", "2035-06-23", "2035-11-03"},
};

TEST_CASE("Every movable holiday from 2020 to 2035 falls on its almanac date") {
  for (const auto& k : kKnown) {
    const Date easter = D(k.easter);
    INFO("year " << k.year);
    CHECK(EasterSunday(k.year) == easter);
    CHECK(Find(k.year, "långfredagen") == Plus(easter, -2));
    CHECK(Find(k.year, "påskdagen") == easter);
    CHECK(Find(k.year, "annandag påsk") == Plus(easter, 1));
    CHECK(Find(k.year, "Kristi himmelsfärdsdag") == Plus(easter, 39));
    CHECK(Find(k.year, "pingstdagen") == Plus(easter, 49));
    CHECK(Find(k.year, "midsommardagen") == D(k.midsummer_day));
    CHECK(Find(k.year, "midsommarafton") == Plus(D(k.midsummer_day), -1));
    CHECK(Find(k.year, "alla helgons dag") == D(k.all_saints));
    CHECK(SwedishHolidays(k.year).size() == 16);
  }
}

TEST_CASE("The dates named in the papers are holidays") {
  CHECK(Find(2023, "långfredagen") == 2023_y / 4 / 7);
  CHECK(Find(2022, "midsommardagen") == 2022_y / 6 / 25);
  CHECK(Find(2024, "Kristi himmelsfärdsdag") == 2024_y / 5 / 9);
  CHECK(Find(2023, "alla helgons dag") == 2023_y / 11 / 4);
}

TEST_CASE("The fixed holidays and the three eves are non-working every year") {
  for (int y = 2020; y <= 2035; ++y) {
    INFO("year " << y);
    for (unsigned md : {101u, 106u, 501u, 606u, 1224u, 1225u, 1226u, 1231u}) {
      const Date d{date::year{y}, date::month{md / 100}, date::day{md % 100}};
      CHECK(IsNonWorkingDay(d));
    }
  }
  for (const auto& h : SwedishHolidays(2023)) {
    const bool eve = h.name == "midsommarafton" || h.name == "julafton" || h.name == "nyårsafton";
    CHECK(h.public_holiday == !eve);
  }
}

TEST_CASE("Weekdays that are not holidays are working days and weekends are not") {
  CHECK_FALSE(IsNonWorkingDay(2022_y / 6 / 15));  // a Wednesday
  CHECK_FALSE(IsNonWorkingDay(2023_y / 4 / 11));  // the Tuesday after Easter
  CHECK(IsNonWorkingDay(2022_y / 6 / 11));        // Saturday
  CHECK(IsNonWorkingDay(2022_y / 6 / 12));        // Sunday
}

TEST_CASE("A deadline on a non-working day moves to the next working day (lag 1930:173)") {
  CHECK(NextWorkingDayOnOrAfter(2022_y / 6 / 15) == 2022_y / 6 / 15);  // unchanged
  CHECK(NextWorkingDayOnOrAfter(2022_y / 2 / 19) == 2022_y / 2 / 21);  // Saturday → Monday
  // Långfredagen 2023-04-07 → past Easter and annandag påsk to Tuesday.
  CHECK(NextWorkingDayOnOrAfter(2023_y / 4 / 7) == 2023_y / 4 / 11);
  // Midsommarafton 2022-06-24 (Friday) → past midsommardagen and Sunday.
  CHECK(NextWorkingDayOnOrAfter(2022_y / 6 / 24) == 2022_y / 6 / 27);
  // Julafton 2021 (Friday) → past juldagen, annandag jul (Sunday) to Monday 27th.
  CHECK(NextWorkingDayOnOrAfter(2021_y / 12 / 24) == 2021_y / 12 / 27);
  // Nyårsafton 2022 (Saturday) → past nyårsdagen (Sunday) to Monday 2 January 2023.
  CHECK(NextWorkingDayOnOrAfter(2022_y / 12 / 31) == 2023_y / 1 / 2);
  // Kristi himmelsfärdsdag 2024-05-09 (Thursday) → Friday.
  CHECK(NextWorkingDayOnOrAfter(2024_y / 5 / 9) == 2024_y / 5 / 10);
}

}  // namespace
}  // namespace kansli::workflow
