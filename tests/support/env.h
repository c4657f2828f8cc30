// What the test command provides (scripts/test): the database to create test
// databases from, the kansli binary, a directory for artifacts; and the
// fixtures inside the repository.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace kansli::test {

// The value of the environment variable `name`. Throws std::runtime_error
// naming the variable and `why` it is needed when it is unset or empty: a test
// that needs PostgreSQL fails loudly instead of skipping.
std::string RequireEnv(const char* name, const std::string& why);

// KANSLI_TEST_DATABASE_URL: a libpq URI (or key=value string) of a maintenance
// database whose role may CREATE DATABASE. Throws as RequireEnv.
std::string MaintenanceDatabaseUrl();

// KANSLI_BINARY, else the kansli target of this build. Throws when the file is
// not executable.
std::string KansliBinary();

// KANSLI_TEST_OUTPUT, else <build>/test-output; created if missing.
std::filesystem::path TestOutputDir();

// The repository root (where app/, tests/ are).
std::filesystem::path SourceDir();

// The replay fixtures: the project's own copies, never paths outside the repo.
std::filesystem::path MotionFixturePath();  // app/demo/cases/motion-rjl-2021-1342.json
std::filesystem::path RemissFixturePath();  // tests/fixtures/remiss-rjl-2022-2018.json
std::filesystem::path OrgansPath();         // app/demo/organs.json

// Reads and parses a JSON file. Throws std::runtime_error naming the file.
nlohmann::json ReadJsonFile(const std::filesystem::path& path);

// A short string unique to this process and call (pid, counter, randomness),
// usable in database names and test data: lower-case [a-z0-9_].
std::string UniqueSuffix();

}  // namespace kansli::test
