// The registry export parser (workflow/registry.h): both formats, markup,
// broken rows.
#include "workflow/registry.h"

#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

namespace kansli::workflow {
namespace {

std::string Fixture(const std::string& name) {
  const std::string path = std::string(KANSLI_REGISTRY_FIXTURES) + "/" + name;
  std::ifstream f(path, std::ios::binary);
  REQUIRE_MESSAGE(f.good(), "cannot read ", path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool SameValues(const RegistryRow& a, const RegistryRow& b) {
  return a.doc_id == b.doc_id && a.direction == b.direction && a.description == b.description &&
         a.responsible == b.responsible && a.date == b.date && a.counterparty == b.counterparty &&
         a.department == b.department && a.case_reference == b.case_reference &&
         a.case_title == b.case_title && a.document_type == b.document_type;
}

const char* kHeader =
    "doc_id\tdirection\tdescription\tresponsible\tdate\tcounterparty\tdepartment\tcase_"
    "reference\tcase_title\tdocument_type\n";

TEST_CASE("The TSV export parses to six rows: four remisser, a skrivelse and a motion") {
  const auto p = ParseRegistry(Fixture("2022-08-incoming.tsv"));
  CHECK(p.errors.empty());
  REQUIRE(p.rows.size() == 6);
  int remiss = 0, skrivelse = 0, motion = 0;
  for (const auto& r : p.rows) {
    remiss += r.document_type == "REMISS";
    skrivelse += r.document_type == "SKRIVELSE";
    motion += r.document_type == "MOTION";
  }
  CHECK(remiss == 4);
  CHECK(skrivelse == 1);
  CHECK(motion == 1);
  const auto& m = p.rows[5];
  CHECK(m.line == 7);
  CHECK(m.doc_id == "2022.10018");
  CHECK(m.direction == "I");
  CHECK(m.case_reference == "RJL 2022/2000");
  CHECK(m.case_title == "Motion - Avgiftsfri TBE-vaccinering");
  CHECK(m.counterparty == "Sverigedemokraterna");
  CHECK(m.date == "2022-08-08");
  CHECK(m.responsible == "Nathalie Bijelic Eriksson");
  CHECK(p.rows[0].line == 2);
  CHECK(p.rows[0].case_reference == "RJL 2022/1998");
}

TEST_CASE("The raw export parses to the same six rows as the TSV, markup stripped") {
  const auto tsv = ParseRegistry(Fixture("2022-08-incoming.tsv"));
  const auto raw = ParseRegistry(Fixture("2022-08-incoming-raw.txt"));
  CHECK(raw.errors.empty());
  REQUIRE(raw.rows.size() == tsv.rows.size());
  for (std::size_t i = 0; i < raw.rows.size(); ++i) {
    CAPTURE(i);
    CHECK(SameValues(raw.rows[i], tsv.rows[i]));
    for (const auto* s : {&raw.rows[i].doc_id, &raw.rows[i].case_title, &raw.rows[i].responsible}) {
      CHECK(s->find('<') == std::string::npos);
      CHECK(s->find("**") == std::string::npos);
    }
  }
  // The first record's first line, after 17 lines of heading.
  CHECK(raw.rows[0].line == 18);
  CHECK(raw.rows[5].line == 69);
}

TEST_CASE("Markup inside raw records is stripped") {
  const auto p = ParseRegistry(
      "# Dokument\n\n**Utskriftsdatum:** 2022-09-01\n\n"
      "<b>Id</b>\t<b>I/U/K</b>\t<b>Beskrivning</b>\t<b>Ansvarig</b>\n"
      "<b>2022.1</b>\tI\t**Fet** text\tEva\n"
      "2022-08-01\t\t<i>Kommun</i>\tAvd\n"
      "RJL 2022/1\t\tRemiss - <b>X</b>\tremiss\n");
  CHECK(p.errors.empty());
  REQUIRE(p.rows.size() == 1);
  CHECK(p.rows[0].doc_id == "2022.1");
  CHECK(p.rows[0].description == "Fet text");
  CHECK(p.rows[0].counterparty == "Kommun");
  CHECK(p.rows[0].case_title == "Remiss - X");
  CHECK(p.rows[0].document_type == "REMISS");
}

TEST_CASE("Broken TSV rows are reported by line number and the good rows kept") {
  const std::string text = std::string(kHeader) +
                           "1\tI\td\tr\t2022-08-01\tc\tdep\tRJL 2022/1\tRemiss - A\tREMISS\n"   // 2
                           "2\tI\td\tr\t2022-08-01\tc\tdep\tRJL 2022/2\n"                       // 3
                           "3\tI\td\tr\t2022-13-01\tc\tdep\tRJL 2022/3\tRemiss - C\tREMISS\n"   // 4
                           "4\tI\td\tr\t2022-08-01\tc\tdep\tRJL x/4\tRemiss - D\tREMISS\n"      // 5
                           "5\tI\td\tr\t2022-08-01\tc\tdep\tRJL 2022/5\t\tREMISS\n"             // 6
                           "6\tI\td\tr\t2022-08-01\tc\tdep\tRJL 2022/6\tMotion - F\tMOTION\n";  // 7
  const auto p = ParseRegistry(text);
  REQUIRE(p.rows.size() == 2);
  CHECK(p.rows[0].line == 2);
  CHECK(p.rows[1].line == 7);
  REQUIRE(p.errors.size() == 4);
  CHECK(p.errors[0].first == 3);
  CHECK(p.errors[0].second.find("10") != std::string::npos);
  CHECK(p.errors[1].first == 4);
  CHECK(p.errors[1].second.find("date") != std::string::npos);
  CHECK(p.errors[2].first == 5);
  CHECK(p.errors[2].second.find("reference") != std::string::npos);
  CHECK(p.errors[3].first == 6);
  CHECK(p.errors[3].second.find("title") != std::string::npos);
}

TEST_CASE("Broken raw records are reported by the offending line and the good ones kept") {
  const auto p = ParseRegistry(
      "# Dokument\n"                          // 1
      "Id\tI/U/K\tBeskrivning\tAnsvarig\n"    // 2
      "1\tI\td\tr\n"                          // 3
      "2022-08-01\t\tc\tdep\n"                // 4
      "RJL 2022/1\t\tRemiss - A\tREMISS\n"    // 5
      "2\tI\td\tr\n"                          // 6
      "2022-08-32\t\tc\tdep\n"                // 7
      "RJL 2022/2\t\tRemiss - B\tREMISS\n"    // 8
      "3\tI\td\tr\n"                          // 9
      "2022-08-01\t\tc\n"                     // 10
      "RJL 2022/3\t\tRemiss - C\tREMISS\n"    // 11
      "4\tI\td\tr\n"                          // 12
      "2022-08-01\t\tc\tdep\n"                // 13
      "RJL 2022/4\t\tMotion - D\tMOTION\n");  // 14
  REQUIRE(p.rows.size() == 2);
  CHECK(p.rows[0].case_reference == "RJL 2022/1");
  CHECK(p.rows[0].line == 3);
  CHECK(p.rows[1].case_reference == "RJL 2022/4");
  CHECK(p.rows[1].line == 12);
  REQUIRE(p.errors.size() == 2);
  CHECK(p.errors[0].first == 7);
  CHECK(p.errors[1].first == 10);
}

TEST_CASE("Empty text parses to nothing") {
  const auto p = ParseRegistry("");
  CHECK(p.rows.empty());
  CHECK(p.errors.empty());
}

}  // namespace
}  // namespace kansli::workflow
