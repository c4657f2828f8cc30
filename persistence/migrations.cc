#include "persistence/migrations.h"

#include <spdlog/spdlog.h>

#include "persistence/pg_store.h"
#include "persistence/translate.h"
#include "workflow/errors.h"

namespace kansli::persistence {

namespace {

// Generated at configure time from migrations/*.sql.
const std::vector<Migration>& Embedded() {
  static const std::vector<Migration> all = [] {
    std::vector<std::pair<std::string, std::string>> files = {
#include "migrations.inc"
    };
    std::vector<Migration> out;
    for (auto& [name, sql] : files) out.push_back({std::stoi(name.substr(0, 4)), name, sql});
    return out;
  }();
  return all;
}

// Arbitrary but fixed: the advisory lock that serialises migrators.
constexpr long long kMigrationLock = 0x6b616e736c69;  // "kansli"

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

}  // namespace

const std::vector<Migration>& Migrations() { return Embedded(); }

int LatestSchemaVersion() { return Embedded().empty() ? 0 : Embedded().back().version; }

std::vector<std::string> Migrate(const std::string& dsn) {
  return Guarded([&] {
    pqxx::connection c(dsn);
    {
      pqxx::nontransaction n(c);
      n.exec("SET client_min_messages = warning");
      n.exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLock) + ")");
      n.exec(kCreateTable);
    }
    std::vector<std::string> applied;
    try {
      for (const auto& m : Embedded()) {
        pqxx::work t(c);
        auto r =
            t.exec_params("SELECT checksum FROM schema_migrations WHERE version = $1", m.version);
        const std::string sum = Sha256Hex(m.sql);
        if (!r.empty()) {
          if (r[0][0].as<std::string>() != sum)
            throw workflow::StorageError("migration " + m.name +
                                         " was changed after it was applied; restore the "
                                         "original file");
          continue;
        }
        t.exec(m.sql);
        t.exec_params("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                      m.version, m.name, sum);
        t.commit();
        spdlog::info("event=migration_applied name={}", m.name);
        applied.push_back(m.name);
      }
    } catch (...) {
      try {
        pqxx::nontransaction n(c);
        n.exec("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLock) + ")");
      } catch (...) {
      }
      throw;
    }
    pqxx::nontransaction n(c);
    n.exec("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLock) + ")");
    return applied;
  });
}

std::string SchemaProblem(pqxx::connection& c) {
  pqxx::read_transaction t(c);
  auto exists = t.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists[0][0].as<bool>())
    return "the database has no Kansli schema yet: run 'kansli migrate'";
  auto r = t.exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
  const int have = r[0][0].as<int>();
  const int want = LatestSchemaVersion();
  if (have < want)
    return "the database schema is at version " + std::to_string(have) + " but this build needs " +
           std::to_string(want) + ": run 'kansli migrate'";
  if (have > want)
    return "the database schema (version " + std::to_string(have) +
           ") is newer than this build (version " + std::to_string(want) +
           "): upgrade Kansli before starting it";
  return "";
}

}  // namespace kansli::persistence
