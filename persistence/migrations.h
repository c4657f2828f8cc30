// Numbered, forward-only schema migrations (migrations/NNNN_name.sql),
// embedded in the binary at build time.
#pragma once

#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace kansli::persistence {

struct Migration {
  int version;
  std::string name;  // file name, e.g. "0001_core.sql"
  std::string sql;
};

// The embedded migrations, ordered by version.
const std::vector<Migration>& Migrations();
int LatestSchemaVersion();

// Applies every migration the database lacks, each in its own transaction,
// under an advisory lock so concurrent migrators wait for each other.
// Returns the names applied (empty when current). Throws workflow::StorageError
// if an applied migration's checksum differs from the embedded one, and
// workflow::Unavailable if the database cannot be reached.
std::vector<std::string> Migrate(const std::string& dsn);

// Empty when the schema is exactly current; otherwise one sentence saying what
// to do ("run kansli migrate", or "this build is older than the database").
std::string SchemaProblem(pqxx::connection& c);

}  // namespace kansli::persistence
