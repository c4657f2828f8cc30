// Migrations: applied by `kansli migrate` and persistence::Migrate, exactly
// once, checked at startup (SchemaProblem).
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "persistence/migrations.h"
#include "tests/pg/pg_support.h"
#include "tests/support/test_server.h"
#include "workflow/errors.h"

namespace kansli::test {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<std::string> EmbeddedNames() {
  std::vector<std::string> names;
  for (const auto& m : persistence::Migrations()) names.push_back(m.name);
  return names;
}

TEST_SUITE("pg") {
  TEST_CASE(
      "kansli migrate applies every migration to an empty database and then applies nothing") {
    TestDatabase db(TestDatabase::Schema::kEmpty);
    REQUIRE_FALSE(persistence::Migrations().empty());

    const auto first = db.KansliOk({"migrate"});
    for (const auto& name : EmbeddedNames()) CHECK(Contains(first.out, "applied " + name));

    const auto second = db.KansliOk({"migrate"});
    CHECK_FALSE(Contains(second.out, "applied"));
    CHECK(Contains(second.out, "schema is current (version " +
                                   std::to_string(persistence::LatestSchemaVersion()) + ")"));
    CHECK(persistence::Migrate(db.dsn()).empty());

    // One row per migration, with the checksum of the embedded SQL.
    pqxx::connection c(db.dsn());
    pqxx::read_transaction t(c);
    const auto rows = t.exec("SELECT version, name, checksum FROM schema_migrations ORDER BY 1");
    REQUIRE(rows.size() == persistence::Migrations().size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& m = persistence::Migrations()[i];
      CHECK(rows[i][0].as<int>() == m.version);
      CHECK(rows[i][1].as<std::string>() == m.name);
      CHECK(rows[i][2].as<std::string>() == persistence::Sha256Hex(m.sql));
    }
    t.commit();
    CHECK(persistence::SchemaProblem(c) == "");
  }

  TEST_CASE("Migrate returns the migrations it applied and nothing on a second call") {
    TestDatabase db(TestDatabase::Schema::kEmpty);
    CHECK(persistence::Migrate(db.dsn()) == EmbeddedNames());
    CHECK(persistence::Migrate(db.dsn()).empty());
    for (const char* table : {"organs", "cases", "case_history", "case_deadlines",
                              "reference_counters", "api_tokens", "idempotency_keys"}) {
      const std::string name = table;
      CAPTURE(name);
      CHECK(Scalar(db.dsn(), "SELECT to_regclass('" + name + "') IS NOT NULL") == "t");
    }
  }

  TEST_CASE("Concurrent migrators apply each migration exactly once") {
    TestDatabase db(TestDatabase::Schema::kEmpty);
    constexpr int kMigrators = 6;
    std::atomic<int> applied{0}, failed{0};
    std::vector<std::string> errors(kMigrators);
    std::vector<std::thread> threads;
    for (int i = 0; i < kMigrators; ++i) {
      threads.emplace_back([&, i] {
        try {
          applied += static_cast<int>(persistence::Migrate(db.dsn()).size());
        } catch (const std::exception& e) {
          errors[i] = e.what();
          ++failed;
        }
      });
    }
    for (auto& t : threads) t.join();
    for (const auto& e : errors) CHECK_MESSAGE(e.empty(), e);
    CHECK(failed == 0);
    CHECK(applied == static_cast<int>(persistence::Migrations().size()));
    CHECK(Count(db.dsn(), "SELECT count(*) FROM schema_migrations") ==
          static_cast<long long>(persistence::Migrations().size()));
  }

  TEST_CASE("SchemaProblem reports a database without the Kansli schema") {
    TestDatabase db(TestDatabase::Schema::kEmpty);
    {
      pqxx::connection c(db.dsn());
      const std::string problem = persistence::SchemaProblem(c);
      CHECK(Contains(problem, "kansli migrate"));
    }
    persistence::ConnectionPool pool(persistence::PoolSettings{db.dsn(), 1});
    persistence::PgSystemStatus status(pool);
    CHECK(Contains(status.NotReadyReason(), "kansli migrate"));

    const auto r = db.Kansli({"schema-status"});
    CHECK(r.exit_code == 1);
    CHECK(Contains(r.out, "kansli migrate"));

    db.KansliOk({"migrate"});
    CHECK(status.NotReadyReason() == "");
    CHECK(db.Kansli({"schema-status"}).exit_code == 0);
  }

  TEST_CASE("kansli serve refuses to start on a database that is not migrated") {
    TestDatabase db(TestDatabase::Schema::kEmpty);
    const auto r = db.Kansli({"serve"}, {{"KANSLI_HOST", "127.0.0.1"},
                                         {"KANSLI_PORT", std::to_string(FreeLoopbackPort())}});
    CHECK(r.exit_code == 1);
    CHECK(Contains(r.err, "not starting"));
    CHECK(Contains(r.err, "kansli migrate"));
    CHECK_FALSE(Contains(r.out, "is ready"));
  }

  TEST_CASE("SchemaProblem reports a database that is newer than this build") {
    TestDatabase db;
    {
      pqxx::connection c(db.dsn());
      pqxx::work t(c);
      t.exec_params("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    persistence::LatestSchemaVersion() + 1, "9999_future.sql", "x");
      t.commit();
    }
    pqxx::connection c(db.dsn());
    CHECK(Contains(persistence::SchemaProblem(c), "newer than this build"));
  }

  TEST_CASE("Migrate refuses to run when an applied migration was changed afterwards") {
    TestDatabase db;
    {
      pqxx::connection c(db.dsn());
      pqxx::work t(c);
      t.exec("UPDATE schema_migrations SET checksum = 'tampered' WHERE version = 1");
      t.commit();
    }
    CHECK_THROWS_AS(persistence::Migrate(db.dsn()), workflow::StorageError);
    const auto r = db.Kansli({"migrate"});
    CHECK(r.exit_code != 0);
    CHECK(Contains(r.err, "changed after it was applied"));
  }
}

}  // namespace
}  // namespace kansli::test
