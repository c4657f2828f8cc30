// Civil dates: parsing, formatting and calendar arithmetic (workflow/civil_date.h).
#include "workflow/civil_date.h"

#include <doctest/doctest.h>

namespace kansli::workflow {
namespace {

using namespace date::literals;

TEST_CASE("ParseDate accepts a valid YYYY-MM-DD date") {
  const auto d = ParseDate("2021-06-15");
  REQUIRE(d.has_value());
  CHECK(*d == 2021_y / 6 / 15);
  CHECK(ParseDate("1900-01-01") == std::optional<Date>(1900_y / 1 / 1));
  CHECK(ParseDate("2999-12-31") == std::optional<Date>(2999_y / 12 / 31));
}

TEST_CASE("ParseDate rejects a day that does not exist in the month") {
  CHECK_FALSE(ParseDate("2023-02-30").has_value());
  CHECK_FALSE(ParseDate("2023-04-31").has_value());
  CHECK_FALSE(ParseDate("2023-13-01").has_value());
  CHECK_FALSE(ParseDate("2023-00-10").has_value());
  CHECK_FALSE(ParseDate("2023-01-00").has_value());
}

TEST_CASE("ParseDate accepts 29 February only in leap years") {
  CHECK(ParseDate("2024-02-29") == std::optional<Date>(2024_y / 2 / 29));
  CHECK(ParseDate("2000-02-29") == std::optional<Date>(2000_y / 2 / 29));
  CHECK_FALSE(ParseDate("2023-02-29").has_value());
  CHECK_FALSE(ParseDate("2100-02-29").has_value());
}

TEST_CASE("ParseDate rejects anything but exactly YYYY-MM-DD") {
  CHECK_FALSE(ParseDate("2023-2-3").has_value());
  CHECK_FALSE(ParseDate("2023-02-3").has_value());
  CHECK_FALSE(ParseDate("").has_value());
  CHECK_FALSE(ParseDate("garbage").has_value());
  CHECK_FALSE(ParseDate("tomorrow!!").has_value());
  CHECK_FALSE(ParseDate("2023/02/03").has_value());
  CHECK_FALSE(ParseDate("03-02-2023").has_value());
  CHECK_FALSE(ParseDate(" 2023-02-03").has_value());
  CHECK_FALSE(ParseDate("2023-02-03 ").has_value());
  CHECK_FALSE(ParseDate("2023-02-03T10:00").has_value());
  CHECK_FALSE(ParseDate("+023-02-03").has_value());
  CHECK_FALSE(ParseDate("2023-+2-03").has_value());
}

TEST_CASE("ParseDate rejects years outside 1900-2999") {
  CHECK_FALSE(ParseDate("1899-12-31").has_value());
  CHECK_FALSE(ParseDate("3000-01-01").has_value());
  CHECK_FALSE(ParseDate("0000-01-01").has_value());
}

TEST_CASE("FormatDate writes YYYY-MM-DD with zero padding and round-trips through ParseDate") {
  CHECK(FormatDate(2022_y / 2 / 9) == "2022-02-09");
  CHECK(FormatDate(1900_y / 1 / 1) == "1900-01-01");
  CHECK(FormatDate(*ParseDate("2021-08-19")) == "2021-08-19");
}

TEST_CASE("AddYears keeps the day, and 29 February falls back to 28 February") {
  CHECK(AddYears(2021_y / 6 / 15, 1) == 2022_y / 6 / 15);
  CHECK(AddYears(2020_y / 2 / 29, 1) == 2021_y / 2 / 28);
  CHECK(AddYears(2020_y / 2 / 29, 4) == 2024_y / 2 / 29);
  CHECK(AddYears(2022_y / 6 / 15, -1) == 2021_y / 6 / 15);
}

TEST_CASE("AddMonths clamps a day that does not exist in the target month to its last day") {
  CHECK(AddMonths(2021_y / 8 / 19, 6) == 2022_y / 2 / 19);
  CHECK(AddMonths(2022_y / 8 / 31, 6) == 2023_y / 2 / 28);
  CHECK(AddMonths(2023_y / 8 / 31, 6) == 2024_y / 2 / 29);
  CHECK(AddMonths(2022_y / 1 / 31, 1) == 2022_y / 2 / 28);
  CHECK(AddMonths(2022_y / 3 / 31, 1) == 2022_y / 4 / 30);
}

TEST_CASE("AddMonths crosses year boundaries in both directions") {
  CHECK(AddMonths(2021_y / 11 / 15, 3) == 2022_y / 2 / 15);
  CHECK(AddMonths(2022_y / 2 / 15, -3) == 2021_y / 11 / 15);
  CHECK(AddMonths(2022_y / 5 / 31, 0) == 2022_y / 5 / 31);
  CHECK(AddMonths(2021_y / 8 / 19, 24) == 2023_y / 8 / 19);
}

TEST_CASE("DaysBetween counts whole days and is negative when the end is earlier") {
  CHECK(DaysBetween(2021_y / 8 / 19, 2022_y / 2 / 9) == 174);  // domain.md: 174 days unreminded
  CHECK(DaysBetween(2022_y / 2 / 9, 2021_y / 8 / 19) == -174);
  CHECK(DaysBetween(2022_y / 6 / 15, 2022_y / 6 / 15) == 0);
  CHECK(DaysBetween(2024_y / 2 / 28, 2024_y / 3 / 1) == 2);
  CHECK(DaysBetween(2023_y / 2 / 28, 2023_y / 3 / 1) == 1);
  CHECK(DaysBetween(2021_y / 6 / 15, 2022_y / 6 / 15) == 365);
}

}  // namespace
}  // namespace kansli::workflow
