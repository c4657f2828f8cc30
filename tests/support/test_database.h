// A fresh, uniquely named PostgreSQL database per test (or per suite), made
// from KANSLI_TEST_DATABASE_URL and dropped again afterwards.
#pragma once

#include <string>
#include <vector>

#include "tests/support/process.h"

namespace kansli::test {

// The libpq connection string `url` pointing at database `dbname` instead:
// for a URI the path is replaced (query parameters kept); for a key=value
// string a dbname= is appended (the last one wins).
std::string DsnWithDatabase(const std::string& url, const std::string& dbname);

class TestDatabase {
 public:
  enum class Schema {
    kMigrated,  // `kansli migrate` has run (the default)
    kEmpty,     // no Kansli schema at all
  };

  // Creates the database and, for kMigrated, runs `$KANSLI_BINARY migrate`
  // against it. Throws std::runtime_error (with the reason) when
  // KANSLI_TEST_DATABASE_URL is unset, the database cannot be created or the
  // migration fails.
  explicit TestDatabase(Schema schema = Schema::kMigrated);
  // DROP DATABASE ... WITH (FORCE): also ends connections a test left open.
  // Never throws.
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return name_; }
  const std::string& dsn() const { return dsn_; }

  // Runs `kansli ARGS` with KANSLI_DATABASE_URL set to this database (plus
  // `env`). Throws only when the binary cannot be run; see exit_code.
  CommandResult Kansli(const std::vector<std::string>& args, const EnvOverrides& env = {}) const;
  // As Kansli, but throws std::runtime_error with the output on a non-zero exit.
  CommandResult KansliOk(const std::vector<std::string>& args, const EnvOverrides& env = {}) const;

 private:
  std::string maintenance_url_;
  std::string name_;
  std::string dsn_;
};

}  // namespace kansli::test
