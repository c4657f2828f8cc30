#include "persistence/translate.h"

#include <spdlog/spdlog.h>

namespace kansli::persistence {

void ThrowTranslated(const pqxx::sql_error& e) {
  const std::string state = e.sqlstate();
  // libpqxx 6.4 does not fill sqlstate() for every error class: check the type too.
  if (dynamic_cast<const pqxx::unique_violation*>(&e) || state == "23505")
    throw workflow::Conflict("the value is already taken");
  if (state == "57014" || state == "55P03")
    throw workflow::Unavailable("the database did not answer in time");
  if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03")
    throw workflow::Unavailable("the database is not reachable");
  // The driver's text may hold SQL and data: log it, do not return it.
  spdlog::error("event=storage_error sqlstate={} what={}", state, e.what());
  throw workflow::StorageError("the database refused the operation (" + state + ")");
}

bool IsRetryable(const pqxx::sql_error& e) {
  const std::string state = e.sqlstate();
  return state == "40001" || state == "40P01";
}

}  // namespace kansli::persistence
