// persistence's classes wired as app/main.cc wires them, against a fresh test
// database, with a clock that stands still.
#pragma once

#include <pqxx/pqxx>

#include <string>

#include "persistence/pg_store.h"
#include "persistence/pool.h"
#include "tests/support/test_database.h"
#include "workflow/case_service.h"
#include "workflow/clock.h"
#include "workflow/commands.h"

namespace kansli::test {

// The instant the stack's clock shows: registrations get RJL 2023/N.
inline constexpr const char* kNow = "2023-06-01T10:00:00+02:00";

struct PgStack {
  explicit PgStack(const std::string& dsn, int pool_size = 8);
  persistence::ConnectionPool pool;
  persistence::PgTransactions tx;
  persistence::PgCaseReader reader;
  persistence::PgTokenStore tokens;
  persistence::PgSystemStatus status;
  workflow::FixedClock clock;
  workflow::CaseService cases;
};

// A migrated database with the demo organisation (app/demo/organs.json) and
// no cases, and the stack over it.
struct PgFixture {
  PgFixture();
  TestDatabase db;
  PgStack stack;
};

// Upserts the organs of app/demo/organs.json through the UnitOfWork.
void LoadDemoOrgans(workflow::Transactions& tx);

inline const workflow::Actor kRegistrar{"test-registrar", "registrar"};
inline const workflow::Actor kSecretary{"test-secretary", "secretary"};

// Commands decoded from JSON, as the API decodes them.
workflow::RegisterCommand MotionCommand(const std::string& title,
                                        const std::string& received = "2023-02-01");
workflow::RegisterCommand Registration(const nlohmann::json& body);
workflow::EventCommand Event(const nlohmann::json& body);

// Registers a motion (registrar, no options); returns the case.
workflow::Case RegisterMotion(PgStack& s, const std::string& title,
                              const std::string& received = "2023-02-01");

// The first column of the first row of `sql` on a new connection to `dsn`.
std::string Scalar(const std::string& dsn, const std::string& sql);
long long Count(const std::string& dsn, const std::string& sql);

// The SQLSTATE of the error `sql` raises on a new connection, or "" if it
// succeeds (and is committed).
std::string SqlStateOf(const std::string& dsn, const std::string& sql, std::string* message);

}  // namespace kansli::test
