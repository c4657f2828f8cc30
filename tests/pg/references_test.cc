// Diarienummer: a per-year series without gaps or duplicates, also under
// concurrency and rollbacks; imported references continue the series.
#include <doctest/doctest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include "tests/pg/pg_support.h"
#include "workflow/errors.h"

namespace kansli::test {
namespace {

using workflow::CommandOptions;

long long Counter(const std::string& dsn, int year) {
  return Count(dsn,
               "SELECT coalesce(max(last_number), 0) FROM reference_counters WHERE prefix = "
               "'RJL' AND year = " +
                   std::to_string(year));
}

TEST_SUITE("pg") {
  TEST_CASE("32 concurrent registrations get the diarienummer RJL 2023/1 to 32 without gaps") {
    PgFixture f;
    constexpr int kThreads = 32;
    std::mutex mu;
    std::vector<std::string> refs, errors;
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        try {
          const auto c = RegisterMotion(f.stack, "Samtidig motion " + std::to_string(i));
          std::lock_guard<std::mutex> g(mu);
          refs.push_back(c.reference);
        } catch (const std::exception& e) {
          std::lock_guard<std::mutex> g(mu);
          errors.push_back(e.what());
        }
      });
    }
    for (auto& t : threads) t.join();
    for (const auto& e : errors) CHECK_MESSAGE(false, e);
    std::set<std::string> expected;
    for (int n = 1; n <= kThreads; ++n) expected.insert("RJL 2023/" + std::to_string(n));
    CHECK(std::set<std::string>(refs.begin(), refs.end()) == expected);
    CHECK(refs.size() == static_cast<std::size_t>(kThreads));
    CHECK(Count(f.db.dsn(), "SELECT count(DISTINCT reference) FROM cases") == kThreads);
    CHECK(Counter(f.db.dsn(), 2023) == kThreads);
  }

  TEST_CASE("A registration that fails inside its transaction leaves no gap in the series") {
    PgFixture f;
    CHECK(RegisterMotion(f.stack, "Första").reference == "RJL 2023/1");

    SUBCASE("a remiss distributed to an unknown organ") {
      const auto cmd = Registration({{"type", "remiss"},
                                     {"title", "Remiss till okänt organ"},
                                     {"received", "2023-02-01"},
                                     {"sender", "Regionsamverkan Sydsverige"},
                                     {"answer_by", "2023-04-28"},
                                     {"to", "nosuch"}});
      try {
        f.stack.cases.Register(cmd, kRegistrar, {});
        FAIL("an unknown organ in 'to' was accepted");
      } catch (const workflow::ValidationError& e) {
        CHECK(e.field() == "to");
      }
    }
    SUBCASE("a failure after the number was allocated and the case inserted") {
      // The render step runs inside the transaction, after the insert: a
      // failure there must roll back the counter with everything else.
      CommandOptions o;
      o.render = [](const workflow::Case& c) -> workflow::StoredResponse {
        REQUIRE(c.reference == "RJL 2023/2");  // it was allocated...
        throw std::runtime_error("simulated failure late in the transaction");
      };
      CHECK_THROWS_WITH(f.stack.cases.Register(MotionCommand("Rullas tillbaka"), kRegistrar, o),
                        "simulated failure late in the transaction");
    }
    // ...and returned.
    CHECK(Count(f.db.dsn(), "SELECT count(*) FROM cases") == 1);
    CHECK(Count(f.db.dsn(), "SELECT count(*) FROM case_history") == 1);
    CHECK(Counter(f.db.dsn(), 2023) == 1);
    CHECK(RegisterMotion(f.stack, "Tredje försöket").reference == "RJL 2023/2");
  }

  TEST_CASE("An imported reference moves the series on so new numbers follow it") {
    PgFixture f;
    CHECK(RegisterMotion(f.stack, "Före importen").reference == "RJL 2023/1");
    auto imported = MotionCommand("Importerad");
    imported.reference = "RJL 2023/40";
    CHECK(f.stack.cases.Register(imported, kRegistrar, {}).changed.reference == "RJL 2023/40");
    CHECK(Counter(f.db.dsn(), 2023) == 40);
    CHECK(RegisterMotion(f.stack, "Efter importen").reference == "RJL 2023/41");

    // An older number (a gap filled by import) does not move the series back.
    imported.reference = "2023/10";
    CHECK(f.stack.cases.Register(imported, kRegistrar, {}).changed.reference == "RJL 2023/10");
    CHECK(RegisterMotion(f.stack, "Sist").reference == "RJL 2023/42");

    // Another year's series is its own.
    imported.reference = "Dnr. RJL 2021/1342";
    CHECK(f.stack.cases.Register(imported, kRegistrar, {}).changed.reference == "RJL 2021/1342");
    CHECK(Counter(f.db.dsn(), 2021) == 1342);
    CHECK(Counter(f.db.dsn(), 2023) == 42);
  }

  TEST_CASE("A duplicate imported reference is a Conflict and changes nothing") {
    PgFixture f;
    auto cmd = MotionCommand("Kultur för hälsa", "2021-06-15");
    cmd.reference = "RJL 2021/1342";
    const auto first = f.stack.cases.Register(cmd, kRegistrar, {}).changed;
    CHECK(first.reference == "RJL 2021/1342");
    for (const std::string written : {"RJL 2021/1342", "2021/1342", "Dnr. RJL 2021/1342"}) {
      CAPTURE(written);
      cmd.reference = written;
      CHECK_THROWS_AS(f.stack.cases.Register(cmd, kRegistrar, {}), workflow::Conflict);
    }
    CHECK(Count(f.db.dsn(), "SELECT count(*) FROM cases") == 1);
    CHECK(Count(f.db.dsn(), "SELECT count(*) FROM case_history") == 1);
    CHECK(Counter(f.db.dsn(), 2021) == 1342);
  }

  TEST_CASE("A reference that is not a diarienummer is a ValidationError naming reference") {
    PgFixture f;
    auto cmd = MotionCommand("Fel nummer");
    cmd.reference = "RJL 2021-1342";
    try {
      f.stack.cases.Register(cmd, kRegistrar, {});
      FAIL("a malformed reference was accepted");
    } catch (const workflow::ValidationError& e) {
      CHECK(e.field() == "reference");
    }
    CHECK(Count(f.db.dsn(), "SELECT count(*) FROM cases") == 0);
  }
}

}  // namespace
}  // namespace kansli::test
