#include "tests/support/test_database.h"

#include <pqxx/pqxx>

#include <iostream>
#include <stdexcept>

#include "tests/support/env.h"

namespace kansli::test {

namespace {

void Exec(const std::string& url, const std::string& sql) {
  pqxx::connection c(url);
  pqxx::nontransaction n(c);
  n.exec("SET client_min_messages = warning");
  n.exec(sql);
}

}  // namespace

std::string DsnWithDatabase(const std::string& url, const std::string& dbname) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url + " dbname=" + dbname;
  const auto query = url.find('?', scheme + 3);
  const std::string head = url.substr(0, query);
  const std::string tail = query == std::string::npos ? "" : url.substr(query);
  const auto slash = head.find('/', scheme + 3);
  return head.substr(0, slash) + "/" + dbname + tail;
}

TestDatabase::TestDatabase(Schema schema)
    : maintenance_url_(MaintenanceDatabaseUrl()), name_("kansli_t_" + UniqueSuffix()) {
  dsn_ = DsnWithDatabase(maintenance_url_, name_);
  try {
    // The name is ours ([a-z0-9_]); quoted anyway.
    Exec(maintenance_url_, "CREATE DATABASE \"" + name_ + "\" TEMPLATE template0 ENCODING 'UTF8'");
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot create the test database " + name_ +
                             " from KANSLI_TEST_DATABASE_URL: " + e.what());
  }
  if (schema == Schema::kMigrated) {
    const auto r = Kansli({"migrate"});
    if (r.exit_code != 0) {
      const std::string why = r.Describe();
      try {
        Exec(maintenance_url_, "DROP DATABASE IF EXISTS \"" + name_ + "\" WITH (FORCE)");
      } catch (...) {
      }
      throw std::runtime_error("kansli migrate failed on the test database: " + why);
    }
  }
}

TestDatabase::~TestDatabase() {
  try {
    Exec(maintenance_url_, "DROP DATABASE IF EXISTS \"" + name_ + "\" WITH (FORCE)");
  } catch (const std::exception& e) {
    std::cerr << "warning: could not drop the test database " << name_ << ": " << e.what() << "\n";
  }
}

CommandResult TestDatabase::Kansli(const std::vector<std::string>& args,
                                   const EnvOverrides& env) const {
  std::vector<std::string> argv{KansliBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  EnvOverrides all = env;
  all["KANSLI_DATABASE_URL"] = dsn_;
  return RunCommand(argv, all);
}

CommandResult TestDatabase::KansliOk(const std::vector<std::string>& args,
                                     const EnvOverrides& env) const {
  auto r = Kansli(args, env);
  if (r.exit_code != 0) {
    std::string cmd = "kansli";
    for (const auto& a : args) cmd += " " + a;
    throw std::runtime_error(cmd + " failed: " + r.Describe());
  }
  return r;
}

}  // namespace kansli::test
