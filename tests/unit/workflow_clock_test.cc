// Time in Europe/Stockholm: civil dates of instants, RFC 3339 formatting and
// parsing, and the fixed clock tests use (workflow/clock.h).
#include "workflow/clock.h"

#include <chrono>
#include <string>

#include <doctest/doctest.h>

namespace kansli::workflow {
namespace {

using namespace date::literals;
using namespace std::chrono_literals;
using Instant = std::chrono::system_clock::time_point;

// An instant given in UTC.
Instant Utc(date::year_month_day day, std::chrono::seconds time_of_day) {
  return date::sys_days{day} + time_of_day;
}

// An instant written as UTC, for comparing instants with readable failures.
std::string AsUtc(Instant t) {
  return date::format("%FT%TZ", date::floor<std::chrono::seconds>(t));
}

TEST_CASE("StockholmDate of a summer evening in UTC is already the next day in Stockholm") {
  // 22:30Z is 00:30 CEST (+02:00).
  CHECK(StockholmDate(Utc(2022_y / 6 / 15, 22h + 30min)) == 2022_y / 6 / 16);
  CHECK(StockholmDate(Utc(2022_y / 6 / 15, 21h + 59min + 59s)) == 2022_y / 6 / 15);
  CHECK(StockholmDate(Utc(2022_y / 6 / 15, 22h)) == 2022_y / 6 / 16);
}

TEST_CASE("StockholmDate of a winter night in UTC moves across the new year") {
  // 23:30Z is 00:30 CET (+01:00).
  CHECK(StockholmDate(Utc(2022_y / 12 / 31, 23h + 30min)) == 2023_y / 1 / 1);
  CHECK(StockholmDate(Utc(2022_y / 12 / 31, 22h + 59min + 59s)) == 2022_y / 12 / 31);
  CHECK(StockholmDate(Utc(2022_y / 12 / 31, 23h)) == 2023_y / 1 / 1);
}

TEST_CASE("FormatInstant writes RFC 3339 with the Stockholm offset of summer and winter") {
  CHECK(FormatInstant(Utc(2022_y / 6 / 16, 7h + 30min)) == "2022-06-16T09:30:00+02:00");
  CHECK(FormatInstant(Utc(2022_y / 12 / 31, 23h + 30min)) == "2023-01-01T00:30:00+01:00");
  // Sub-second parts are dropped, not rounded.
  CHECK(FormatInstant(Utc(2022_y / 6 / 16, 7h + 30min) + 999ms) == "2022-06-16T09:30:00+02:00");
}

TEST_CASE("FormatInstant switches from +01:00 to +02:00 on the spring daylight-saving day") {
  // 2023-03-26: at 01:00Z clocks go from 02:00 CET to 03:00 CEST.
  CHECK(FormatInstant(Utc(2023_y / 3 / 25, 12h)) == "2023-03-25T13:00:00+01:00");
  CHECK(FormatInstant(Utc(2023_y / 3 / 26, 0h + 59min + 59s)) == "2023-03-26T01:59:59+01:00");
  CHECK(FormatInstant(Utc(2023_y / 3 / 26, 1h)) == "2023-03-26T03:00:00+02:00");
  CHECK(FormatInstant(Utc(2023_y / 3 / 26, 10h)) == "2023-03-26T12:00:00+02:00");
  CHECK(StockholmDate(Utc(2023_y / 3 / 26, 22h + 30min)) == 2023_y / 3 / 27);
}

TEST_CASE("FormatInstant switches from +02:00 to +01:00 on the autumn daylight-saving day") {
  // 2023-10-29: at 01:00Z clocks go from 03:00 CEST back to 02:00 CET, so
  // 02:30 local happens twice and the offset tells the two apart.
  CHECK(FormatInstant(Utc(2023_y / 10 / 29, 0h + 30min)) == "2023-10-29T02:30:00+02:00");
  CHECK(FormatInstant(Utc(2023_y / 10 / 29, 1h + 30min)) == "2023-10-29T02:30:00+01:00");
  CHECK(FormatInstant(Utc(2023_y / 10 / 29, 0h + 59min + 59s)) == "2023-10-29T02:59:59+02:00");
  CHECK(FormatInstant(Utc(2023_y / 10 / 29, 1h)) == "2023-10-29T02:00:00+01:00");
  CHECK(StockholmDate(Utc(2023_y / 10 / 29, 22h + 59min)) == 2023_y / 10 / 29);
  CHECK(StockholmDate(Utc(2023_y / 10 / 29, 23h)) == 2023_y / 10 / 30);
}

TEST_CASE("ParseInstant takes a civil date as noon in Stockholm") {
  const auto summer = ParseInstant("2022-06-16");
  REQUIRE(summer.has_value());
  CHECK(AsUtc(*summer) == "2022-06-16T10:00:00Z");
  CHECK(FormatInstant(*summer) == "2022-06-16T12:00:00+02:00");
  const auto winter = ParseInstant("2022-12-31");
  REQUIRE(winter.has_value());
  CHECK(AsUtc(*winter) == "2022-12-31T11:00:00Z");
  CHECK(StockholmDate(*winter) == 2022_y / 12 / 31);
}

TEST_CASE("ParseInstant accepts RFC 3339 instants in UTC and with an offset") {
  const auto z = ParseInstant("2022-06-16T09:00:00Z");
  REQUIRE(z.has_value());
  CHECK(AsUtc(*z) == "2022-06-16T09:00:00Z");

  const auto plus = ParseInstant("2022-06-16T09:00:00+02:00");
  REQUIRE(plus.has_value());
  CHECK(AsUtc(*plus) == "2022-06-16T07:00:00Z");

  const auto minus = ParseInstant("2022-06-16T09:00:00-05:30");
  REQUIRE(minus.has_value());
  CHECK(AsUtc(*minus) == "2022-06-16T14:30:00Z");

  // An offset that crosses midnight.
  const auto early = ParseInstant("2022-06-16T00:30:00+02:00");
  REQUIRE(early.has_value());
  CHECK(AsUtc(*early) == "2022-06-15T22:30:00Z");

  const auto fraction = ParseInstant("2022-06-16T09:00:00.250Z");
  REQUIRE(fraction.has_value());
  CHECK(AsUtc(*fraction) == "2022-06-16T09:00:00Z");
}

TEST_CASE("ParseInstant round-trips what FormatInstant writes") {
  const Instant t = Utc(2023_y / 10 / 29, 1h + 30min);
  const auto back = ParseInstant(FormatInstant(t));
  REQUIRE(back.has_value());
  CHECK(AsUtc(*back) == AsUtc(t));
}

TEST_CASE("ParseInstant rejects garbage and incomplete instants") {
  for (const std::string text :
       {"", "garbage", "2022-06-16T09:00:00", "2022-06-16 09:00:00Z", "2022-06-16T9:00:00Z",
        "2022-06-16T24:00:00Z", "2022-06-16T09:60:00Z", "2022-06-16T09:00:00+0200",
        "2022-06-16T09:00:00+02", "2022-06-16T09:00:00Zjunk", "2022-02-30T09:00:00Z",
        "2022-06-16T09:00:00+ab:00", "2022-6-16", "16/06/2022"}) {
    INFO("text: \"", text, "\"");
    CHECK_FALSE(ParseInstant(text).has_value());
  }
}

TEST_CASE("FixedClock stands still until it is set, and Today is its Stockholm date") {
  FixedClock clock(Utc(2022_y / 6 / 15, 21h + 30min));
  CHECK(AsUtc(clock.Now()) == "2022-06-15T21:30:00Z");
  CHECK(AsUtc(clock.Now()) == "2022-06-15T21:30:00Z");
  CHECK(clock.Today() == 2022_y / 6 / 15);

  clock.Set(Utc(2022_y / 6 / 15, 22h + 30min));
  CHECK(AsUtc(clock.Now()) == "2022-06-15T22:30:00Z");
  CHECK(clock.Today() == 2022_y / 6 / 16);
}

TEST_CASE("SystemClock reports an instant close to the real time") {
  SystemClock clock;
  const auto before = std::chrono::system_clock::now();
  const auto now = clock.Now();
  const auto after = std::chrono::system_clock::now();
  CHECK(now >= before);
  CHECK(now <= after);
  const Date today = clock.Today();
  // Today() reads the clock again: allow for a Stockholm midnight in between.
  CHECK((today == StockholmDate(now) || today == StockholmDate(std::chrono::system_clock::now())));
}

}  // namespace
}  // namespace kansli::workflow
