// The case history is evidence (arkivlagen): the database itself refuses to
// change or remove it, and it keeps the order in which events were posted.
#include <doctest/doctest.h>

#include "tests/pg/pg_support.h"

namespace kansli::test {
namespace {

TEST_SUITE("pg") {
  TEST_CASE("UPDATE DELETE and TRUNCATE on case_history are refused by the database") {
    PgFixture f;
    const auto c = RegisterMotion(f.stack, "Historiken är bevis");
    f.stack.cases.Apply(c.id, Event({{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}}),
                        kSecretary, {});
    const std::string dsn = f.db.dsn();
    REQUIRE(Count(dsn, "SELECT count(*) FROM case_history") == 2);
    const std::string before =
        Scalar(dsn,
               "SELECT string_agg(event || '/' || to_state || '/' || coalesce(text, ''), "
               "',' ORDER BY seq) FROM case_history");

    for (const char* sql :
         {"UPDATE case_history SET text = 'ändrad' WHERE seq = 1",
          "UPDATE case_history SET to_state = 'decided'", "DELETE FROM case_history WHERE seq = 2",
          "DELETE FROM case_history", "TRUNCATE case_history", "TRUNCATE case_history CASCADE"}) {
      const std::string statement = sql;
      CAPTURE(statement);
      std::string message;
      CHECK(SqlStateOf(dsn, sql, &message) == "42501");  // insufficient_privilege
      CHECK(message.find("append-only") != std::string::npos);
    }
    CHECK(Count(dsn, "SELECT count(*) FROM case_history") == 2);
    CHECK(Scalar(dsn,
                 "SELECT string_agg(event || '/' || to_state || '/' || coalesce(text, ''), "
                 "',' ORDER BY seq) FROM case_history") == before);
    // Appending stays possible.
    f.stack.cases.Apply(c.id, Event({{"event", "note"}, {"organ", "fs"}, {"text", "Info"}}),
                        kSecretary, {});
    CHECK(Count(dsn, "SELECT count(*) FROM case_history") == 3);
  }

  TEST_CASE("The history keeps events of the same day in the order they were posted") {
    PgFixture f;
    const auto c = RegisterMotion(f.stack, "Samma dag");
    const std::vector<std::string> texts = {"C först", "A sedan", "B sist"};
    for (const auto& t : texts)
      f.stack.cases.Apply(
          c.id, Event({{"event", "note"}, {"date", "2023-02-10"}, {"organ", "rf"}, {"text", t}}),
          kSecretary, {});
    const auto h = f.stack.cases.History(c.id);
    REQUIRE(h.size() == 4);
    CHECK(h[0].event == "register");
    CHECK(h[0].seq == 1);
    for (std::size_t i = 0; i < texts.size(); ++i) {
      CHECK(h[i + 1].seq == static_cast<int>(i + 2));
      CHECK(h[i + 1].text.value_or("") == texts[i]);
      CHECK(workflow::FormatDate(h[i + 1].date) == "2023-02-10");
      CHECK(h[i + 1].actor == kSecretary.name);
    }
  }
}

}  // namespace
}  // namespace kansli::test
