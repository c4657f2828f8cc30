// `kansli import-registry FILE`: the diarium's registry export, in both
// formats, registered through the command line and checked over HTTP.
#include <doctest/doctest.h>

#include <fstream>

#include "tests/api/api_support.h"
#include "tests/support/env.h"

namespace kansli::test {
namespace {

std::string RegistryFixture(const std::string& name) {
  return (SourceDir() / "tests" / "fixtures" / "registry" / name).string();
}

// The case with this reference (REQUIREs exactly one).
json CaseByReference(const Http& http, const std::string& reference) {
  const auto ids = ListIds(http, "reference=" + Http::Escape(reference));
  REQUIRE_MESSAGE(ids.size() == 1, reference);
  return GetCase(http, ids[0]);
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_SUITE("api") {
  TEST_CASE("kansli import-registry registers the export's remisser and motion once") {
    PrivateServer p;
    const Http reader = p.server.As("reader");

    const auto first = p.db.Kansli({"import-registry", RegistryFixture("2022-08-incoming.tsv")});
    CAPTURE(first.Describe());
    CHECK(first.exit_code == 0);
    CHECK(Has(first.out, "created 5, already registered 0, skipped 1, errors 0"));
    CHECK(Has(first.out, "line 6: RJL 2022/2211: skipped: document type SKRIVELSE"));
    CHECK(reader.Get("/api/v1/cases").Json().at("total") == 5);

    const json motion = CaseByReference(reader, "RJL 2022/2000");
    CHECK(motion.at("type") == "motion");
    CHECK(motion.at("title") == "Avgiftsfri TBE-vaccinering");
    CHECK(motion.at("received") == "2022-08-08");
    CHECK(motion.at("submitters") ==
          json::array({json{{"name", "Sverigedemokraterna"}, {"party", ""}}}));

    const json remiss = CaseByReference(reader, "RJL 2022/2018");
    CHECK(remiss.at("type") == "remiss");
    CHECK(remiss.at("title") == "Audiovisuell strategi Regionsamverkan Sydsverige");
    CHECK(remiss.at("received") == "2022-08-11");
    CHECK(remiss.at("sender") == "Regionsamverkan Sydsverige");
    CHECK(remiss.at("officer") == "Linda Byman");
    CHECK(remiss.at("answer_by") == "2022-09-10");
    CHECK(Has(remiss.at("notes").get<std::string>(), "Svarsdatum saknas i diariet"));
    const long long version = remiss.at("version").get<long long>();

    const auto again = p.db.Kansli({"import-registry", RegistryFixture("2022-08-incoming.tsv")});
    CAPTURE(again.Describe());
    CHECK(again.exit_code == 0);
    CHECK(Has(again.out, "created 0, already registered 5, skipped 1, errors 0"));

    const auto raw = p.db.Kansli({"import-registry", RegistryFixture("2022-08-incoming-raw.txt")});
    CAPTURE(raw.Describe());
    CHECK(raw.exit_code == 0);
    CHECK(Has(raw.out, "created 0, already registered 5, skipped 1, errors 0"));
    CHECK(reader.Get("/api/v1/cases").Json().at("total") == 5);
    CHECK(CaseByReference(reader, "RJL 2022/2018").at("version") == version);
  }

  TEST_CASE("kansli import-registry reports broken rows by line, imports the rest, exits 1") {
    PrivateServer p;
    const Http reader = p.server.As("reader");
    const auto path = TestOutputDir() / ("registry-broken-" + UniqueSuffix() + ".tsv");
    {
      std::ofstream f(path, std::ios::trunc);
      f << "doc_id\tdirection\tdescription\tresponsible\tdate\tcounterparty\tdepartment\t"
           "case_reference\tcase_title\tdocument_type\n"
        << "1\tI\td\tEva\t2022-08-01\tKommun\tAvd\tRJL 2022/901\tRemiss - Bra\tREMISS\n"  // 2
        << "2\tI\td\tEva\t2022-08-01\tKommun\tAvd\tRJL 2022/902\n"                        // 3
        << "3\tI\td\tEva\t2022-02-30\tKommun\tAvd\tRJL 2022/903\tRemiss - C\tREMISS\n"    // 4
        << "4\tI\td\tEva\t2022-08-01\tKommun\tAvd\tnummer\tRemiss - D\tREMISS\n"          // 5
        << "5\tI\td\tEva\t2022-08-01\tKommun\tAvd\tRJL 2022/905\t\tREMISS\n"              // 6
        << "6\tI\td\tEva\t2022-08-01\tV\tAvd\tRJL 2022/906\tMotion - Bra\tMOTION\n";      // 7
    }
    const auto r = p.db.Kansli({"import-registry", path.string()});
    CAPTURE(r.Describe());
    CHECK(r.exit_code == 1);
    CHECK(Has(r.out, "created 2, already registered 0, skipped 0, errors 4"));
    CHECK(Has(r.out, "line 3: error:"));
    CHECK(Has(r.out, "line 4: error:"));
    CHECK(Has(r.out, "line 5: error:"));
    CHECK(Has(r.out, "line 6: error:"));
    CHECK(reader.Get("/api/v1/cases").Json().at("total") == 2);
    CHECK(CaseByReference(reader, "RJL 2022/901").at("title") == "Bra");
    CHECK(CaseByReference(reader, "RJL 2022/906").at("type") == "motion");
  }

  TEST_CASE("kansli import-registry without a file is a usage error") {
    TestDatabase db;
    const auto r = db.Kansli({"import-registry"});
    CHECK(r.exit_code == 2);
  }
}

}  // namespace
}  // namespace kansli::test
