// Diarienummer parsing and formatting (workflow/reference.h).
#include "workflow/reference.h"

#include <string>

#include <doctest/doctest.h>

namespace kansli::workflow {
namespace {

// The parsed reference written back, or "<none>" when it did not parse.
std::string Normalised(const std::string& text, const std::string& default_prefix = "RJL") {
  const auto r = ParseReference(text, default_prefix);
  return r ? r->ToString() : "<none>";
}

TEST_CASE("ParseReference reads prefix, year and number of the full form") {
  const auto r = ParseReference("RJL 2021/1342", "XYZ");
  REQUIRE(r.has_value());
  CHECK(r->prefix == "RJL");
  CHECK(r->year == 2021);
  CHECK(r->number == 1342);
  CHECK(r->ToString() == "RJL 2021/1342");
}

TEST_CASE("ParseReference gives a reference without prefix the default prefix") {
  const auto r = ParseReference("2021/1342", "RJL");
  REQUIRE(r.has_value());
  CHECK(r->prefix == "RJL");
  CHECK(r->year == 2021);
  CHECK(r->number == 1342);
  CHECK(Normalised("2022/2018", "LJ") == "LJ 2022/2018");
}

TEST_CASE("ParseReference accepts the Dnr. form in any case, with or without the dot") {
  CHECK(Normalised("Dnr. RJL 2021/1342") == "RJL 2021/1342");
  CHECK(Normalised("dnr RJL 2021/1342") == "RJL 2021/1342");
  CHECK(Normalised("DNR. RJL 2021/1342") == "RJL 2021/1342");
  CHECK(Normalised("Dnr.RJL 2021/1342") == "RJL 2021/1342");
  CHECK(Normalised("Dnr 2021/1342", "RJL") == "RJL 2021/1342");
}

TEST_CASE("ParseReference reads Dnr written against the number as the word, not a prefix") {
  CHECK(Normalised("Dnr2021/1342") == "RJL 2021/1342");
  CHECK(Normalised("dnr2021/1342", "KS") == "KS 2021/1342");
  CHECK(Normalised("Dnr. Dnr 2021/1342") == "RJL 2021/1342");
  // Normalising is stable: the written form reads back as itself.
  CHECK(Normalised(Normalised("DNR2021/67")) == "RJL 2021/67");
  CHECK(Normalised("DNRX 2021/5") == "DNRX 2021/5");
}

TEST_CASE("ParseReference tolerates surrounding white space") {
  CHECK(Normalised("  RJL 2021/1342 \n") == "RJL 2021/1342");
  CHECK(Normalised("\tDnr.  RJL   2021/1342") == "RJL 2021/1342");
}

TEST_CASE("ParseReference upper-cases a lower-case prefix") {
  const auto r = ParseReference("rjl 2021/1342", "XYZ");
  REQUIRE(r.has_value());
  CHECK(r->prefix == "RJL");
  CHECK(Normalised("Rjl 2021/7") == "RJL 2021/7");
}

TEST_CASE("ParseReference accepts the Swedish letters in a prefix and upper-cases them") {
  CHECK(Normalised("KSÅ 2022/15") == "KSÅ 2022/15");
  CHECK(Normalised("ksä 2022/15") == "KSÄ 2022/15");
  CHECK(Normalised("lö 2022/15") == "LÖ 2022/15");
  CHECK(Normalised("åäö 2022/15") == "ÅÄÖ 2022/15");
  // Other accented letters are not part of the alphabet of prefixes.
  CHECK(Normalised("KSé 2022/15") == "<none>");
}

TEST_CASE("ParseReference rejects a two-digit year") {
  CHECK(Normalised("RJL 21/1342") == "<none>");
  CHECK(Normalised("21/1342") == "<none>");
}

TEST_CASE("ParseReference rejects a missing, zero or non-numeric sequence number") {
  CHECK(Normalised("RJL 2021/") == "<none>");
  CHECK(Normalised("RJL 2021") == "<none>");
  CHECK(Normalised("RJL 2021/0") == "<none>");
  CHECK(Normalised("RJL 2021/12a") == "<none>");
  CHECK(Normalised("RJL 2021/-5") == "<none>");
  CHECK(Normalised("RJL 2021/123456789") == "<none>");  // more than 8 digits
  CHECK(Normalised("RJL 2021/99999999") == "RJL 2021/99999999");
}

TEST_CASE("ParseReference rejects years outside 1900-2999 and other shapes") {
  CHECK(Normalised("RJL 1899/5") == "<none>");
  CHECK(Normalised("RJL 3000/5") == "<none>");
  CHECK(Normalised("") == "<none>");
  CHECK(Normalised("garbage") == "<none>");
  CHECK(Normalised("RJL-2021/5") == "<none>");
  CHECK(Normalised("RJL 2021-5") == "<none>");
  CHECK(Normalised("RJL 2021 / 5") == "<none>");
  CHECK(Normalised("ABCDEFGHIJKLMNOPQ 2021/5") == "<none>");  // 17 letters
  CHECK(Normalised("ABCDEFGHIJKLMNOP 2021/5") == "ABCDEFGHIJKLMNOP 2021/5");
}

TEST_CASE("Reference::ToString writes prefix, space, year, slash and number without padding") {
  CHECK(Reference{"RJL", 2021, 1342}.ToString() == "RJL 2021/1342");
  CHECK(Reference{"RJL", 2023, 1}.ToString() == "RJL 2023/1");
  CHECK(Reference{"KS", 1999, 99999999}.ToString() == "KS 1999/99999999");
}

}  // namespace
}  // namespace kansli::workflow
